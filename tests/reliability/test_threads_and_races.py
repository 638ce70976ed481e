"""One Store used from several threads (Textual thread workers), and reps racing on one lead."""

from __future__ import annotations

import multiprocessing as mp
import random
import threading

from tests.reliability.util import random_decision, seed_leads
from triage.store import DecisionError, DecisionIn, Store
from triage.store.consistency import check


def test_one_store_shared_by_threads_loses_nothing(store: Store):
    leads = seed_leads(store, 10)
    ids: list[int] = []
    errors: list[str] = []

    def work(i: int) -> None:
        rng = random.Random(i)
        for _ in range(60):
            try:
                ids.append(store.record_decision(random_decision(rng, leads, f"t{i}")))
                if rng.random() < 0.2:
                    store.undo(ids[-1], rep=f"t{i}")
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(ids) == [r[0] for r in store.db.execute(
        "SELECT id FROM decisions WHERE kind = 'decision' ORDER BY id")]
    assert check(store) == []


def _undo(path: str, target: int, start, results) -> None:
    with Store.open(path) as s:
        start.wait()
        try:
            s.undo(target, rep="racer")
            results.put("undone")
        except DecisionError as exc:
            results.put(f"refused: {exc}")
        except Exception as exc:  # noqa: BLE001
            results.put(f"CRASH {exc!r}")


def test_reps_racing_to_undo_the_same_decision(tmp_path, taxonomy):
    path = tmp_path / "race.db"
    with Store.open(path, taxonomy) as s:
        (lead,) = seed_leads(s, 1)
        target = s.record_decision(DecisionIn(lead_id=lead, rep="a", status="interested"))
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_undo, args=(str(path), target, start, results)) for _ in range(6)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert outcomes.count("undone") == 1, outcomes
    assert all(o.startswith("refused: decision") and "already undone" in o
               for o in outcomes if o != "undone"), outcomes
    with Store.open(path, taxonomy) as s:
        assert s.lead(lead)["status"] is None and check(s) == []
