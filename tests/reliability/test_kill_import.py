"""`triage import` killed (SIGKILL) in the middle of a mailbox, then run again: every message is
there exactly once, the database is intact and consistent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests.reliability.util import ROOT
from triage.store import Store
from triage.store.consistency import check

N = 2000


def mbox(path) -> None:  # noqa: ANN001
    out = []
    for i in range(N):
        out.append(
            f"From lead{i}@client.example Mon Nov  9 10:00:00 2026\n"
            f"From: Lead {i} <lead{i}@client.example>\nTo: julie@acme-sales.io\n"
            f"Subject: Re: hello {i}\nMessage-ID: <k{i}@client.example>\n"
            f"Date: Mon, 09 Nov 2026 10:{i % 60:02d}:00 +0000\n\n"
            f"{'Not now, maybe next quarter.' if i % 2 else 'Yes, call me Tuesday.'}\n\n"
        )
    path.write_text("".join(out))


def stored(db) -> int:  # noqa: ANN001
    """Messages committed so far (0 before the schema exists)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def run_import(db, source, env) -> subprocess.Popen:  # noqa: ANN001
    return subprocess.Popen(
        [sys.executable, "-m", "triage", "--db", str(db), "import", str(source)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_import_killed_midway_then_rerun(tmp_path, taxonomy):
    source = tmp_path / "replies.mbox"
    mbox(source)
    db = tmp_path / "t.db"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "TRIAGE_OUR_ADDRESSES": "julie@acme-sales.io"}
    rng = random.Random(3)
    partial = []
    for _ in range(3):
        before = stored(db)
        proc = run_import(db, source, env)
        deadline = time.monotonic() + 60
        while stored(db) <= before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until this run has committed something
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store.open(db, taxonomy) as s:
            assert check(s) == []
            partial.append(s.scalar("SELECT COUNT(*) FROM messages"))
            # each message lands whole: with its lead and its classification, or not at all
            assert s.scalar("SELECT COUNT(*) FROM messages") == s.scalar(
                "SELECT COUNT(*) FROM classifications")
    assert any(0 < n < N for n in partial), partial  # the kills did land mid-import
    proc = run_import(db, source, env)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    with Store.open(db, taxonomy) as s:
        assert s.scalar("SELECT COUNT(*) FROM messages") == N
        assert s.scalar("SELECT COUNT(DISTINCT message_id) FROM messages") == N
        assert s.scalar("SELECT COUNT(*) FROM leads") == N
        assert s.scalar("SELECT COUNT(*) FROM classifications") == N
        assert check(s) == []
