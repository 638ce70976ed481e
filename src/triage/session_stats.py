"""Running reason counts for the side panel: this session, today, this week.

Counts only *effective* decisions (not undo events, not undone), of one rep, outside
calibration sessions. Codes recorded under an older taxonomy are counted under the code they
were merged into (``taxonomy.canonical_reason``). One indexed range read on
``decisions(rep, decided_at)`` for the widest window; the rest is counted in Python.

"Unknown share" = decisions whose primary reason is Unknown / decisions with a primary reason
(a status without a reason, e.g. "interested", is not a vote for Unknown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from triage.store import Store
from triage.timeutil import iso

UNKNOWN = "unknown"
WINDOWS = ("session", "today", "week")
#: Below this much elapsed time the hourly rate is not shown (None): 2 decisions in 30 s is
#: not "240 per hour".
MIN_RATE_SECONDS = 5 * 60


@dataclass(frozen=True)
class WindowCounts:
    name: str
    since: datetime
    #: reason id -> count, every active reason in taxonomy order (zeros included), then any
    #: code the taxonomy does not know
    primary: dict[str, int] = field(default_factory=dict)
    secondary: dict[str, int] = field(default_factory=dict)
    #: effective decisions in the window
    total: int = 0
    #: of which with a primary reason
    with_reason: int = 0
    unknown: int = 0

    @property
    def decisions(self) -> int:
        return self.total

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.with_reason if self.with_reason else 0.0

    def top(self, n: int = 3, secondary: bool = False) -> list[tuple[str, int]]:
        counts = self.secondary if secondary else self.primary
        ranked = sorted(
            ((k, v) for k, v in counts.items() if v), key=lambda kv: -kv[1]
        )  # stable: ties keep taxonomy order
        return ranked[:n]


@dataclass(frozen=True)
class StatsSnapshot:
    session: WindowCounts
    today: WindowCounts
    week: WindowCounts
    #: effective decisions of the session per hour (None during the first minutes)
    decisions_per_hour: float | None
    now: datetime

    @property
    def windows(self) -> dict[str, WindowCounts]:
        return {"session": self.session, "today": self.today, "week": self.week}

    @property
    def unknown_share(self) -> float:
        """The session's Unknown share (the number the method asks to watch)."""
        return self.session.unknown_share

    @property
    def total(self) -> int:
        return self.session.total


class ReasonCounts:
    """``ReasonCounts(store, rep, session_started_at, now).snapshot()``.

    `now` may be a datetime or a clock (called at each snapshot). Windows start at the session
    start, at midnight of `now`'s day and at Monday 00:00 of its week, in `tz` (default: `now`'s
    own timezone; pass the rep's local zone so "today" starts at their midnight).
    """

    def __init__(
        self,
        store: Store,
        rep: str,
        session_started_at: datetime,
        now: datetime | Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.rep = rep
        self.session_started_at = session_started_at
        self._now = now if now is not None else store.clock
        self.tz = tz

    def snapshot(self, now: datetime | None = None) -> StatsSnapshot:
        if now is None:
            now = self._now() if callable(self._now) else self._now
        local = now.astimezone(self.tz) if self.tz is not None else now
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        starts = {
            "session": self.session_started_at,
            "today": day,
            "week": day - timedelta(days=local.weekday()),
        }
        since = {w: iso(t) for w, t in starts.items()}
        rows = self.store.db.execute(
            """SELECT d.decided_at, d.primary_reason, d.secondary_reason
               FROM decisions d
               WHERE d.rep = ? AND d.decided_at >= ? AND d.decided_at <= ?
                 AND d.kind = 'decision' AND d.source != 'calibration'
                 AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes = d.id)""",
            (self.rep, min(since.values()), iso(now)),
        ).fetchall()
        canonical = self.store.taxonomy.canonical_reason
        tallies = {w: [Counter(), Counter(), 0, 0] for w in WINDOWS}
        for decided_at, primary, secondary in rows:
            p, s = canonical(primary), canonical(secondary)
            for w in WINDOWS:
                if decided_at >= since[w]:
                    t = tallies[w]
                    t[2] += 1
                    if p:
                        t[0][p] += 1
                        t[3] += 1
                    if s:
                        t[1][s] += 1
        order = [r.id for r in self.store.taxonomy.reasons]
        windows = {}
        for w in WINDOWS:
            prim, sec, total, with_reason = tallies[w]
            windows[w] = WindowCounts(
                name=w,
                since=starts[w],
                primary=_ordered(prim, order),
                secondary=_ordered(sec, order),
                total=total,
                with_reason=with_reason,
                unknown=prim.get(UNKNOWN, 0),
            )
        elapsed = (now - self.session_started_at).total_seconds()
        rate = None
        if elapsed >= MIN_RATE_SECONDS:
            rate = windows["session"].total * 3600.0 / elapsed
        return StatsSnapshot(
            session=windows["session"], today=windows["today"], week=windows["week"],
            decisions_per_hour=rate, now=now,
        )


def _ordered(counts: Counter, order: list[str]) -> dict[str, int]:
    out = {code: counts.get(code, 0) for code in order}
    for code in sorted(counts):
        if code not in out:
            out[code] = counts[code]
    return out


__all__ = ["ReasonCounts", "StatsSnapshot", "WindowCounts"]
