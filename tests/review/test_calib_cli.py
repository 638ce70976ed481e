"""`triage calibrate ...` end to end on a database file, as a rep would type it."""

from __future__ import annotations

import json

import pytest

from tests.review.test_calib_support import decisions_snapshot, populate
from triage.__main__ import main
from triage.store import Store


@pytest.fixture
def db(tmp_path, taxonomy, clock, monkeypatch):
    monkeypatch.setenv("TRIAGE_REP", "lead")
    monkeypatch.setenv("TRIAGE_LANGUAGE", "en")
    monkeypatch.delenv("TRIAGE_TAXONOMY", raising=False)
    path = tmp_path / "t.db"
    with Store.open(path, taxonomy, clock) as s:
        populate(s)
    return path


def run(db, *args) -> int:
    return main(["--db", str(db), "calibrate", *args])


def test_full_cycle_from_the_command_line(db, tmp_path, capsys, taxonomy):
    with Store.open(db, taxonomy) as s:
        before = decisions_snapshot(s)
    assert run(db, "new", "--size", "4", "--seed", "5", "--name", "Day 4") == 0
    out = capsys.readouterr().out
    assert "Session 1 'Day 4': 4 leads (seed 5" in out
    assert run(db, "list") == 0
    assert "Day 4  4 leads  [no labels]" in capsys.readouterr().out

    assert run(db, "show", "1", "--lead", "1") == 0
    shown = capsys.readouterr().out
    assert "=== #1" in shown and "Reply number" in shown and "closed_lost" not in shown

    for rep, codes in {"ana": "tfbd", "bo": "tfbc"}.items():
        for pos, key in enumerate(codes, start=1):
            assert run(db, "add-label", "Day 4", str(pos), "--position", "--rep", rep,
                       "--primary", key) == 0
    assert run(db, "add-label", "1", "1", "--position", "--rep", "ana", "--primary", "fit",
               "--secondary", "b") == 0
    capsys.readouterr()

    assert run(db, "report", "1") == 0
    text = capsys.readouterr().out
    assert "Fleiss' kappa (all reps)" in text and "ana / bo" in text
    assert run(db, "report", "1", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reps"] == ["ana", "bo"] and data["items"][0]["labels"]["ana"] == "fit"
    assert run(db, "report", "1", "--format", "md", "-o", str(tmp_path / "r.md")) == 0
    assert (tmp_path / "r.md").read_text().startswith("# Calibration: Day 4")

    pack = tmp_path / "pack.json"
    assert run(db, "export", "1", str(pack), "--no-labels") == 0
    assert "4 leads, 0 labels" in capsys.readouterr().out
    other = tmp_path / "other.db"
    assert run(other, "import", str(pack)) == 0
    assert "session 1 (created)" in capsys.readouterr().out
    assert run(other, "add-label", "1", "1", "--position", "--rep", "cy", "--primary", "u") == 0
    assert run(other, "export", "1", str(pack), "--rep", "cy") == 0
    assert run(db, "import", str(pack)) == 0
    assert "1 added" in capsys.readouterr().out
    assert run(db, "import", str(pack)) == 0
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    with Store.open(db, taxonomy) as s:
        assert decisions_snapshot(s) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "--since", "last week"], "--since: 'last week' is not a date"),
        (["new", "--size", "1"], "--size must be between 2 and 200"),
        (["new", "--since", "2030-01-01"], "only 0 decided lead(s) since 2030-01-01"),
        (["report", "nope"], "no calibration session 'nope'"),
        (["add-label", "1", "1", "--rep", "a", "--primary", "q"], "no reason has the key 'q'"),
        (["add-label", "1", "999", "--rep", "a", "--primary", "t"], "has no lead 999"),
        (["add-label", "1", "1", "--position", "--rep", "a", "--primary", "price"],
         "retired; use 'budget'"),
        (["label", "1", "--rep", "a"], "labelling needs a terminal"),
    ],
)
def test_bad_input_is_one_clear_line(db, capsys, args, message):
    assert run(db, "new", "--size", "3", "--seed", "1") == 0
    capsys.readouterr()
    assert run(db, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_import_reports_each_bad_pack_and_exits_2(db, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "triage-calibration-pack", "format_version": 1, "items": [', "utf-8")
    assert run(db, "import", str(bad)) == 2
    err = capsys.readouterr().err
    assert f"{bad}: line 1, column" in err and "1 pack(s) not imported" in err


def test_no_sessions_yet(db, capsys):
    assert run(db, "list") == 0
    assert "No calibration sessions yet" in capsys.readouterr().out
