"""`triage import` / `triage export` from the command line: exit codes and messages."""

from __future__ import annotations

import json

from tests.ingest.helpers import DSN, outbound, raw_mail
from triage.cli import run


def _db(tmp_path):
    return ["--db", str(tmp_path / "t.db")]


def test_import_summary_and_idempotence(tmp_path, capsys):
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "a.eml").write_bytes(outbound())
    (tmp_path / "mail" / "b.eml").write_bytes(raw_mail(in_reply_to="out-1@acme-sales.io"))
    (tmp_path / "mail" / "c.eml").write_bytes(DSN)
    args = [*_db(tmp_path), "import", "--our-domain", "acme-sales.io", str(tmp_path / "mail")]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "imported 3, skipped 0, errors 0" in out
    assert run(args) == 0
    assert "imported 0, skipped 3, errors 0" in capsys.readouterr().out


def test_import_bad_items_exit_1_with_reasons(tmp_path, capsys):
    (tmp_path / "empty.eml").write_bytes(b"")
    (tmp_path / "l.csv").write_text("email,name\na@b.fr,Ann\nnope,Bob\n", encoding="utf-8")
    assert run([*_db(tmp_path), "import", str(tmp_path / "empty.eml"), str(tmp_path / "l.csv")]) == 1
    captured = capsys.readouterr()
    assert "imported 1" in captured.out
    assert "empty.eml: empty message" in captured.err
    assert "l.csv#3: invalid email address 'nope'" in captured.err
    assert "Traceback" not in captured.err


def test_import_wrong_column_exit_2_one_message(tmp_path, capsys):
    (tmp_path / "l.csv").write_text("Nom;Ville\nDupont;Lyon\n", encoding="utf-8")
    assert run([*_db(tmp_path), "import", str(tmp_path / "l.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no email column" in err and "courriel" in err
    assert run([*_db(tmp_path), "import", "--map", "Nom", str(tmp_path / "l.csv")]) == 2
    assert "COLUMN=field" in capsys.readouterr().err


def test_import_missing_path_is_a_usage_error(tmp_path, capsys):
    assert run([*_db(tmp_path), "import", str(tmp_path / "nope.mbox")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_export_to_file_and_stdout(tmp_path, capsys):
    (tmp_path / "l.csv").write_text("email,company\na@b.fr,=1+1\n", encoding="utf-8")
    assert run([*_db(tmp_path), "import", str(tmp_path / "l.csv")]) == 0
    capsys.readouterr()
    out = tmp_path / "out" / "leads.csv"
    assert run([*_db(tmp_path), "export", "leads", "--out", str(out)]) == 0
    assert "'=1+1" in out.read_text(encoding="utf-8")
    assert run([*_db(tmp_path), "export", "decisions", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_without_database(tmp_path, capsys):
    assert run([*_db(tmp_path), "export"]) == 2
    assert "no database" in capsys.readouterr().err


def test_our_domains_from_settings(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRIAGE_OUR_DOMAINS", "acme-sales.io, other.example")
    (tmp_path / "a.eml").write_bytes(outbound())
    assert run([*_db(tmp_path), "import", str(tmp_path / "a.eml")]) == 0
    from triage.store import Store

    with Store.open(tmp_path / "t.db") as store:
        assert store.one("SELECT direction FROM messages")["direction"] == "out"
        assert store.lead_id_by_email("lea@client.fr") is not None


def test_progress_bar_path_on_a_terminal(tmp_path, capsys, monkeypatch):
    import sys

    (tmp_path / "a.eml").write_bytes(outbound())
    (tmp_path / "l.csv").write_text("email\nx@y.fr\n", encoding="utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert run([*_db(tmp_path), "import", str(tmp_path / "a.eml"), str(tmp_path / "l.csv")]) == 0
    assert "imported 2" in capsys.readouterr().out


def test_report_lines_never_carry_terminal_escapes(tmp_path, capsys):
    (tmp_path / "l.csv").write_text("email,fit\na@b.fr,\x1b[2J\x1b]0;pwn\x07\n", encoding="utf-8")
    assert run([*_db(tmp_path), "import", str(tmp_path / "l.csv")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b" in err
