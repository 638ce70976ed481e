"""Weekly review figures on a hand-built fixture (every number below is counted by hand).

Week under review: 2026-W46 (Mon 9 – Sun 15 Nov 2026); the clock says Mon 16 Nov 09:00 UTC,
so W46 is also the default "last complete week". Previous week: 2026-W45.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from triage.report import Thresholds, Week, last_complete_week, render, weekly_report
from triage.store import DecisionIn, Store

CE_CFO = {"channel": "cold_email", "persona": "CFO", "industry": "SaaS", "company_size": "51-200"}
CE_OPS = {"channel": "cold_email", "persona": "Head of Ops", "industry": "Manufacturing",
          "company_size": "201-1000"}
IN = {"channel": "inbound", "persona": "CFO", "industry": "SaaS", "company_size": "11-50"}
REF = {"channel": "referral", "persona": "Head of Ops", "industry": "Retail",
       "company_size": "51-200"}
NONE: dict = {}


def at(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


# lead number -> (profile, [(rep, when, status, reason)]) ; reason "price" is a retired code
W46 = {
    1: (CE_CFO, [("alice", at(10), "closed_lost", "timing")]),
    2: (CE_CFO, [("alice", at(10), "closed_lost", "timing")]),
    3: (CE_CFO, [("alice", at(10), "interested", None), ("alice", at(12), "closed_lost", "timing")]),
    4: (CE_OPS, [("bob", at(11), "closed_lost", "timing")]),
    5: (IN, [("alice", at(11), "closed_lost", "timing")]),
    6: (IN, [("alice", at(15, 23, 59, 59), "nurturing", "timing")]),
    7: (CE_OPS, [("alice", at(12), "closed_lost", "budget")]),
    8: (CE_OPS, [("alice", at(12), "closed_lost", "budget")]),
    9: (REF, [("bob", at(12), "closed_lost", "price")]),
    10: (IN, [("alice", at(13), "closed_lost", "budget")]),
    11: (REF, [("alice", at(10), "closed_lost", "budget"), ("alice", at(13), "disqualified", "fit")]),
    12: (REF, [("bob", at(13), "disqualified", "fit")]),
    13: (NONE, [("alice", at(13), "disqualified", "fit")]),
    14: (CE_CFO, [("bob", at(14), "no_response", "unknown")]),
    15: (CE_OPS, [("bob", at(14), "no_response", "unknown")]),
    16: (IN, [("alice", at(14), "closed_lost", "competition")]),
    17: (CE_CFO, [("alice", at(14), "interested", None)]),
    18: (IN, [("bob", at(14), "interested", None)]),
    19: (REF, [("alice", at(9, 0, 0, 0), "interested", None), ("alice", at(11), "meeting_booked", None)]),
    # 20: decided then undone -> not counted anywhere
    20: (CE_CFO, [("bob", at(12), "closed_lost", "not_interested")]),
    # 21: next week (W47) -> not in W46
    21: (CE_CFO, [("alice", at(16, 0, 0, 0), "closed_lost", "timing")]),
}
W45 = {
    30: (CE_CFO, [("alice", at(3), "closed_lost", "timing")]),
    31: (IN, [("alice", at(3), "closed_lost", "timing")]),
    32: (CE_OPS, [("bob", at(4), "closed_lost", "budget")]),
    33: (CE_OPS, [("bob", at(4), "closed_lost", "budget")]),
    34: (REF, [("alice", at(4), "closed_lost", "budget")]),
    35: (IN, [("alice", at(5), "closed_lost", "budget")]),
    36: (REF, [("alice", at(5), "disqualified", "fit")]),
    37: (REF, [("bob", at(5), "disqualified", "fit")]),
    38: (CE_CFO, [("alice", at(6), "disqualified", "fit")]),
    39: (CE_OPS, [("alice", at(6), "disqualified", "fit")]),
    40: (CE_CFO, [("bob", at(6), "closed_lost", "not_interested")]),
    41: (IN, [("bob", at(8, 23, 59, 59), "closed_lost", "not_interested")]),
}


def build_fixture(store: Store) -> dict[int, int]:
    """Create the leads and decisions above; returns lead number -> lead id."""
    ids: dict[int, int] = {}
    for number, (profile, decisions) in {**W45, **W46}.items():
        lead_id, _ = store.upsert_lead({"email": f"lead{number}@example.com", **profile})
        ids[number] = lead_id
        for rep, when, status, reason in decisions:
            if reason == "price":  # an old decision made under a retired code (as imported)
                with store.write():
                    store.db.execute(
                        """INSERT INTO decisions (lead_id, rep, decided_at, status,
                               primary_reason, taxonomy_version, source)
                           VALUES (?, ?, ?, ?, 'price', '2026.09', 'import')""",
                        (lead_id, rep, when.isoformat(timespec="seconds"), status),
                    )
                continue
            did = store.record_decision(
                DecisionIn(lead_id=lead_id, rep=rep, status=status, primary_reason=reason), at=when
            )
            if number == 20:
                store.undo(did, "bob", at=at(12, 11))
    return ids


@pytest.fixture
def report(store):
    build_fixture(store)
    return weekly_report(store, Week(2026, 46))


def test_default_week_is_last_complete(clock):
    assert last_complete_week(clock()) == Week(2026, 46)
    assert last_complete_week(datetime(2026, 11, 15, 23, 59, tzinfo=UTC)) == Week(2026, 45)


def test_totals_and_top3(report):
    assert report.decisions == 22  # every effective decision; the undone one is out
    assert report.leads == 19
    assert report.with_reason == 16
    assert [(r.reason, r.count) for r in report.top] == [("timing", 6), ("budget", 4), ("fit", 3)]
    assert [r.share for r in report.top] == pytest.approx([6 / 16, 4 / 16, 3 / 16])
    assert [(r.reason, r.count) for r in report.reasons[3:]] == [("unknown", 2), ("competition", 1)]


def test_retired_code_counted_under_merged_code(report):
    budget = next(r for r in report.reasons if r.reason == "budget")
    assert budget.count == 4  # 7, 8, 10 and the retired "price" on lead 9
    assert all(r.reason != "price" for r in report.reasons)


def test_undone_and_redecided_leads(report):
    assert all(r.reason != "not_interested" for r in report.reasons)  # lead 20 was undone
    # lead 11 went budget -> fit: counted once, as fit
    assert next(r for r in report.reasons if r.reason == "fit").count == 3


def test_by_channel(report):
    got = {s.value: (s.leads, s.with_reason, [(r.reason, r.count) for r in s.top])
           for s in report.by_channel}
    assert got == {
        "cold_email": (9, 8, [("timing", 4), ("budget", 2), ("unknown", 2)]),
        "inbound": (5, 4, [("timing", 2), ("budget", 1), ("competition", 1)]),
        "referral": (4, 3, [("fit", 2), ("budget", 1)]),
        None: (1, 1, [("fit", 1)]),
    }
    assert [s.value for s in report.by_channel] == ["cold_email", "inbound", "referral", None]
    assert report.by_channel[0].top[0].share == pytest.approx(0.5)


def test_by_segment(report):
    persona = {s.value: [(r.reason, r.count) for r in s.top] for s in report.by_segment["persona"]}
    assert persona["CFO"] == [("timing", 5), ("budget", 1), ("competition", 1)]
    assert persona["Head of Ops"] == [("budget", 3), ("fit", 2), ("timing", 1)]
    size = {s.value: s.with_reason for s in report.by_segment["company_size"]}
    assert size == {"51-200": 7, "201-1000": 4, "11-50": 4, None: 1}
    assert set(report.by_segment) == {"persona", "industry", "company_size"}


def test_change_vs_previous_week(report):
    c = report.change
    assert c.previous_week == "2026-W45"
    assert c.previous_with_reason == 12  # includes Sun 8 Nov 23:59:59
    assert [(r.reason, r.count) for r in c.new] == [("unknown", 2), ("competition", 1)]
    assert [s.reason for s in c.spikes] == ["timing"]
    spike = c.spikes[0]
    assert (spike.previous_count, spike.count) == (2, 6)
    assert spike.points == pytest.approx(100 * (6 / 16 - 2 / 12), abs=0.05)  # +20.8
    assert spike.ratio == pytest.approx(2.25)
    assert [(r.reason, r.count) for r in c.gone] == [("not_interested", 2)]


def test_spikes_inside_segments(report):
    # persona CFO: Timing 2/6 (30, 31 of 35, 38, 40, 41) -> 5/8; SaaS is the same leads;
    # cold_email Timing 4/8 is below the minimum count of 5
    got = [(g.field, g.value, g.spike.reason, g.spike.previous_count, g.spike.count)
           for g in report.change.segment_spikes]
    assert got == [("persona", "CFO", "timing", 2, 5), ("industry", "SaaS", "timing", 2, 5)]
    assert report.change.segment_spikes[0].spike.points == pytest.approx(29.2, abs=0.05)


def test_spike_thresholds_are_parameters(store):
    build_fixture(store)
    strict = weekly_report(store, Week(2026, 46), Thresholds(spike_min_count=7))
    assert strict.change.spikes == []
    loose = weekly_report(store, Week(2026, 46), Thresholds(spike_points=50, spike_ratio=2.0))
    assert [s.reason for s in loose.change.spikes] == ["timing"]  # by ratio alone (x2.25)
    neither = weekly_report(store, Week(2026, 46), Thresholds(spike_points=50, spike_ratio=3))
    assert neither.change.spikes == []


def test_unknown_share_per_rep(report):
    reps = {r.rep: r for r in report.reps}
    assert (reps["bob"].with_reason, reps["bob"].unknown) == (5, 2)
    assert reps["bob"].unknown_share == pytest.approx(0.4)
    assert reps["bob"].flagged
    assert reps["alice"].unknown == 0 and not reps["alice"].flagged


def test_unknown_threshold_parameter(store):
    build_fixture(store)
    r = weekly_report(store, Week(2026, 46), Thresholds(unknown_share=0.4))
    assert not any(rep.flagged for rep in r.reps)  # 40 % is not *above* 40 %


def test_decisions_per_rep(report):
    assert [(r.rep, r.decisions, r.leads) for r in report.reps] == [
        ("alice", 16, 13),
        ("bob", 6, 6),
    ]


def test_funnel(report):
    funnel = {f.status: f.leads for f in report.funnel}
    assert funnel == {
        "interested": 4, "in_discussion": 0, "meeting_booked": 1, "nurturing": 1,
        "waiting": 0, "disqualified": 3, "closed_lost": 11, "unsubscribed": 0, "bounced": 0,
        "no_response": 2,
    }
    assert [f.status for f in report.funnel][:3] == ["interested", "in_discussion", "meeting_booked"]


def test_empty_week(store):
    build_fixture(store)
    r = weekly_report(store, Week(2026, 40))
    assert r.empty and r.leads == 0 and r.top == []
    for fmt in ("md", "text"):
        assert "No decisions in 2026-W40" in render(r, fmt, store.taxonomy)
    assert '"empty": true' in render(r, "json", store.taxonomy)


def test_previous_week_empty_means_no_comparison(store):
    build_fixture(store)
    r = weekly_report(store, Week(2026, 45))
    assert r.change.new == [] and r.change.spikes == []
    assert "nothing to compare" in render(r, "md", store.taxonomy)


def test_markdown_contains_the_figures(report, taxonomy):
    md = render(report, "md", taxonomy)
    assert "| Timing | 6 | 37.5 % |" in md
    assert "| cold_email | 8 | Timing 4 (50.0 %) | Budget 2 (25.0 %) | Unknown 2 (25.0 %) |" in md
    assert "Timing 16.7 % → 37.5 % (+20.8 pts, ×2.2; 2 → 6)" in md
    assert "| bob | 5 | 2 | 40.0 % | FLAG |" in md
    assert "Is it mostly timing, budget or fit?" in md


def test_french_labels(report, taxonomy):
    md = render(report, "md", taxonomy, "fr")
    assert "Revue hebdomadaire" in md and "Adéquation" in md and "ALERTE" in md


def test_experiments_running_in_the_week(store):
    from triage.experiments import add_experiment, validate

    build_fixture(store)
    for name, start, end in (("ROI line", "2026-11-09", "2026-11-29"),
                             ("old", "2026-10-01", "2026-10-14")):
        exp, _ = validate(store, name, "channel=cold_email,persona=CFO", ["c"], start, end, "timing")
        add_experiment(store, exp)
    r = weekly_report(store, Week(2026, 46))
    assert [e.experiment.name for e in r.experiments] == ["ROI line"]
    e = r.experiments[0]
    # measured up to the end of the reviewed week (Sun 15 Nov), before = the 7 days before
    assert (e.after.last_day.isoformat(), e.before.first_day.isoformat()) == ("2026-11-15", "2026-11-02")
    md = render(r, "md", store.taxonomy)
    assert "## Experiments running this week" in md
    assert ("- ROI line [channel=cold_email,persona=CFO; 2026-11-09 → 2026-11-29, running]: "
            "Timing 33.3 % → 75.0 % (1/3 → 3/4), expected down, moved the other way; "
            "Fisher p = 0.486, not significant") in md
    assert render(r, "json", store.taxonomy).count('"name": "ROI line"') == 1
