"""Experiments: validation, storage, before/after report with the right test."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from tests.review.test_report_weekly import build_fixture
from triage.cli import cli
from triage.experiments import (
    ExperimentError,
    add_experiment,
    experiment_report,
    get_experiment,
    list_experiments,
    parse_audience,
    render_experiment,
    validate,
)
from triage.store import DecisionIn, Store

GOOD = dict(
    name="ROI line",
    audience="channel=cold_email,persona=CFO",
    changes=["add a one-line ROI comparison to email 2"],
    start="2026-11-09",
    end="2026-11-15",
    expects="timing",
)


def add(store, **over):
    args = {**GOOD, **over}
    exp, warnings = validate(store, **args)
    return add_experiment(store, exp, created_by="lead"), warnings


def test_parse_audience():
    assert parse_audience("channel=cold_email, persona=CFO|VP Finance") == {
        "channel": ["cold_email"],
        "persona": ["CFO", "VP Finance"],
    }
    assert parse_audience("Company-Size=51-200") == {"company_size": ["51-200"]}


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("chanel=cold_email", "does not exist"),
        ("channel", "expected field=value"),
        ("channel=", "has no value"),
        ("channel=a,channel=b", "given twice"),
    ],
)
def test_bad_audience(text, message):
    with pytest.raises(ExperimentError, match=message):
        parse_audience(text)


@pytest.mark.parametrize(
    "over, message",
    [
        ({"expects": "speed"}, "unknown reason 'speed'"),
        ({"expects": "price"}, "retired; use 'budget'"),
        ({"start": "2026-11-15", "end": "2026-11-09"}, "before --start"),
        ({"start": "15/11/2026"}, "not a date"),
        ({"changes": ["new subject line", "new offer"]}, "one change per experiment"),
        ({"changes": ["new subject\nand new offer"]}, "one line"),
        ({"changes": []}, "--change"),
        ({"name": "  "}, "--name"),
    ],
)
def test_validation_errors(store, over, message):
    with pytest.raises(ExperimentError, match=message):
        validate(store, **{**GOOD, **over})


def test_add_list_get_and_duplicate(store):
    build_fixture(store)
    exp, warnings = add(store)
    assert warnings == []
    assert exp.id and exp.created_by == "lead"
    assert [e.name for e in list_experiments(store)] == ["ROI line"]
    got = get_experiment(store, "roi line")  # names are case-insensitive
    assert got.audience == {"channel": ["cold_email"], "persona": ["CFO"]}
    assert got.start_on == date(2026, 11, 9)
    with pytest.raises(ExperimentError, match="already exists"):
        add(store)


def test_warnings_for_unmatched_audience_and_overlap(store):
    build_fixture(store)
    add(store)
    _, warnings = add(store, name="other", audience="channel=cold-email|cold_email,persona=cfo")
    assert any("overlaps experiment 'ROI line'" in w for w in warnings)
    _, warnings = add(store, name="typo", audience="channel=cold-email")
    assert warnings and "no lead has channel=cold-email" in warnings[0]
    assert "known: cold_email, inbound, referral" in warnings[0]


def test_report_small_counts_uses_fisher(store):
    build_fixture(store)
    exp, _ = add(store)
    r = experiment_report(store, exp, today=date(2026, 11, 16))
    assert r.status == "ended"
    # cold_email + CFO leads: before (2-8 Nov) 30 timing, 38 fit, 40 not_interested;
    # after (9-15 Nov) 1, 2, 3 timing, 14 unknown, 17 interested (no reason)
    assert (r.before.first_day, r.before.last_day) == (date(2026, 11, 2), date(2026, 11, 8))
    assert (r.before.with_reason, r.before.expected) == (3, 1)
    assert (r.after.leads, r.after.with_reason, r.after.expected) == (5, 4, 3)
    assert r.after.share == pytest.approx(0.75)
    assert r.ztest.z == pytest.approx(1.1023964, abs=1e-6)
    assert r.ztest.p_value == pytest.approx(0.2702894, abs=1e-6)
    assert not r.ztest.approximation_ok
    assert r.fisher_p == pytest.approx(0.4857143, abs=1e-6)  # scipy fisher_exact([[3,1],[1,2]])
    assert r.moved == "the other way"  # expected timing to go down
    md = render_experiment(r, store.taxonomy)
    assert "Fisher's exact test: p = 0.486" in md
    assert "small counts" in md
    assert "| Timing | 1 (33.3 %) | 3 (75.0 %) |" in md
    assert "moved the other way" in md and "not significant" in md
    fr = render_experiment(r, store.taxonomy, "fr")
    assert "# Expérience: ROI line" in fr and "Test exact de Fisher: p = 0.486" in fr
    assert "petits effectifs" in fr and "dans le sens inverse" in fr and "non significatif" in fr


def _decide_many(store, n, reason_of, day):
    for i in range(n):
        lead_id, _ = store.upsert_lead(
            {"email": f"{day.isoformat()}-{i}@x.test", "channel": "cold_email", "persona": "CFO"}
        )
        when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=i)
        store.record_decision(
            DecisionIn(lead_id=lead_id, rep="a", status="closed_lost", primary_reason=reason_of(i)),
            at=when,
        )


def test_report_large_counts_ztest_only(store):
    _decide_many(store, 100, lambda i: "timing" if i < 40 else "budget", date(2026, 10, 28))
    _decide_many(store, 100, lambda i: "timing" if i < 20 else "fit", date(2026, 11, 3))
    exp, _ = add(store, start="2026-11-01", end="2026-11-07")
    r = experiment_report(store, exp, today=date(2026, 11, 16))
    assert (r.before.expected, r.before.with_reason) == (40, 100)
    assert (r.after.expected, r.after.with_reason) == (20, 100)
    assert r.ztest.z == pytest.approx(-3.086067, abs=1e-6)
    assert r.ztest.p_value == pytest.approx(0.0020282, abs=1e-6)
    assert r.ztest.approximation_ok and r.fisher_p is None
    assert r.moved == "as expected"
    md = render_experiment(r, store.taxonomy)
    assert "z = -3.09, p = 0.002" in md and "significant at 5 %" in md
    assert "Fisher" not in md


def test_running_and_not_started(store):
    build_fixture(store)
    exp, _ = add(store, end="2026-11-30")
    r = experiment_report(store, exp, today=date(2026, 11, 12))
    assert r.status == "running"
    assert (r.after.first_day, r.after.last_day) == (date(2026, 11, 9), date(2026, 11, 12))
    assert (r.before.first_day, r.before.last_day) == (date(2026, 11, 5), date(2026, 11, 8))
    assert any("4 of 22 days" in n for n in r.notes)
    later, _ = add(store, name="later", start="2026-12-01", end="2026-12-14")
    r = experiment_report(store, later, today=date(2026, 11, 16))
    assert r.status == "not started" and r.ztest is None
    assert "nothing to compare yet" in render_experiment(r, store.taxonomy)


def test_no_data_before(store):
    build_fixture(store)
    exp, _ = add(store, audience="channel=inbound", start="2026-11-09")
    # inbound before (2-8 Nov): 31 timing, 35 budget, 41 not_interested -> has data
    assert experiment_report(store, exp, today=date(2026, 11, 16)).ztest is not None
    exp2, _ = add(store, name="q3", start="2026-10-01", end="2026-10-07")
    r = experiment_report(store, exp2, today=date(2026, 11, 16))
    assert r.ztest is None and any("no test" in n for n in r.notes)


# -- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path, taxonomy, clock):
    path = tmp_path / "triage.db"
    with Store.open(path, taxonomy, clock) as s:
        build_fixture(s)
    return path


def cli_run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "experiment", *args])


def test_cli_add_list_report(db):
    r = cli_run(db, "add", "--name", "ROI line", "--audience", "channel=cold_email,persona=CFO",
                "--change", "ROI line in email 2", "--start", "2026-11-09", "--end", "2026-11-15",
                "--expects", "timing")
    assert r.exit_code == 0, r.output
    assert "logged experiment 'ROI line'" in r.output
    r = cli_run(db, "list")
    assert "ROI line  2026-11-09 → 2026-11-15  [channel=cold_email,persona=CFO]" in r.output
    data = json.loads(cli_run(db, "list", "--format", "json").output)
    assert data[0]["expects"] == "timing"
    r = cli_run(db, "report", "ROI line")
    assert r.exit_code == 0
    assert "# Experiment: ROI line" in r.output and "Two-proportion z-test" in r.output
    data = json.loads(cli_run(db, "report", "ROI line", "--format", "json").output)
    assert data["before"]["expected"] == 1 and data["after"]["expected"] == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["--change", "a", "--change", "b"], "one change per experiment"),
        (["--expects", "nope"], "unknown reason 'nope'"),
        (["--audience", "segment=smb"], "audience field 'segment' does not exist"),
        (["--end", "2026-11-01"], "is before --start"),
    ],
)
def test_cli_add_errors(db, args, message):
    base = {"--name": "x", "--audience": "channel=inbound", "--change": "c",
            "--start": "2026-11-09", "--end": "2026-11-15", "--expects": "timing"}
    given = dict(zip(args[::2], args[1::2]))
    argv = ["add"]
    for k, v in base.items():
        if k not in given:
            argv += [k, v]
    argv += args
    r = cli_run(db, *argv)
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output


def test_cli_report_unknown_name(db):
    r = cli_run(db, "report", "nope")
    assert r.exit_code == 2 and "no experiment named 'nope'" in r.output
