import json
from pathlib import Path

from click.testing import CliRunner

from triage.cli import cli

EML = (
    b"From: Lead <lead@acme.com>\r\nTo: sam@routelane.io\r\nSubject: Re: demo\r\n"
    b"Date: Wed, 11 Feb 2026 09:00:00 +0000\r\nMessage-ID: <m1@acme.com>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Not now, peak season. Check back in 3 months.\r\n\r\n"
    b"On Mon, 9 Feb 2026, Sam <sam@routelane.io> wrote:\r\n> unsubscribe here, budget, demo\r\n"
)


def run(args, tmp_path, input=None):
    runner = CliRunner()
    return runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "classify", *args], input=input)


def test_json_line_per_message(tmp_path):
    f = tmp_path / "a.eml"
    f.write_bytes(EML)
    res = run([str(f), str(f)], tmp_path)
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(lines) == 2
    rec = lines[0]
    assert set(rec) >= {"message_id", "reply_class", "confidence", "reason", "secondary_reason",
                        "sub_reason", "revisit_on", "language", "evidence"}
    assert (rec["message_id"], rec["reply_class"], rec["reason"], rec["revisit_on"]) == (
        "m1@acme.com", "not_interested", "timing", "2026-05-11")


def test_mbox_and_maildir(tmp_path):
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(b"From lead@acme.com Wed Feb 11 09:00:00 2026\n" + EML.replace(b"\r\n", b"\n") + b"\n")
    md = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (md / sub).mkdir(parents=True)
    (md / "new" / "1.eml").write_bytes(EML)
    res = run([str(mbox), str(md)], tmp_path)
    assert res.exit_code == 0, res.output
    assert len(res.stdout.splitlines()) == 2


def test_explain_adds_matches(tmp_path):
    f = tmp_path / "a.eml"
    f.write_bytes(EML)
    rec = json.loads(run(["--explain", str(f)], tmp_path).stdout)
    assert any(line.startswith("phrase:") for line in rec["explain"])


def test_bad_files_are_reported_and_others_still_classified(tmp_path):
    good = tmp_path / "a.eml"
    good.write_bytes(EML)
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    res = run([str(empty), str(tmp_path / "missing.eml"), str(good)], tmp_path)
    assert res.exit_code == 1
    assert len(res.stdout.splitlines()) == 1
    assert f"{empty}: empty message" in res.stderr
    assert "missing.eml" in res.stderr and "Traceback" not in res.stderr


def test_stdin(tmp_path):
    res = run(["-"], tmp_path, input=EML)
    assert res.exit_code == 0 and json.loads(res.stdout)["message_id"] == "m1@acme.com"


def test_no_files_is_a_user_error(tmp_path):
    res = run([], tmp_path)
    assert res.exit_code == 2 and "give one or more" in res.output


def test_check_patterns(tmp_path):
    res = run(["--check-patterns"], tmp_path)
    assert res.exit_code == 0 and "OK" in res.stdout
    bad = tmp_path / "p.yaml"
    bad.write_text("classes:\n  nope:\n    en: [x]\n", encoding="utf-8")
    res = run(["--check-patterns", str(bad)], tmp_path)
    assert res.exit_code == 2
    assert f"{bad}:2: unknown reply class 'nope'" in res.output
    assert "Traceback" not in res.output


def test_custom_patterns_file(tmp_path):
    f = tmp_path / "a.eml"
    f.write_bytes(EML)
    custom = tmp_path / "p.yaml"
    custom.write_text("classes:\n  interested:\n    en: [peak season | 9]\n", encoding="utf-8")
    rec = json.loads(run(["--patterns", str(custom), str(f)], tmp_path).stdout)
    assert rec["reply_class"] == "interested"
    assert Path(custom).exists()
