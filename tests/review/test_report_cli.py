"""`triage report`: formats, --out, default week, clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.review.test_report_weekly import build_fixture
from triage.cli import cli
from triage.store import Store


@pytest.fixture
def db(tmp_path, taxonomy, clock, monkeypatch):
    path = tmp_path / "triage.db"
    with Store.open(path, taxonomy, clock) as s:
        build_fixture(s)
    # the CLI opens the store with the real clock: the week is always given explicitly below,
    # except in the default-week test which pins the clock
    monkeypatch.setenv("TRIAGE_LANGUAGE", "en")
    return path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_markdown_to_stdout(db):
    r = run("--db", str(db), "report", "--week", "2026-W46")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# Weekly review — 2026-W46")
    assert "| Timing | 6 | 37.5 % |" in r.output


def test_json_format(db):
    r = run("--db", str(db), "report", "--week", "2026-w46", "--format", "json")
    data = json.loads(r.output)
    assert data["week"] == {"label": "2026-W46", "start": "2026-11-09", "end": "2026-11-15"}
    assert [(t["reason"], t["count"]) for t in data["top"]] == [
        ("timing", 6), ("budget", 4), ("fit", 3)
    ]
    assert data["change"]["spikes"][0]["reason"] == "timing"
    assert data["labels"]["fit"] == "Fit"
    assert {r["rep"]: r["unknown_share"] for r in data["reps"]} == {"alice": 0.0, "bob": 0.4}


def test_text_format_and_out_file(db, tmp_path):
    out = tmp_path / "reports" / "w46.txt"
    r = run("--db", str(db), "report", "--week", "2026-W46", "--format", "text", "--out", str(out))
    assert r.exit_code == 0
    assert "wrote" in r.output and "19 leads" in r.output
    assert out.read_text(encoding="utf-8").startswith("Weekly review — 2026-W46")


def test_thresholds_options(db):
    r = run("--db", str(db), "report", "--week", "2026-W46", "--unknown-threshold", "50",
            "--spike-min-count", "7")
    assert "FLAG" not in r.output
    assert "Spikes: none" in r.output


def test_empty_week_is_not_an_error(db):
    r = run("--db", str(db), "report", "--week", "2026-W40")
    assert r.exit_code == 0
    assert "No decisions in 2026-W40." in r.output


@pytest.mark.parametrize(
    "bad, why",
    [("2026-40", "expected YYYY-Www"), ("W40", "expected YYYY-Www"),
     ("2026-W54", "2026 has weeks 1 to 53"), ("2025-W53", "2025 has weeks 1 to 52"),
     ("2026-W00", "has weeks 1 to")],
)
def test_malformed_week(db, bad, why):
    r = CliRunner().invoke(cli, ["--db", str(db), "report", "--week", bad])
    assert r.exit_code == 2
    assert why in r.output and "Traceback" not in r.output


def test_missing_database(tmp_path):
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "nope.db"), "report"])
    assert r.exit_code == 2
    assert "no database" in r.output


def test_default_week_uses_the_clock(db, monkeypatch):
    from datetime import UTC, datetime

    import triage.store.store as store_module

    monkeypatch.setattr(store_module, "utcnow", lambda: datetime(2026, 11, 18, 12, tzinfo=UTC))
    r = run("--db", str(db), "report")
    assert "2026-W46" in r.output.splitlines()[0]
