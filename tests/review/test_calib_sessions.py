"""Calibration sessions: picking leads, blind snapshots, labels that never touch decisions."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tests.review.test_calib_support import add_decided_lead, decisions_snapshot, populate
from triage.calibrate import (
    CalibrationError,
    add_label,
    create_session,
    items,
    labels,
    list_sessions,
    resolve_session,
    session_results,
)
from triage.calibrate.sessions import candidates, stratified_pick


def test_new_session_is_stratified_across_reasons(store):
    populate(store)
    s = create_session(store, size=6, seed=7, created_by="lead")
    picked = items(store, s.id)
    assert [it["position"] for it in picked] == [1, 2, 3, 4, 5, 6]
    # round-robin: the first six strata in taxonomy order, one lead each
    assert Counter(it["original_primary"] for it in picked) == Counter(
        ["timing", "fit", "budget", "decision_maker", "competition", None]
    )
    assert s.size == 6 and s.seed == 7 and s.origin == "local"


def test_size_larger_than_strata_takes_a_second_round(store):
    populate(store)
    s = create_session(store, size=8, seed=1)
    got = Counter(it["original_primary"] for it in items(store, s.id))
    assert sum(got.values()) == 8
    assert got["timing"] == 2 and got["fit"] == 2  # second round in taxonomy order


def test_same_seed_same_pick_and_order(store):
    populate(store)
    a = [it["lead_ref"] for it in items(store, create_session(store, size=5, seed=42).id)]
    rows = candidates(store)
    again = [r["lead_id"] for r in stratified_pick(rows, 5, 42, store.taxonomy)]
    assert a == again
    other = [r["lead_id"] for r in stratified_pick(rows, 5, 43, store.taxonomy)]
    assert sorted(other) != sorted(a) or other != a  # a different seed shuffles differently


def test_leads_not_calibrated_before_come_first(store):
    populate(store)
    first = {it["lead_ref"] for it in items(store, create_session(store, size=3, seed=3).id)}
    second = {it["lead_ref"] for it in items(store, create_session(store, size=3, seed=3).id)}
    assert not first & second


def test_only_effective_final_or_reasoned_decisions_count(store):
    lead = add_decided_lead(store, 1, None, "interested")  # active, no reason: not a candidate
    undone = add_decided_lead(store, 2, "budget", "closed_lost")
    store.undo(store.lead(undone)["last_decision_id"], rep="orig")
    add_decided_lead(store, 3, "fit", "disqualified")
    add_decided_lead(store, 4, None, "bounced")  # final without reason: a candidate
    assert [r["lead_id"] for r in candidates(store)] == [3, 4]
    assert lead == 1


def test_since_filters_by_decision_date(store):
    add_decided_lead(store, 1, "fit", "disqualified", days_ago=40)
    add_decided_lead(store, 2, "timing", "closed_lost", days_ago=5)
    add_decided_lead(store, 3, "budget", "closed_lost", days_ago=3)
    assert [r["lead_id"] for r in candidates(store, since=date(2026, 11, 1))] == [2, 3]
    with pytest.raises(CalibrationError, match="only 1 decided lead"):
        create_session(store, since=date(2026, 11, 12))


def test_bad_sizes_are_refused(store):
    populate(store)
    with pytest.raises(CalibrationError, match="between 2 and"):
        create_session(store, size=1)


def test_blind_view_has_thread_text_but_no_decision_or_classification(store):
    lead = add_decided_lead(store, 1, "timing", "closed_lost",
                            body="Locked into a contract until March. [b]bold[/b]")
    add_decided_lead(store, 2, "fit", "disqualified")
    store.add_classification(store.lead(lead)["last_inbound_pk"],
                             {"reply_class": "not_interested", "confidence": 0.9,
                              "reason": "timing"}, "test-1")
    s = create_session(store, size=2, seed=1)
    blind = next(it["blind"] for it in items(store, s.id) if it["lead_ref"] == lead)
    text = str(blind)
    assert "Locked into a contract until March. [b]bold[/b]" in blind["messages"][0]["body"]
    assert blind["lead"]["company"] == "Company 1"
    for leaked in ("closed_lost", "not_interested", "timing", "confidence", "status"):
        assert leaked not in text


def test_labels_are_per_rep_replaceable_and_never_touch_decisions(store):
    populate(store)
    before = decisions_snapshot(store)
    s = create_session(store, size=4, seed=5)
    lead = items(store, s.id)[0]["lead_ref"]
    add_label(store, s.id, "ana", "timing", lead=lead)
    add_label(store, s.id, "bo", "budget", "timing", lead=lead)
    add_label(store, s.id, "ana", "fit", position=1)  # ana changes her mind: one label
    got = [(r["rep"], r["primary_reason"], r["secondary_reason"]) for r in labels(store, s.id)]
    assert got == [("ana", "fit", None), ("bo", "budget", "timing")]
    assert decisions_snapshot(store) == before


@pytest.mark.parametrize(
    ("primary", "secondary", "message"),
    [("nope", None, "unknown primary reason 'nope'"),
     ("price", None, "retired; use 'budget'"),
     ("fit", "fit", "cannot be the same"),
     ("fit", "later", "unknown secondary")],
)
def test_bad_labels_are_refused(store, primary, secondary, message):
    populate(store)
    s = create_session(store, size=2, seed=1)
    with pytest.raises(CalibrationError, match=message):
        add_label(store, s.id, "ana", primary, secondary, position=1)
    with pytest.raises(CalibrationError, match="has no lead 999"):
        add_label(store, s.id, "ana", "fit", lead=999)
    with pytest.raises(CalibrationError, match="rep"):
        add_label(store, s.id, " ", "fit", position=1)
    assert labels(store, s.id) == []


def test_resolve_and_list_sessions(store):
    populate(store)
    s = create_session(store, size=3, seed=1, name="Day 4")
    add_label(store, s.id, "ana", "fit", position=1)
    assert resolve_session(store, str(s.id)) == s
    assert resolve_session(store, s.uid[:6]) == s
    assert resolve_session(store, "Day 4") == s
    with pytest.raises(CalibrationError, match="no calibration session 'zzz'"):
        resolve_session(store, "zzz")
    listed = list_sessions(store)
    assert listed[0]["name"] == "Day 4" and listed[0]["reps"] == {"ana": 1}
    assert listed[0]["size"] == 3


def test_results_with_three_reps(store):
    populate(store)
    s = create_session(store, size=4, seed=11)
    its = items(store, s.id)
    orig = [it["original_primary"] for it in its]
    # ana copies the original decisions; bo and cy differ on lead 1 (budget vs timing)
    plan = {
        "ana": orig,
        "bo": ["budget" if i == 0 else (o or "unknown") for i, o in enumerate(orig)],
        "cy": ["timing" if i == 0 else (o or "unknown") for i, o in enumerate(orig)],
    }
    for rep, codes in plan.items():
        for pos, code in enumerate(codes, start=1):
            if code:
                add_label(store, s.id, rep, code, position=pos)
    r = session_results(store, s.id)
    assert r.reps == ["ana", "bo", "cy"]
    assert len(r.pairs) == 3
    assert r.fleiss.value is not None
    assert r.vs_original[0].rep == "ana" and r.vs_original[0].share == 1.0
    assert r.confused and {r.confused[0].code_a, r.confused[0].code_b} >= {"budget"}
    assert r.confused[0].definition_a and r.confused[0].definition_b
    d = r.as_dict()
    assert d["fleiss"]["strength"] == r.fleiss.strength


def test_results_of_an_unlabelled_session_say_so(store):
    populate(store)
    s = create_session(store, size=3, seed=1)
    r = session_results(store, s.id)
    assert r.verdict == "not enough labels" and r.fleiss.value is None


def test_retired_original_codes_are_reported_under_their_new_code(store):
    add_decided_lead(store, 1, "fit", "disqualified")
    lead = add_decided_lead(store, 2, "budget", "closed_lost")
    s = create_session(store, size=2, seed=1)
    store.db.execute("UPDATE calibration_items SET original_primary = 'price' WHERE lead_ref = ?",
                     (lead,))
    r = session_results(store, s.id)
    assert {m.original for m in r.items} == {"fit", "budget"}


def test_two_reps_on_the_same_database_file_label_at_once(store, tmp_path, taxonomy, clock):
    """Reps sharing one SQLite file: each label is its own transaction, none is lost."""
    from triage.store import Store

    populate(store)
    s = create_session(store, size=4, seed=2)
    other = Store.open(tmp_path / "triage.db", taxonomy, clock)
    try:
        for pos in range(1, 5):
            add_label(store, s.id, "ana", "timing", position=pos)
            add_label(other, s.id, "bo", "fit", position=pos)
    finally:
        other.close()
    got = Counter((r["rep"], r["primary_reason"]) for r in labels(store, s.id))
    assert got == {("ana", "timing"): 4, ("bo", "fit"): 4}


def test_small_sessions_cover_the_most_used_reasons(store):
    # unknown is used most, then budget; timing once: a 2-lead session takes unknown + budget
    for i, reason in enumerate(["unknown"] * 3 + ["budget"] * 2 + ["timing"], start=1):
        add_decided_lead(store, i, reason, "closed_lost")
    s = create_session(store, size=2, seed=1)
    assert sorted(it["original_primary"] for it in items(store, s.id)) == ["budget", "unknown"]
