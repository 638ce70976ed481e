"""The bundled demo: built through the real importers, with the promised counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import NOW
from triage.cli import run
from triage.demo import build_demo, manifest
from triage.store import Store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, taxonomy):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    stats = build_demo(path, NOW, taxonomy)
    return path, stats


def test_demo_counts(demo_db):
    _path, stats = demo_db
    assert stats["import_errors"] == 0, stats["import_error_items"]
    assert stats["leads"] >= 100
    assert stats["languages"]["fr"] >= 30 and stats["languages"]["en"] >= 30
    assert stats["inbound"] >= 80 and stats["outbound"] >= 100
    assert stats["classifications"] == stats["inbound"]
    assert stats["decisions"] >= 60
    assert stats["undos"] >= 3
    assert stats["stale"] >= 10
    assert stats["awaiting_decision"] >= 15


def test_demo_newest_activity_is_now(demo_db, taxonomy):
    path, _ = demo_db
    with Store.open(path, taxonomy) as store:
        newest = max(
            store.scalar("SELECT max(sent_at) FROM messages"),
            store.scalar("SELECT max(decided_at) FROM decisions"),
        )
        assert newest == NOW.isoformat(timespec="seconds")
        assert store.meta("demo") == "1"


def test_demo_variety(demo_db, taxonomy):
    path, _ = demo_db
    with Store.open(path, taxonomy) as store:
        reasons = {r["primary_reason"] for r in store.all("SELECT primary_reason FROM decisions")}
        assert {"timing", "fit", "budget", "competition", "unknown", "no_response"} <= reasons
        statuses = {r["status"] for r in store.all("SELECT status FROM decisions")}
        assert {"bounced", "unsubscribed", "waiting", "closed_lost", "meeting_booked"} <= statuses
        reps = {r["rep"] for r in store.all("SELECT DISTINCT rep FROM decisions")}
        assert len(reps) >= 3
        first, last = store.one(
            "SELECT min(decided_at) AS a, max(decided_at) AS b FROM decisions"
        ).values()
        span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
        assert span.days >= 30
        # every bounce notice is linked to the lead whose address failed
        bounces = store.all("SELECT lead_id FROM messages WHERE source LIKE 'bounces/%'")
        assert len(bounces) >= 6 and all(b["lead_id"] for b in bounces)
        # hostile content survives as data (the TUI escapes it)
        names = [r["name"] for r in store.all("SELECT name FROM leads")]
        assert any("[bold red]" in (n or "") for n in names)
        assert any("\x1b[" in (n or "") for n in names)
        # OOO return dates moved with the data: revisit dates are near "now", not in 2026-11
        assert store.scalar("SELECT count(*) FROM leads WHERE revisit_on IS NOT NULL") >= 3


def test_demo_text_dates_are_shifted(tmp_path, taxonomy):
    later = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    build_demo(tmp_path / "d.db", later, taxonomy)
    with Store.open(tmp_path / "d.db", taxonomy) as store:
        bodies = " ".join(r["body"] for r in store.all("SELECT body FROM messages"))
    info = manifest()
    moved = [p for p in info["phrases"] if p["style"] in ("en_quote", "fr_quote")]
    assert moved and not any(p["text"] in bodies for p in moved[:20])


def test_demo_command_without_terminal(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert run(["--db", str(db), "demo"]) == 0
    out = capsys.readouterr().out
    assert str(db) in out and "open it with" in out
    # rebuilding replaces the demo database; --db also works after the command name
    assert run(["demo", "--db", str(db)]) == 0
    assert str(db) in capsys.readouterr().out


def test_demo_refuses_to_overwrite_a_real_database(tmp_path, taxonomy, capsys):
    db = tmp_path / "real.db"
    with Store.open(db, taxonomy) as store:
        store.upsert_lead({"email": "a@b.fr"})
    assert run(["--db", str(db), "demo"]) == 2
    assert "not a demo" in capsys.readouterr().err


def test_manifest_is_consistent():
    info = manifest()
    assert info["counts"]["leads"] >= 100
    assert json.dumps(info)


def test_generator_reproduces_the_committed_files(tmp_path):
    from triage.demo import demo_data_dir
    from triage.demo.generate import generate

    generate(tmp_path)
    committed = demo_data_dir()
    names = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for name in names:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_demo_opens_the_app_on_a_terminal(tmp_path, monkeypatch, capsys):
    import triage.cli.demo_cmd as demo_cmd
    import triage.tui

    opened = []
    monkeypatch.setattr(demo_cmd, "_interactive", lambda: True)
    monkeypatch.setattr(triage.tui, "run", lambda path, settings, taxonomy: opened.append(
        (path, settings, taxonomy)))
    db = tmp_path / "t.db"
    assert run(["demo", "--db", str(db)]) == 0
    assert len(opened) == 1 and opened[0][0] == db and opened[0][2] is not None
    assert run(["demo", "--db", str(db), "--no-open"]) == 0
    assert len(opened) == 1


def test_demo_has_a_labelled_calibration_session_and_an_experiment(demo_db, taxonomy):
    from triage.calibrate.results import session_results
    from triage.experiments import list_experiments

    path, _ = demo_db
    with Store.open(path, taxonomy) as store:
        sessions = store.all("SELECT id FROM calibration_sessions")
        assert len(sessions) == 1
        results = session_results(store, sessions[0]["id"])
        labels = store.all("SELECT rep, count(*) AS n FROM calibration_labels GROUP BY rep")
        assert {r["rep"] for r in labels} == {"julie", "karim", "emma"}
        assert all(r["n"] == 10 for r in labels)
        # designed disagreements: neither perfect nor random
        assert results.fleiss.value is not None
        assert 0.2 < results.fleiss.value < 0.95, results.fleiss
        # labelling never touches decisions
        assert store.scalar("SELECT count(*) FROM decisions WHERE source = 'calibration'") == 0
        assert [e.name for e in list_experiments(store)] == ["Shorter first email"]
