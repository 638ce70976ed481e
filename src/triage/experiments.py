"""Experiments: one clearly dated change for one audience, and the reason code it should move.

`experiment report` compares the audience's decisions *after* the change (start .. end, or
.. today while it runs) with a window of the same length just *before* the start, using the
weekly review's counting unit (latest effective decision per lead in each window). The
share of the expected reason among leads with a reason is compared with a pooled
two-proportion z-test; when an expected cell count is below 5 the normal approximation is
unreliable, so Fisher's exact test is reported as well.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from triage.report.data import AUDIENCE_FIELDS, Row, effective_rows, latest_per_lead
from triage.report.weekly import ReasonCount, reason_counts
from triage.stats.proportions import MIN_EXPECTED, ZTest, fisher_exact, two_proportion_ztest
from triage.store import Store

NAME_MAX = 80
CHANGE_MAX = 200
ALPHA = 0.05


class ExperimentError(ValueError):
    """An experiment definition the method does not allow; the message says how to fix it."""


@dataclass(frozen=True)
class Experiment:
    name: str
    audience: dict[str, list[str]]
    change: str
    expects: str
    start_on: date
    end_on: date
    direction: str = "down"
    created_by: str | None = None
    created_at: str | None = None
    id: int | None = None

    @property
    def audience_text(self) -> str:
        return format_audience(self.audience)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["start_on"], d["end_on"] = self.start_on.isoformat(), self.end_on.isoformat()
        return d


def parse_audience(text: str) -> dict[str, list[str]]:
    """ "channel=cold_email,persona=CFO|VP Finance" -> {"channel": [...], "persona": [...]}.

    Fields are ANDed, alternatives inside a field (separated by |) are ORed; values match
    case-insensitively.
    """
    out: dict[str, list[str]] = {}
    if not text or not text.strip():
        raise ExperimentError(
            "--audience is empty: give field=value pairs, e.g. channel=cold_email,persona=CFO"
        )
    for part in text.split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        name = name.strip().lower().replace("-", "_").replace(" ", "_")
        if not eq:
            raise ExperimentError(f"audience {part.strip()!r}: expected field=value")
        if name not in AUDIENCE_FIELDS:
            raise ExperimentError(
                f"audience field {name!r} does not exist: use {', '.join(AUDIENCE_FIELDS)}"
            )
        if name in out:
            raise ExperimentError(f"audience field {name!r} is given twice: use a|b for either")
        values = [v.strip() for v in value.split("|") if v.strip()]
        if not values:
            raise ExperimentError(f"audience field {name!r} has no value")
        out[name] = values
    if not out:
        raise ExperimentError("--audience is empty: give field=value pairs")
    return out


def format_audience(audience: dict[str, list[str]]) -> str:
    return ",".join(f"{k}={'|'.join(v)}" for k, v in audience.items())


def _parse_date(text: str | date, what: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ExperimentError(f"{what} {text!r} is not a date: use YYYY-MM-DD") from None


def validate(
    store: Store,
    name: str,
    audience: str | dict[str, list[str]],
    changes: list[str] | tuple[str, ...] | str,
    start: str | date,
    end: str | date,
    expects: str,
    direction: str = "down",
) -> tuple[Experiment, list[str]]:
    """Check a new experiment; returns it with warnings (e.g. no lead matches the audience)."""
    name = " ".join((name or "").split())
    if not name:
        raise ExperimentError("an experiment needs a --name")
    if len(name) > NAME_MAX:
        raise ExperimentError(f"--name is at most {NAME_MAX} characters")
    aud = parse_audience(audience) if isinstance(audience, str) else audience
    if isinstance(changes, str):
        changes = [changes]
    changes = [c for c in changes if c and c.strip()]
    if not changes:
        raise ExperimentError("describe the one change with --change")
    if len(changes) > 1:
        raise ExperimentError(
            "one change per experiment (otherwise you cannot tell which one moved the "
            "reason): log the other change as its own experiment"
        )
    change = changes[0].strip()
    if "\n" in change or "\r" in change:
        raise ExperimentError("--change is one line: the one change you make")
    if len(change) > CHANGE_MAX:
        raise ExperimentError(f"--change is at most {CHANGE_MAX} characters")
    tax = store.taxonomy
    if not tax.has_reason(expects):
        retired = next((r for r in tax.retired if r.id == expects), None)
        if retired:
            raise ExperimentError(
                f"reason {expects!r} is retired; use {retired.merged_into!r} instead"
            )
        raise ExperimentError(
            f"unknown reason {expects!r}: use one of {', '.join(r.id for r in tax.reasons)}"
        )
    if direction not in ("down", "up"):
        raise ExperimentError("--direction is down or up")
    start_on, end_on = _parse_date(start, "--start"), _parse_date(end, "--end")
    if end_on < start_on:
        raise ExperimentError(f"--end {end_on} is before --start {start_on}")
    if store.scalar("SELECT 1 FROM experiments WHERE name = ?", (name,)):
        raise ExperimentError(f"an experiment named {name!r} already exists")
    warnings = []
    for field_name, values in aud.items():
        marks = ", ".join("?" for _ in values)
        found = store.scalar(
            f"SELECT COUNT(*) FROM leads WHERE lower({field_name}) IN ({marks})",
            [v.lower() for v in values],
        )
        if not found:
            known = [
                r[0] for r in store.db.execute(
                    f"SELECT DISTINCT {field_name} FROM leads WHERE {field_name} IS NOT NULL "
                    f"ORDER BY 1 LIMIT 8"
                ).fetchall()
            ]
            hint = f" (known: {', '.join(known)})" if known else ""
            warnings.append(f"no lead has {field_name}={'|'.join(values)} yet{hint}")
    for other in list_experiments(store):
        overlap = other.start_on <= end_on and start_on <= other.end_on
        shared = all(
            {v.lower() for v in other.audience.get(f, [])} & {v.lower() for v in vals}
            for f, vals in aud.items()
            if f in other.audience
        )
        if overlap and shared:
            warnings.append(
                f"overlaps experiment {other.name!r} ({other.start_on} → {other.end_on}) on a "
                "shared audience: their effects will be hard to separate"
            )
    exp = Experiment(name, aud, change, expects, start_on, end_on, direction)
    return exp, warnings


def add_experiment(store: Store, exp: Experiment, created_by: str | None = None) -> Experiment:
    try:
        with store.write():
            store.db.execute(
                """INSERT INTO experiments (name, audience, change, expects, direction,
                       start_on, end_on, created_by, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    exp.name, json.dumps(exp.audience, ensure_ascii=False), exp.change,
                    exp.expects, exp.direction, exp.start_on.isoformat(), exp.end_on.isoformat(),
                    created_by, store.now(),
                ),
            )
    except sqlite3.IntegrityError:
        raise ExperimentError(f"an experiment named {exp.name!r} already exists") from None
    return get_experiment(store, exp.name) or exp


def _from_row(row: dict) -> Experiment:
    return Experiment(
        name=row["name"],
        audience=json.loads(row["audience"]),
        change=row["change"],
        expects=row["expects"],
        start_on=date.fromisoformat(row["start_on"]),
        end_on=date.fromisoformat(row["end_on"]),
        direction=row["direction"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        id=row["id"],
    )


def list_experiments(store: Store) -> list[Experiment]:
    return [_from_row(r) for r in store.all("SELECT * FROM experiments ORDER BY start_on, id")]


def get_experiment(store: Store, name: str) -> Experiment | None:
    row = store.one("SELECT * FROM experiments WHERE name = ?", (" ".join(name.split()),))
    return _from_row(row) if row else None


# -- before / after ---------------------------------------------------------------------------


@dataclass
class Window:
    label: str  # "before" / "after"
    first_day: date
    last_day: date  # inclusive
    leads: int = 0
    with_reason: int = 0
    expected: int = 0  # leads whose reason is the expected one
    meetings: int = 0  # leads whose latest decision is "meeting booked" (the downside check)
    reasons: list[ReasonCount] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.expected / self.with_reason if self.with_reason else None

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass
class ExperimentReport:
    experiment: Experiment
    today: date
    status: str  # "not started" / "running" / "ended"
    before: Window | None
    after: Window | None
    ztest: ZTest | None
    fisher_p: float | None  # only when the normal approximation is doubtful
    notes: list[str]

    @property
    def moved(self) -> str | None:
        """'as expected', 'the other way', 'no change' or None (no data)."""
        if not self.before or not self.after:
            return None
        b, a = self.before.share, self.after.share
        if a is None or b is None:
            return None
        if a == b:
            return "no change"
        down = a < b
        return "as expected" if down == (self.experiment.direction == "down") else "the other way"

    @property
    def p_value(self) -> float | None:
        if self.fisher_p is not None:
            return self.fisher_p
        return self.ztest.p_value if self.ztest else None

    def as_dict(self) -> dict:
        out = {
            "experiment": self.experiment.as_dict(),
            "today": self.today.isoformat(),
            "status": self.status,
            "before": None,
            "after": None,
            "moved": self.moved,
            "ztest": asdict(self.ztest) if self.ztest else None,
            "fisher_p": self.fisher_p,
            "notes": self.notes,
        }
        for key in ("before", "after"):
            w = getattr(self, key)
            if w:
                out[key] = {
                    **asdict(w),
                    "first_day": w.first_day.isoformat(),
                    "last_day": w.last_day.isoformat(),
                    "share": w.share,
                    "days": w.days,
                }
        return out


def _window_rows(store: Store, exp: Experiment, first: date, last: date) -> list[Row]:
    start = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    return latest_per_lead(effective_rows(store, start, end, exp.audience))


def _fill(window: Window, rows: list[Row], expects: str) -> Window:
    window.leads = len(rows)
    window.with_reason, window.reasons = reason_counts(rows)
    window.expected = sum(1 for r in rows if r.reason == expects)
    window.meetings = sum(1 for r in rows if r.status == "meeting_booked")
    return window


def experiment_report(store: Store, exp: Experiment, today: date | None = None) -> ExperimentReport:
    """Before vs after for the experiment's audience (read-only)."""
    today = today or store.clock().astimezone(UTC).date()
    notes: list[str] = []
    if today < exp.start_on:
        notes.append(f"starts on {exp.start_on}: nothing to compare yet")
        return ExperimentReport(exp, today, "not started", None, None, None, None, notes)
    last = min(exp.end_on, today)
    status = "ended" if today > exp.end_on else "running"
    after = Window("after", exp.start_on, last)
    if status == "running":
        notes.append(
            f"running: the after window covers {after.days} of "
            f"{(exp.end_on - exp.start_on).days + 1} days; the before window is as long"
        )
    before = Window("before", exp.start_on - timedelta(days=after.days), exp.start_on - timedelta(days=1))
    _fill(after, _window_rows(store, exp, after.first_day, after.last_day), exp.expects)
    _fill(before, _window_rows(store, exp, before.first_day, before.last_day), exp.expects)
    if not before.with_reason or not after.with_reason:
        which = "before" if not before.with_reason else "after"
        notes.append(f"no decision with a reason {which} the change for this audience: no test")
        return ExperimentReport(exp, today, status, before, after, None, None, notes)
    z = two_proportion_ztest(before.expected, before.with_reason, after.expected, after.with_reason)
    fisher_p = None
    if not z.approximation_ok:
        notes.append(
            f"small counts (smallest expected cell {z.min_expected:.1f} < {MIN_EXPECTED:g}): "
            "the z-test's normal approximation is unreliable; Fisher's exact test is given too "
            "and is the one to read"
        )
        fisher_p = fisher_exact(
            [
                [after.expected, after.with_reason - after.expected],
                [before.expected, before.with_reason - before.expected],
            ]
        )
    return ExperimentReport(exp, today, status, before, after, z, fisher_p, notes)


# -- rendering ---------------------------------------------------------------------------------


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f} %"


def _p(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


_E = {
    "en": {
        "title": "Experiment", "audience": "Audience", "change": "Change", "dates": "Dates",
        "expected": "Expected", "goes": "goes", "down": "down", "up": "up",
        "before": "Before", "after": "After", "days": "Days", "leads": "Leads decided",
        "with_reason": "With a reason", "meetings": "Meetings booked",
        "top_before": "Top reasons before", "top_after": "Top reasons after",
        "not started": "not started", "running": "running", "ended": "ended",
        "z": "Two-proportion z-test", "z_undefined": "undefined (the share is 0 % or 100 % in both windows)",
        "two_sided": "two-sided", "fisher": "Fisher's exact test",
        "as expected": "as expected", "the other way": "the other way",
        "moved": "{label} moved {how} ({b} → {a}); {verdict} at 5 %.",
        "no_change": "{label}: no change ({a}).",
        "significant": "significant", "not significant": "not significant",
        "n_not_started": "starts on {start}: nothing to compare yet",
        "n_running": "running: the after window covers {days} of {total} days; the before window is as long",
        "n_no_data": "no decision with a reason {which} the change for this audience: no test",
        "n_small": "small counts (smallest expected cell {m:.1f} < 5): the z-test's normal "
                   "approximation is unreliable; Fisher's exact test is given too and is the one to read",
        "note": "Note", "expected_dir": "expected {d}", "moved_short": "moved {how}",
        "no_data": "no data",
    },
    "fr": {
        "title": "Expérience", "audience": "Audience", "change": "Changement", "dates": "Dates",
        "expected": "Attendu", "goes": "en", "down": "baisse", "up": "hausse",
        "before": "Avant", "after": "Après", "days": "Jours", "leads": "Leads décidés",
        "with_reason": "Avec une raison", "meetings": "RDV pris",
        "top_before": "Principales raisons avant", "top_after": "Principales raisons après",
        "not started": "pas commencée", "running": "en cours", "ended": "terminée",
        "z": "Test z de deux proportions", "z_undefined": "indéfini (part de 0 % ou 100 % des deux côtés)",
        "two_sided": "bilatéral", "fisher": "Test exact de Fisher",
        "as expected": "dans le sens attendu", "the other way": "dans le sens inverse",
        "moved": "{label} a bougé {how} ({b} → {a}) ; {verdict} au seuil de 5 %.",
        "no_change": "{label} : pas de changement ({a}).",
        "significant": "significatif", "not significant": "non significatif",
        "n_not_started": "commence le {start} : rien à comparer pour l'instant",
        "n_running": "en cours : la fenêtre après couvre {days} jours sur {total} ; la fenêtre avant a la même durée",
        "n_no_data": "aucune décision avec raison {which} le changement pour cette audience : pas de test",
        "n_small": "petits effectifs (plus petite case attendue {m:.1f} < 5) : l'approximation normale "
                   "du test z n'est pas fiable ; le test exact de Fisher est donné aussi, c'est lui qu'il faut lire",
        "note": "Note", "expected_dir": "attendu en {d}", "moved_short": "a bougé {how}",
        "no_data": "pas de données",
    },
}


def localized_notes(report: ExperimentReport, lang: str = "en") -> list[str]:
    """The report's notes in `lang` (derived from its figures, like `report.notes`)."""
    t = _E.get(lang, _E["en"])
    e = report.experiment
    if report.status == "not started":
        return [t["n_not_started"].format(start=e.start_on)]
    out = []
    if report.status == "running" and report.after:
        out.append(t["n_running"].format(days=report.after.days,
                                         total=(e.end_on - e.start_on).days + 1))
    if report.before and report.after and (not report.before.with_reason
                                           or not report.after.with_reason):
        which = "before" if not report.before.with_reason else "after"
        which = {"before": "avant", "after": "après"}[which] if lang == "fr" else which
        out.append(t["n_no_data"].format(which=which))
    if report.fisher_p is not None and report.ztest is not None:
        out.append(t["n_small"].format(m=report.ztest.min_expected))
    return out


def summary_line(report: ExperimentReport, taxonomy, lang: str = "en") -> str:
    """One line for the weekly review: name, audience, dates, expected reason before → after."""
    t = _E.get(lang, _E["en"])
    e = report.experiment
    label = taxonomy.reason_label(e.expects, lang)
    head = f"{e.name} [{e.audience_text}; {e.start_on} → {e.end_on}, {t[report.status]}]"
    if not report.before or not report.after or report.ztest is None:
        notes = localized_notes(report, lang)
        return f"{head}: {notes[-1] if notes else t['no_data']}"
    b, a = report.before, report.after
    test = (
        f"Fisher p = {_p(report.fisher_p)}" if report.fisher_p is not None
        else f"z p = {_p(report.ztest.p_value)}"
    )
    verdict = ""
    if report.p_value is not None:
        verdict = ", " + t["significant" if report.p_value < ALPHA else "not significant"]
    moved = t["moved_short"].format(how=t.get(report.moved or "", report.moved or "—"))
    return (
        f"{head}: {label} {_pct(b.share)} → {_pct(a.share)} "
        f"({b.expected}/{b.with_reason} → {a.expected}/{a.with_reason}), "
        f"{t['expected_dir'].format(d=t[e.direction])}, {moved}; {test}{verdict}"
    )


def render_experiment(report: ExperimentReport, taxonomy, lang: str = "en", fmt: str = "md") -> str:
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    t = _E.get(lang, _E["en"])
    e = report.experiment
    label = taxonomy.reason_label(e.expects, lang)
    lines = [
        f"# {t['title']}: {e.name}",
        "",
        f"- {t['audience']}: {e.audience_text}",
        f"- {t['change']}: {e.change}",
        f"- {t['dates']}: {e.start_on} → {e.end_on} ({t[report.status]})",
        f"- {t['expected']}: {label} ({e.expects}) {t['goes']} {t[e.direction]}",
        "",
    ]
    if report.before and report.after:
        b, a = report.before, report.after
        lines += [
            f"| | {t['before']} | {t['after']} |",
            "|---|---|---|",
            f"| {t['days']} | {b.first_day} → {b.last_day} | {a.first_day} → {a.last_day} |",
            f"| {t['leads']} | {b.leads} | {a.leads} |",
            f"| {t['with_reason']} | {b.with_reason} | {a.with_reason} |",
            f"| {label} | {b.expected} ({_pct(b.share)}) | {a.expected} ({_pct(a.share)}) |",
            f"| {t['meetings']} | {b.meetings} | {a.meetings} |",
            "",
        ]
        top_b = ", ".join(f"{taxonomy.reason_label(r.reason, lang)} {r.count}" for r in b.reasons[:3])
        top_a = ", ".join(f"{taxonomy.reason_label(r.reason, lang)} {r.count}" for r in a.reasons[:3])
        lines += [f"{t['top_before']}: {top_b or '—'}", f"{t['top_after']}: {top_a or '—'}", ""]
    z = report.ztest
    if z is not None:
        if z.z is None:
            lines.append(f"{t['z']}: {t['z_undefined']}")
        else:
            lines.append(f"{t['z']}: z = {z.z:+.2f}, p = {_p(z.p_value)} ({t['two_sided']})")
        if report.fisher_p is not None:
            lines.append(f"{t['fisher']}: p = {_p(report.fisher_p)} ({t['two_sided']})")
        if report.moved and report.moved != "no change" and report.p_value is not None:
            verdict = t["significant" if report.p_value < ALPHA else "not significant"]
            lines.append(t["moved"].format(label=label, how=t[report.moved],
                                           b=_pct(report.before.share),
                                           a=_pct(report.after.share), verdict=verdict))
        elif report.moved == "no change":
            lines.append(t["no_change"].format(label=label, a=_pct(report.after.share)))
        lines.append("")
    lines += [f"{t['note']}: {n}" for n in localized_notes(report, lang)]
    return "\n".join(lines).rstrip() + "\n"
