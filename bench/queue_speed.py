"""Queue speed at 1k and 100k leads, against raw sqlite3 baselines measured in the same run.

    .venv/bin/python bench/queue_speed.py [--sizes 1000,100000] [--keep DIR]

Baselines (plain sqlite3, same file): ``SELECT * FROM leads LIMIT 50`` (the floor of showing
one page) and ``SELECT count(*) FROM leads``. Also shown, for the design choice: ranking with
``ORDER BY priority LIMIT 50 OFFSET k`` directly in SQL on every page (what a stateless queue
would pay per page, since a priority that decays with "now" cannot be indexed).

The queue screen's first page (``first_page(40)`` on a freshly opened Store, before any
ranking: what start-up pays) is shown against ``SELECT id FROM leads LIMIT 50`` on a fresh
connection, and against the method it replaced (a top-N query and a count, each scoring every
lead), run in the same loop.

Each figure is the median of several runs (ms, wall clock; the ranking also in CPU time, which
a busy machine disturbs less). No threshold is asserted here: the numbers are
printed for the README; tests never assert wall-clock speed.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import NOW, build  # noqa: E402

from triage.queue import Queue, QueueFilter  # noqa: E402
from triage.settings import Settings  # noqa: E402
from triage.store import DecisionIn, Store  # noqa: E402


def median_ms(fn: Callable[[], object], repeat: int = 21, warm: bool = True,
              clock: Callable[[], float] = time.perf_counter) -> float:
    if warm:
        fn()
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times) * 1000


def first_page_figures(path: Path, settings: Settings, runs: int = 15) -> list[tuple[str, float]]:
    """The queue screen's first page at start-up: a fresh Store, no ranking yet."""

    def scored_every_lead(queue: Queue, limit: int) -> None:  # the method before the tiers
        sql, params = queue._ranked_sql(None)
        top = queue.store.db.execute(sql + " ORDER BY priority DESC, id LIMIT :n",
                                     {**params, "n": limit}).fetchall()
        queue.store.db.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()
        queue._rows([r[0] for r in top], {r[0]: (r[1], r[2]) for r in top})

    times: dict[str, list[float]] = {"raw": [], "new": [], "old": []}
    for _ in range(runs):  # interleaved: the machine's noise falls on all three alike
        raw = sqlite3.connect(path)
        t0 = time.perf_counter()
        raw.execute("SELECT id FROM leads LIMIT 50").fetchall()
        times["raw"].append(time.perf_counter() - t0)
        raw.close()
        for name, run in (("new", lambda q: q.first_page(40)),
                          ("old", lambda q: scored_every_lead(q, 40))):
            fresh = Store.open(path)
            queue = Queue(fresh, settings, NOW, rank=False)
            t0 = time.perf_counter()
            run(queue)
            times[name].append(time.perf_counter() - t0)
            fresh.close()
    ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
    return [
        ("baseline: raw SELECT id FROM leads LIMIT 50 (fresh connection)", ms["raw"]),
        ("first_page(40), fresh Store: bounded top-N search", ms["new"]),
        ("  before: top-N query + count scoring every lead", ms["old"]),
    ]


def bench(path: Path) -> list[tuple[str, float]]:
    raw = sqlite3.connect(path)
    base_page = median_ms(lambda: raw.execute("SELECT * FROM leads LIMIT 50").fetchall())
    base_count = median_ms(lambda: raw.execute("SELECT count(*) FROM leads").fetchall())
    raw.close()

    store = Store.open(path)
    settings = Settings(rep="bench", language="en")
    first = first_page_figures(path, settings)
    gc.collect()
    # each run on its own (already open) Store: no ranking reused between runs
    fresh = [Store.open(path) for _ in range(10)]
    build_ms = median_ms(lambda: Queue(fresh.pop(), settings, NOW), repeat=5, warm=False)
    build_cpu = median_ms(lambda: Queue(fresh.pop(), settings, NOW), repeat=5, warm=False,
                          clock=time.process_time)
    t0 = time.perf_counter()
    Store.open(path).close()
    open_ms = (time.perf_counter() - t0) * 1000
    queue = Queue(store, settings, NOW)
    n = queue.count()
    mid = n // 2
    mid_id = queue.page(mid, 1)[0].lead_id
    results = [
        ("baseline: raw SELECT * FROM leads LIMIT 50", base_page),
        ("baseline: raw SELECT count(*) FROM leads", base_count),
        *first,
        ("leads in the queue (count)", float(n)),
        ("Store.open (for scale)", open_ms),
        ("Queue() ranks all members", build_ms),
        ("Queue() ranks all members, CPU time", build_cpu),
        ("count()", median_ms(queue.count)),
        ("page(0, 50)", median_ms(lambda: queue.page(0, 50))),
        ("page(middle, 50)", median_ms(lambda: queue.page(mid, 50))),
        ("page(last, 50)", median_ms(lambda: queue.page(max(n - 50, 0), 50))),
        ("index_of(middle lead)", median_ms(lambda: queue.index_of(mid_id))),
        ("next_after(middle lead)", median_ms(lambda: queue.next_after(mid_id))),
    ]

    # a decision, then the queue catching up (what the app pays between two leads)
    leads = [r.lead_id for r in queue.page(0, 30)]
    it = iter(leads)

    def decide_and_count() -> None:
        store.record_decision(DecisionIn(lead_id=next(it), rep="bench", status="nurturing"))
        queue.count()

    def count_after_decision() -> float:
        lead_id = next(it)
        store.record_decision(DecisionIn(lead_id=lead_id, rep="bench", status="nurturing"))
        t0 = time.perf_counter()
        queue.count()
        queue.page(0, 50)
        return (time.perf_counter() - t0) * 1000

    results.append(("catch up after a decision: count() + page(0, 50)",
                    statistics.median(count_after_decision() for _ in range(15))))
    results.append(("record_decision + count() (durable commit)", median_ms(decide_and_count,
                                                                             repeat=9)))

    t0 = time.perf_counter()
    Queue(store, settings, NOW, QueueFilter(search="dub"))
    results.append(("first search of the session (builds the search index)",
                    (time.perf_counter() - t0) * 1000))
    results.append(("next search keystroke: Queue(filter=search 'dubois')", median_ms(
        lambda: Queue(store, settings, NOW, QueueFilter(search="dubois")), repeat=9)))
    results.append(("accent-insensitive: search 'societe' finds 'Société'", median_ms(
        lambda: Queue(store, settings, NOW, QueueFilter(search="societe")), repeat=9)))
    sql, params = queue._ranked_sql(None)
    stateless = sql + " ORDER BY priority DESC, id LIMIT 50 OFFSET :off"
    results.append(("stateless SQL: ORDER BY priority LIMIT 50 OFFSET middle", median_ms(
        lambda: store.db.execute(stateless, {**params, "off": mid}).fetchall(), repeat=5)))
    store.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="queue timings vs raw sqlite3")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the databases in")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="triage-queue-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    table: dict[str, dict[int, float]] = {}
    for n in sizes:
        path = folder / f"synth-{n}.db"
        t0 = time.perf_counter()
        counts = build(path, n)  # fresh each run: the bench writes decisions into it
        print(f"built {path.name}: {counts} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        for name, ms in bench(path):
            table.setdefault(name, {})[n] = ms
    width = max(len(k) for k in table)
    print(f"{'ms (median)':<{width}} " + " ".join(f"{n:>10,}" for n in sizes))
    for name, row in table.items():
        fmt = "{:>10,.0f}" if name.startswith("leads in") else "{:>10.3f}"
        print(f"{name:<{width}} " + " ".join(fmt.format(row.get(n, float("nan"))) for n in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
