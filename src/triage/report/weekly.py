"""The weekly review as plain data: top reasons, slices, change vs last week, reps, funnel.

Everything is computed from the decision log (see `triage.report.data` for the counting unit).
Shares are of the leads *with a reason* in the slice (a lead whose latest decision carries no
reason, e.g. "interested", is counted in the funnel and rep activity, not in reason shares).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from triage.report.data import COUNTING_UNIT, SEGMENT_FIELDS, Row, effective_rows, latest_per_lead
from triage.report.weeks import Week
from triage.store import Store
from triage.timeutil import iso

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Thresholds:
    """When a change is called a spike, and when a rep's Unknown share is flagged.

    A reason *spikes* when it has at least `spike_min_count` leads this week and its share
    rose by at least `spike_points` percentage points, or at least `spike_ratio` times its
    share last week. A reason absent last week is reported as *new*, not as a spike.
    The brief sets no number for Unknown; 20 % (one lead in five without a usable reason) is
    the default, `--unknown-threshold` changes it.
    """

    spike_points: float = 10.0
    spike_ratio: float = 2.0
    spike_min_count: int = 5
    unknown_share: float = 0.20
    top: int = 3


@dataclass
class ReasonCount:
    reason: str
    count: int
    share: float  # of the leads with a reason, 0..1


@dataclass
class Slice:
    value: str | None  # None: the lead has no value for this field
    leads: int
    with_reason: int
    top: list[ReasonCount]


@dataclass
class Spike:
    reason: str
    previous_count: int
    previous_share: float
    count: int
    share: float

    @property
    def points(self) -> float:
        return round(100 * (self.share - self.previous_share), 1)

    @property
    def ratio(self) -> float | None:
        return self.share / self.previous_share if self.previous_share else None


@dataclass
class SegmentSpike:
    """A spike inside one slice (e.g. Timing doubled for persona=CFO)."""

    field: str  # channel / persona / industry / company_size
    value: str
    spike: Spike


@dataclass
class Change:
    previous_week: str
    previous_leads: int
    previous_with_reason: int
    new: list[ReasonCount] = field(default_factory=list)
    spikes: list[Spike] = field(default_factory=list)
    gone: list[ReasonCount] = field(default_factory=list)  # counts/shares of last week
    segment_spikes: list[SegmentSpike] = field(default_factory=list)


@dataclass
class RepRow:
    rep: str
    decisions: int  # every effective decision the rep made in the week (activity)
    leads: int  # leads whose latest decision in the week is the rep's
    with_reason: int
    unknown: int
    flagged: bool

    @property
    def unknown_share(self) -> float | None:
        return self.unknown / self.with_reason if self.with_reason else None


@dataclass
class FunnelStep:
    status: str
    leads: int  # distinct leads with an effective decision to this status in the week


@dataclass
class WeeklyReport:
    week: Week
    generated_at: str
    thresholds: Thresholds
    decisions: int  # effective decisions in the week (every one)
    leads: int  # leads decided in the week (the counting unit)
    with_reason: int
    reasons: list[ReasonCount]  # every reason, most frequent first
    by_channel: list[Slice]
    by_segment: dict[str, list[Slice]]  # persona / industry / company_size
    change: Change
    reps: list[RepRow]
    funnel: list[FunnelStep]
    counting_unit: str = COUNTING_UNIT
    #: experiments running during the week (triage.experiments.ExperimentReport), measured
    #: up to the end of the reviewed week
    experiments: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.decisions == 0

    @property
    def top(self) -> list[ReasonCount]:
        return self.reasons[: self.thresholds.top]

    def as_dict(self) -> dict:
        out = asdict(self)
        out["week"] = {
            "label": self.week.label,
            "start": self.week.monday.isoformat(),
            "end": self.week.sunday.isoformat(),
        }
        out["top"] = [asdict(r) for r in self.top]
        out["empty"] = self.empty
        out["change"]["spikes"] = [
            {**asdict(s), "points": s.points, "ratio": s.ratio} for s in self.change.spikes
        ]
        out["change"]["segment_spikes"] = [
            {"field": g.field, "value": g.value,
             **asdict(g.spike), "points": g.spike.points, "ratio": g.spike.ratio}
            for g in self.change.segment_spikes
        ]
        for rep, row in zip(out["reps"], self.reps):
            rep["unknown_share"] = row.unknown_share
        out["experiments"] = [e.as_dict() for e in self.experiments]
        return out


def reason_counts(rows: list[Row]) -> tuple[int, list[ReasonCount]]:
    """(leads with a reason, counts most frequent first; ties by reason id)."""
    counter = Counter(r.reason for r in rows if r.reason)
    total = sum(counter.values())
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return total, [ReasonCount(k, v, v / total) for k, v in ordered]


def _slices(rows: list[Row], field_name: str, top: int) -> list[Slice]:
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for r in rows:
        value = r.field(field_name)
        groups[value.strip() if isinstance(value, str) and value.strip() else None].append(r)
    out = []
    for value, members in groups.items():
        total, counts = reason_counts(members)
        out.append(Slice(value, len(members), total, counts[:top]))
    # biggest slice first; "not set" last
    out.sort(key=lambda s: (s.value is None, -s.with_reason, -s.leads, s.value or ""))
    return out


def _spikes(now: list[ReasonCount], before: list[ReasonCount], t: Thresholds) -> list[Spike]:
    """Reasons present in both periods whose share rose enough (see Thresholds)."""
    previous = {r.reason: r for r in before}
    out = []
    for r in now:
        old = previous.get(r.reason)
        if old is None or r.count < t.spike_min_count:
            continue
        points = 100 * (r.share - old.share)
        if points >= t.spike_points or r.share >= t.spike_ratio * old.share:
            out.append(Spike(r.reason, old.count, old.share, r.count, r.share))
    out.sort(key=lambda sp: -(sp.share - sp.previous_share))
    return out


def _by_value(rows: list[Row], field_name: str) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        value = r.field(field_name)
        if isinstance(value, str) and value.strip():
            groups[value.strip()].append(r)
    return groups


def _change(
    previous: Week, rows: list[Row], prev_rows: list[Row], reasons: list[ReasonCount],
    t: Thresholds,
) -> Change:
    prev_total, prev_counts = reason_counts(prev_rows)
    change = Change(previous.label, len(prev_rows), prev_total)
    if prev_total == 0:
        return change  # nothing to compare against: no "new" or spikes
    before = {r.reason for r in prev_counts}
    now = {r.reason for r in reasons}
    change.new = [r for r in reasons if r.reason not in before]
    change.spikes = _spikes(reasons, prev_counts, t)
    change.gone = [r for r in prev_counts if r.reason not in now]
    for field_name in SEGMENT_FIELDS:
        prev_groups = _by_value(prev_rows, field_name)
        for value, members in sorted(_by_value(rows, field_name).items()):
            _, counts = reason_counts(members)
            _, old_counts = reason_counts(prev_groups.get(value, []))
            for spike in _spikes(counts, old_counts, t):
                change.segment_spikes.append(SegmentSpike(field_name, value, spike))
    return change


def _reps(all_rows: list[Row], latest: list[Row], t: Thresholds) -> list[RepRow]:
    activity = Counter(r.rep for r in all_rows)
    leads: Counter[str] = Counter()
    with_reason: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for r in latest:
        leads[r.rep] += 1
        if r.reason:
            with_reason[r.rep] += 1
            if r.reason == UNKNOWN:
                unknown[r.rep] += 1
    out = []
    for rep in sorted(activity, key=lambda k: (-activity[k], k)):
        n, u = with_reason[rep], unknown[rep]
        out.append(RepRow(rep, activity[rep], leads[rep], n, u, bool(n) and u / n > t.unknown_share))
    return out


def _funnel(store: Store, rows: list[Row]) -> list[FunnelStep]:
    reached: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        if r.status:
            reached[r.status].add(r.lead_id)
    steps = [FunnelStep(s.id, len(reached.pop(s.id, ()))) for s in store.taxonomy.statuses]
    steps += [FunnelStep(k, len(v)) for k, v in sorted(reached.items())]  # unknown statuses
    return steps


def weekly_report(
    store: Store, week: Week, thresholds: Thresholds | None = None, now: datetime | None = None
) -> WeeklyReport:
    """Build the review of `week` from the store (read-only)."""
    t = thresholds or Thresholds()
    rows = effective_rows(store, week.start, week.end)
    latest = latest_per_lead(rows)
    total, counts = reason_counts(latest)
    previous = week.previous()
    prev_latest = latest_per_lead(effective_rows(store, previous.start, previous.end))
    report = WeeklyReport(
        week=week,
        generated_at=iso(now or store.clock()),
        thresholds=t,
        decisions=len(rows),
        leads=len(latest),
        with_reason=total,
        reasons=counts,
        by_channel=_slices(latest, "channel", t.top),
        by_segment={f: _slices(latest, f, t.top) for f in SEGMENT_FIELDS if f != "channel"},
        change=_change(previous, latest, prev_latest, counts, t),
        reps=_reps(rows, latest, t),
        funnel=_funnel(store, rows),
    )
    report.experiments = _experiments(store, week)
    return report


def _experiments(store: Store, week: Week) -> list:
    """Before/after of every experiment whose dates overlap the week."""
    from triage.experiments import experiment_report, list_experiments  # (imports this module)

    today = min(store.clock().astimezone(UTC).date(), week.sunday)
    return [
        experiment_report(store, e, today=today)
        for e in list_experiments(store)
        if e.start_on <= week.sunday and e.end_on >= week.monday
    ]
