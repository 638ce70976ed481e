"""store.consistency: the lead state cache re-derived from the decision log, and `triage db`."""

from __future__ import annotations

import random
import sqlite3

import pytest

from tests.reliability.util import random_decision, seed_leads
from triage.cli import run
from triage.store import DecisionIn, Store
from triage.store.consistency import check, rebuild_lead_state


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TRIAGE_TAXONOMY", raising=False)
    monkeypatch.delenv("TRIAGE_DB", raising=False)
    return tmp_path


def test_random_history_with_undos_is_consistent(store: Store):
    rng = random.Random(7)
    leads = seed_leads(store, 10)
    done = []
    for _ in range(200):
        if done and rng.random() < 0.2:
            target = done.pop(rng.randrange(len(done)))
            store.undo(target, rep="r")
        else:
            done.append(store.record_decision(random_decision(rng, leads, "r")))
    assert check(store) == []


def test_stale_cache_is_reported_and_rebuilt(store: Store):
    a, b = seed_leads(store, 2)
    store.record_decision(DecisionIn(lead_id=a, rep="r", status="disqualified", primary_reason="fit"))
    store.db.execute("UPDATE leads SET status = 'interested', status_final = 0 WHERE id = ?", (a,))
    store.db.execute("UPDATE leads SET status = 'interested' WHERE id = ?", (b,))
    problems = check(store)
    assert [(p.kind, p.lead_id) for p in problems] == [("lead_state", a), ("lead_state", b)]
    assert "status is 'interested', the decision log implies 'disqualified'" in str(problems[0])
    assert "status_final is 0, the decision log implies 1" in problems[0].message
    assert rebuild_lead_state(store) == 2
    assert check(store) == []
    assert store.lead(a)["status"] == "disqualified" and store.lead(b)["status"] is None


def test_orphan_rows_are_reported(store: Store):
    (a,) = seed_leads(store, 1)
    store.db.execute("PRAGMA foreign_keys = OFF")
    store.db.execute(
        "INSERT INTO decisions (lead_id, rep, decided_at, status, taxonomy_version, source) "
        "VALUES (999, 'r', '2026-01-01', 'interested', 'x', 'manual')"
    )
    store.db.execute(
        "INSERT INTO decisions (lead_id, rep, decided_at, kind, taxonomy_version, source, undoes)"
        " VALUES (?, 'r', '2026-01-01', 'undo', 'x', 'manual', 12345)", (a,)
    )
    kinds = sorted(p.kind for p in check(store))
    assert kinds == ["decision_log", "foreign_key", "foreign_key"]


def test_corrupted_file_fails_integrity_check(tmp_path, taxonomy):
    path = tmp_path / "c.db"
    with Store.open(path, taxonomy) as s:
        seed_leads(s, 300)
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    # scribble over the middle of an index page (not the header: the file stays openable)
    for i in range(3 * page + 100, 3 * page + 900):
        data[i] = 0x5A
    path.write_bytes(bytes(data))
    try:
        s = Store.open(path, taxonomy)
    except Exception:
        pytest.skip("the scribble hit the schema; SQLite refuses the file outright")
    with s:
        try:
            problems = check(s)
        except sqlite3.DatabaseError:
            return  # refusing outright is an acceptable answer too
    assert problems and problems[0].kind == "integrity"


def test_db_check_and_info_cli(cli_env, taxonomy, capsys):
    path = cli_env / "t.db"
    with Store.open(path, taxonomy) as s:
        (a,) = seed_leads(s, 1)
        did = s.record_decision(DecisionIn(lead_id=a, rep="r", status="interested"))
        s.undo(did, rep="r")
        s.record_decision(DecisionIn(lead_id=a, rep="r", status="closed_lost", primary_reason="fit"))
    assert run(["--db", str(path), "db", "check"]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    assert run(["--db", str(path), "db", "info"]) == 0
    out = capsys.readouterr().out
    for line in ("leads: 1", "decisions: 2", "undo events: 1", "effective decisions: 1",
                 "schema version: ", "taxonomy versions in decisions: 2026.11 (2)",
                 "decisions 3 rows/", "leads 1 rows/"):
        assert line in out
    with Store.open(path, taxonomy) as s:
        s.db.execute("UPDATE leads SET primary_reason = 'budget'")
    assert run(["--db", str(path), "db", "check"]) == 1
    captured = capsys.readouterr()
    assert "lead_state: lead 1: primary_reason is 'budget'" in captured.out
    assert "1 problem(s)" in captured.err
    assert run(["--db", str(path), "db", "rebuild-state"]) == 0
    assert "1 lead(s) had a stale cache" in capsys.readouterr().out
    assert run(["--db", str(path), "db", "check"]) == 0


def test_db_commands_need_an_existing_database(cli_env, capsys):
    assert run(["--db", str(cli_env / "missing.db"), "db", "check"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (cli_env / "missing.db").exists()


def test_the_demo_database_is_consistent(tmp_path, taxonomy):
    """The demo is built by the real importers from raw files: its state must match its log."""
    from tests.conftest import NOW
    from triage.demo import build_demo
    from triage.store.compat import unmapped_codes

    path = tmp_path / "demo.db"
    build_demo(path, NOW, taxonomy)
    with Store.open(path, taxonomy) as s:
        assert s.scalar("SELECT COUNT(*) FROM decisions") > 0
        assert check(s) == [] and unmapped_codes(s, taxonomy) == []
