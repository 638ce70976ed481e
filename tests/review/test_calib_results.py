"""Session results against hand-computed figures, and the text/Markdown/JSON reports."""

from __future__ import annotations

import json

import pytest

from tests.review.test_calib_support import populate
from triage.calibrate import add_label, create_session, items, session_results
from triage.calibrate.render import render_json, render_md, render_text


@pytest.fixture
def labelled(store):
    populate(store)
    s = create_session(store, size=4, seed=2, name="Day 4")
    # ana: timing fit budget timing / bo: timing fit timing budget
    for pos, (a, b) in enumerate(
        [("timing", "timing"), ("fit", "fit"), ("budget", "timing"), ("timing", "budget")],
        start=1,
    ):
        add_label(store, s.id, "ana", a, position=pos)
        add_label(store, s.id, "bo", b, "fit" if pos == 3 else None, position=pos)
    return store, s


def test_hand_computed_two_rep_session(labelled):
    store, s = labelled
    r = session_results(store, s.id)
    # 2 of 4 leads agree; both reps: timing 2, fit 1, budget 1 of 4
    # p_e = (2*2 + 1*1 + 1*1) / 16 = 0.375; kappa = (0.5 - 0.375) / 0.625 = 0.2
    assert r.percent_agreement == pytest.approx(0.5)
    assert (r.unanimous, r.compared) == (2, 4)
    assert r.pairs[0].kappa.value == pytest.approx(0.2)
    # Fleiss with two raters pools the shares: timing 4/8, fit 2/8, budget 2/8 -> same p_e
    assert r.fleiss.value == pytest.approx(0.2)
    assert r.fleiss.strength == "slight"
    [pair] = r.confused
    assert (pair.code_a, pair.code_b, pair.leads, pair.positions) == ("budget", "timing", 2, [3, 4])
    assert pair.action == "rewrite"
    assert pair.definition_a.startswith("They cannot spend")
    assert pair.definition_b.startswith("They like the idea")
    assert r.verdict == "rewrite"
    assert any("Rewrite Budget vs Timing" in c for c in r.conclusions)
    assert r.items[2].secondary == {"ana": None, "bo": "fit"}
    originals = [it["original_primary"] for it in items(store, s.id)]
    ana = sum(1 for o, a in zip(originals, ["timing", "fit", "budget", "timing"]) if o == a)
    assert r.vs_original[0].agreed == ana


def test_good_agreement_verdict(store):
    populate(store)
    s = create_session(store, size=6, seed=4)
    for it in items(store, s.id):
        code = it["original_primary"] or "unknown"
        for rep in ("ana", "bo", "cy"):
            add_label(store, s.id, rep, code, position=it["position"])
    r = session_results(store, s.id)
    assert r.fleiss.value == pytest.approx(1.0) and r.percent_agreement == 1.0
    assert r.verdict == "good" and r.confused == []
    assert all(o.share == 1.0 for o in r.vs_original)
    assert r.unknown_uses == {"ana": 1, "bo": 1, "cy": 1}


def test_everyone_picks_one_code_kappa_undefined(store):
    populate(store)
    s = create_session(store, size=3, seed=4)
    for pos in (1, 2, 3):
        for rep in ("ana", "bo"):
            add_label(store, s.id, rep, "timing", position=pos)
    r = session_results(store, s.id)
    assert r.fleiss.value is None and r.percent_agreement == 1.0
    assert "undefined" in render_text(r)


def test_reports_in_three_formats(labelled):
    store, s = labelled
    r = session_results(store, s.id)
    text = render_text(r)
    assert "Fleiss' kappa (all reps): 0.20 (slight" in text
    assert "ana / bo: 0.20" in text
    assert "Budget vs Timing: 2 lead(s)" in text and "They cannot spend" in text
    assert "Thresholds: good: Fleiss' kappa >= 0.61" in text
    md = render_md(r)
    assert "| # | lead | ana | bo | original |" in md
    assert "### Budget vs Timing — 2 lead(s), rewrite" in md
    assert "| Timing (+Fit) |" in md and "| Budget | Timing (+Fit) |" in md
    data = json.loads(render_json(r))
    assert data["fleiss"]["value"] == pytest.approx(0.2)
    assert data["confused"][0]["code_b"] == "timing"
    assert data["verdict"] == "rewrite"


def test_french_definitions(labelled):
    store, s = labelled
    r = session_results(store, s.id, lang="fr")
    assert r.confused[0].definition_b.startswith("L'idée plaît")


def test_per_code_agreement(labelled):
    store, s = labelled
    r = session_results(store, s.id)
    codes = {c.code: c for c in r.codes}
    # timing: 4 labels; items 1 (t,t) and 3,4 (t vs b): agreeing ordered pairs 2 of 4
    assert codes["timing"].labels == 4 and codes["timing"].specific == pytest.approx(0.5)
    assert codes["fit"].specific == 1.0 and codes["budget"].specific == 0.0
    assert "Per code" in render_text(r) and "| code | labels | kappa | others agree |" in render_md(r)


def test_conclusions_in_french(labelled):
    store, s = labelled
    r = session_results(store, s.id, lang="fr")
    assert r.verdict == "rewrite"
    assert r.conclusions[0].startswith("Accord faible (kappa de Fleiss 0,20, léger)")
    assert "Réécrire Budget / Timing" in r.conclusions[1]
