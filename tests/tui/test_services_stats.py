"""triage.session_stats: running reason counts per window, undo-aware, retired codes mapped."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from tests.conftest import NOW
from tests.tui.test_services_helpers import decide, lead
from triage.session_stats import ReasonCounts
from triage.store import Store

WED = NOW + timedelta(days=2)  # Wednesday 18 Nov 2026 09:00 UTC; week began Monday 00:00
SESSION = WED - timedelta(hours=2)


def at(hours_before_wed: float):
    return WED - timedelta(hours=hours_before_wed)


@pytest.fixture
def leads(store: Store) -> list[int]:
    return [lead(store, f"l{i}@acme.test") for i in range(12)]


def test_windows_session_today_week(store: Store, leads: list[int]) -> None:
    # session (last 2 h): timing + budget secondary, unknown, interested (no reason)
    decide(store, leads[0], "closed_lost", primary_reason="timing", secondary_reason="budget",
           at=at(1))
    decide(store, leads[1], "closed_lost", primary_reason="unknown", at=at(0.5))
    decide(store, leads[2], "interested", at=at(0.25))
    # today, before the session
    decide(store, leads[3], "disqualified", primary_reason="fit", at=at(5))
    # this week (Monday)
    decide(store, leads[4], "closed_lost", primary_reason="timing", at=at(40))
    # last week: not counted
    decide(store, leads[5], "closed_lost", primary_reason="budget", at=at(24 * 3))
    # another rep: not counted
    decide(store, leads[6], "closed_lost", primary_reason="competition", rep="marc", at=at(1))
    # calibration labels are not decisions of the day
    decide(store, leads[7], "closed_lost", primary_reason="competition", source="calibration",
           at=at(1))

    snap = ReasonCounts(store, "julie", SESSION, WED).snapshot()
    s, t, w = snap.session, snap.today, snap.week
    assert (s.total, t.total, w.total) == (3, 4, 5)
    assert s.primary["timing"] == 1 and s.primary["unknown"] == 1 and s.primary["budget"] == 0
    assert s.secondary["budget"] == 1
    assert t.primary["fit"] == 1 and s.primary["fit"] == 0
    assert w.primary["timing"] == 2 and w.primary.get("competition") == 0
    assert list(s.primary)[: len(store.taxonomy.reasons)] == [r.id for r in store.taxonomy.reasons]
    assert s.with_reason == 2 and s.unknown == 1
    assert s.unknown_share == pytest.approx(0.5) and snap.unknown_share == pytest.approx(0.5)
    assert w.unknown_share == pytest.approx(1 / 4)
    assert snap.decisions_per_hour == pytest.approx(3 / 2)
    assert w.top(2) == [("timing", 2), ("fit", 1)]
    assert snap.windows["today"] is t and s.decisions == 3


def test_undo_is_respected(store: Store, leads: list[int]) -> None:
    d1 = decide(store, leads[0], "closed_lost", primary_reason="timing", at=at(1))
    decide(store, leads[1], "closed_lost", primary_reason="budget", at=at(1))
    store.undo(d1, "julie", at=at(0.9))
    decide(store, leads[0], "closed_lost", primary_reason="fit", at=at(0.8))
    snap = ReasonCounts(store, "julie", SESSION, WED).snapshot()
    assert snap.session.total == 2
    assert snap.session.primary["timing"] == 0
    assert snap.session.primary["fit"] == 1 and snap.session.primary["budget"] == 1


def test_retired_codes_count_under_their_merge_target(store: Store, leads: list[int]) -> None:
    # an old decision recorded under taxonomy 2026.08, when "price" existed
    store.db.execute(
        """INSERT INTO decisions (lead_id, rep, decided_at, status, primary_reason,
               secondary_reason, taxonomy_version, source)
           VALUES (?, 'julie', ?, 'closed_lost', 'price', 'mystery', '2026.08', 'manual')""",
        (leads[0], at(1).isoformat()),
    )
    snap = ReasonCounts(store, "julie", SESSION, WED).snapshot()
    assert snap.session.primary["budget"] == 1 and "price" not in snap.session.primary
    assert snap.session.secondary["mystery"] == 1  # unknown to the taxonomy: kept, never dropped


def test_rate_waits_for_a_few_minutes_and_clock_is_accepted(store: Store, leads) -> None:
    decide(store, leads[0], "interested", at=WED - timedelta(minutes=1))
    counts = ReasonCounts(store, "julie", WED - timedelta(minutes=2), lambda: WED)
    snap = counts.snapshot()
    assert snap.session.total == 1 and snap.decisions_per_hour is None
    later = counts.snapshot(WED + timedelta(minutes=28))
    assert later.decisions_per_hour == pytest.approx(2.0)


def test_empty(store: Store) -> None:
    snap = ReasonCounts(store, "julie", SESSION, WED).snapshot()
    assert snap.session.total == 0 and snap.unknown_share == 0.0
    assert snap.decisions_per_hour == 0.0
    assert snap.week.top() == []


def test_the_rep_time_index_is_used(store: Store) -> None:
    plan = " ".join(
        str(r[-1]) for r in store.db.execute(
            """EXPLAIN QUERY PLAN SELECT d.decided_at FROM decisions d
               WHERE d.rep = 'x' AND d.decided_at >= '2026' AND d.decided_at <= '2027'
                 AND d.kind = 'decision' AND d.source != 'calibration'
                 AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes = d.id)""")
    )
    assert "decisions_rep_time" in plan and "decisions_undone" in plan


def test_today_starts_at_the_reps_midnight(store: Store, leads: list[int]) -> None:
    decide(store, leads[0], "interested", at=WED.replace(hour=0, minute=30))  # 00:30 UTC
    decide(store, leads[1], "interested", at=WED.replace(hour=8))
    paris = timezone(timedelta(hours=1))  # 00:30 UTC is 01:30 in Paris: today there too
    west = timezone(timedelta(hours=-2))  # 00:30 UTC is 22:30 the day before at UTC-2
    assert ReasonCounts(store, "julie", SESSION, WED).snapshot().today.total == 2
    assert ReasonCounts(store, "julie", SESSION, WED, tz=paris).snapshot().today.total == 2
    assert ReasonCounts(store, "julie", SESSION, WED, tz=west).snapshot().today.total == 1
