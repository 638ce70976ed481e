"""Decisions/s with 1 writer vs 8 writers on one database (reps sharing a server), against a
raw sqlite3 baseline (same pragmas: WAL, synchronous=FULL, one transaction per row) measured in
the same run. Every decision is verified afterwards; any lost write or lock error fails.

    .venv/bin/python bench/concurrent_reps.py [--decisions 2000] [--writers 8]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.harness import concurrent_writers  # noqa: E402


def _raw_writer(path: str, n: int, start: mp.Event) -> None:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = FULL")
    start.wait()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO d (lead_id, rep, status, decided_at) VALUES (?, 'r', 'interested', ?)",
            (i % 50, time.time()),
        )
        conn.execute("COMMIT")
    conn.close()


def raw_baseline(folder: Path, writers: int, total: int) -> float:
    path = folder / f"raw{writers}.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE d (id INTEGER PRIMARY KEY, lead_id INT, rep TEXT, status TEXT, decided_at)"
    )
    conn.commit()
    conn.close()
    start = mp.Event()
    procs = [
        mp.Process(target=_raw_writer, args=(str(path), total // writers, start))
        for _ in range(writers)
    ]
    for p in procs:
        p.start()
    time.sleep(0.5)
    t0 = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    rows = sqlite3.connect(path).execute("SELECT COUNT(*) FROM d").fetchone()[0]
    assert rows == total // writers * writers, rows
    return rows / elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=2000, help="total decisions per run")
    ap.add_argument("--writers", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{args.decisions} decisions per run; SQLite {sqlite3.sqlite_version}")
        print(f"{'run':<34}{'decisions/s':>12}")
        failed = False
        for writers in (1, args.writers):
            per = args.decisions // writers
            r = concurrent_writers(folder / f"store{writers}.db", writers, per)
            rate = r["writes"] / r["seconds"]
            print(f"{'Store.record_decision, ' + str(writers) + ' writer(s)':<34}{rate:>12.0f}")
            if r["failures"]:
                failed = True
                print("  FAILURES:", *r["failures"][:10], sep="\n  ")
        for writers in (1, args.writers):
            rate = raw_baseline(folder, writers, args.decisions)
            print(f"{'raw sqlite3 INSERT, ' + str(writers) + ' writer(s)':<34}{rate:>12.0f}")
    print("every decision verified present; no lock error" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
