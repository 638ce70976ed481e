"""`triage open` on a missing database explains what to do, without a traceback."""

from __future__ import annotations

from pathlib import Path

from triage.cli import run


def test_missing_db_points_to_demo_and_import(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "nope.db"
    code = run(["--db", str(db), "open"])
    err = capsys.readouterr().err
    assert code == 2
    assert "triage demo" in err and "triage import" in err and str(db) in err
    assert "Traceback" not in err
    assert not db.exists()


def test_bare_triage_opens_the_queue_command(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code = run(["--db", str(tmp_path / "nope.db")])
    assert code == 2
    assert "triage demo" in capsys.readouterr().err


def test_not_a_terminal_is_a_clear_message(tmp_path: Path, taxonomy, capsys) -> None:  # noqa: ANN001
    from triage.store import Store

    db = tmp_path / "t.db"
    Store.open(db, taxonomy).close()
    code = run(["--db", str(db), "open"])
    assert code == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_open_hands_the_checked_store_to_the_app(tmp_path: Path, taxonomy, monkeypatch) -> None:  # noqa: ANN001
    """The store opened to migrate and check the taxonomy is the one the app runs on (one
    open, not two), and the GC pause of `triage open` ends even without a first frame."""
    import gc
    import sys

    import triage.tui
    from triage.store import Store

    db = tmp_path / "t.db"
    Store.open(db, taxonomy).close()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    seen = []

    def fake_run(store, settings, taxonomy) -> None:  # noqa: ANN001
        seen.append(store)
        assert store.scalar("SELECT COUNT(*) FROM leads") == 0  # open and migrated
        store.close()

    monkeypatch.setattr(triage.tui, "run", fake_run)
    assert run(["--db", str(db), "open"]) == 0
    assert len(seen) == 1 and isinstance(seen[0], Store)
    assert gc.isenabled()
