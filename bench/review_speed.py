"""Weekly review speed on a database with 100k decisions, against a raw sqlite3 GROUP BY.

    .venv/bin/python bench/review_speed.py [--decisions 100000] [--weeks 20] [--runs 5]

Builds a throw-away database (leads with channel/persona/industry/size, decisions spread
over N weeks, 1 % undone, some under the retired code "price"), then times in the same run:

- baseline: one `GROUP BY primary_reason` over the week's rows in plain sqlite3 (no undo
  handling, no per-lead counting: the floor any report pays to read the week);
- `weekly_report()` for one week (everything the review shows, incl. the previous week);
- the same with every decision in a single week (worst case);
- `experiment_report()` for a 7-day experiment on one channel.

Prints medians; no pass/fail (speed is not asserted in tests).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from triage.experiments import Experiment, experiment_report
from triage.report import Week, weekly_report
from triage.store import Store
from triage.taxonomy import load_taxonomy
from triage.timeutil import iso

CHANNELS = ["cold_email", "inbound", "referral"]
PERSONAS = ["CFO", "Head of Ops", "VP Sales", "CTO"]
INDUSTRIES = ["SaaS", "Manufacturing", "Retail", "Finance", "Health"]
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
REASONS = ["timing", "fit", "budget", "decision_maker", "competition", "no_response",
           "not_interested", "unknown", "price"]
STATUSES = ["closed_lost", "disqualified", "no_response", "interested", "nurturing",
            "meeting_booked"]
REPS = [f"rep{i}" for i in range(8)]


def build(path: Path, n_decisions: int, weeks: int, last_week: Week, seed: int = 7) -> None:
    rnd = random.Random(seed)
    tax = load_taxonomy()
    Store.open(path, tax).close()  # schema
    conn = sqlite3.connect(path)
    n_leads = max(1, n_decisions // 3)
    now = iso(datetime(2026, 1, 1, tzinfo=UTC))
    conn.executemany(
        "INSERT INTO leads (id, email, channel, persona, industry, company_size, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (i, f"lead{i}@bench.test", rnd.choice(CHANNELS), rnd.choice(PERSONAS),
             rnd.choice(INDUSTRIES), rnd.choice(SIZES), now)
            for i in range(1, n_leads + 1)
        ],
    )
    first = last_week.shift(-(weeks - 1)).start
    span = (last_week.end - first).total_seconds()
    rows = []
    for i in range(1, n_decisions + 1):
        status = rnd.choice(STATUSES)
        reason = rnd.choice(REASONS) if status not in ("interested", "meeting_booked") else None
        when = first + timedelta(seconds=rnd.random() * span)
        rows.append((i, rnd.randint(1, n_leads), rnd.choice(REPS), iso(when), status, reason,
                     "2026.11", "manual"))
    conn.executemany(
        "INSERT INTO decisions (id, lead_id, rep, decided_at, status, primary_reason, "
        "taxonomy_version, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    undone = rnd.sample(range(1, n_decisions + 1), n_decisions // 100)
    conn.executemany(
        "INSERT INTO decisions (lead_id, rep, decided_at, kind, taxonomy_version, source, undoes) "
        "SELECT lead_id, rep, decided_at, 'undo', taxonomy_version, source, id "
        "FROM decisions WHERE id = ?",
        [(d,) for d in undone],
    )
    conn.commit()
    conn.close()


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def baseline(path: Path, week: Week) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT primary_reason, COUNT(*) FROM decisions WHERE kind = 'decision' "
            "AND decided_at >= ? AND decided_at < ? GROUP BY primary_reason",
            (iso(week.start), iso(week.end)),
        ).fetchall()
    finally:
        conn.close()


def measure(path: Path, week: Week, runs: int, label: str) -> None:
    tax = load_taxonomy()
    t_base, groups = timed(lambda: baseline(path, week), runs)
    store = Store.open(path, tax)
    try:
        t_rep, rep = timed(lambda: weekly_report(store, week), runs)
        exp = Experiment("bench", {"channel": ["cold_email"]}, "bench", "timing",
                         week.monday, week.sunday)
        t_exp, _ = timed(lambda: experiment_report(store, exp, today=date(2027, 1, 1)), runs)
    finally:
        store.close()
    in_week = sum(c for _, c in groups)
    print(f"\n{label}: {week.label} holds {in_week} decisions ({rep.leads} leads counted)")
    print(f"  baseline sqlite3 GROUP BY   {1000 * t_base:8.1f} ms")
    print(f"  weekly_report()             {1000 * t_rep:8.1f} ms   ({t_rep / t_base:.1f}x baseline;"
          " reads this week and the previous one)")
    print(f"  experiment_report()         {1000 * t_exp:8.1f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=100_000)
    ap.add_argument("--weeks", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    week = Week(2026, 46)
    with tempfile.TemporaryDirectory() as tmp:
        spread = Path(tmp) / "spread.db"
        t0 = time.perf_counter()
        build(spread, args.decisions, args.weeks, week)
        print(f"built {args.decisions} decisions over {args.weeks} weeks "
              f"in {time.perf_counter() - t0:.1f} s (python {sys.version.split()[0]}, "
              f"sqlite {sqlite3.sqlite_version})")
        measure(spread, week, args.runs, "typical week")
        one = Path(tmp) / "one.db"
        build(one, args.decisions, 1, week)
        measure(one, week, max(1, args.runs // 2), "worst case (all decisions in one week)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
