"""bench/synth.py builds a database the store itself would agree with (so the bench is honest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT
from triage.queue import Queue
from triage.settings import QueueSettings
from triage.store import Store
from triage.store.consistency import check


def _synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synth_database_is_consistent_and_queues(tmp_path: Path, taxonomy) -> None:
    synth = _synth()
    counts = synth.build(tmp_path / "s.db", 400, seed=3)
    assert counts["leads"] == 400 and counts["messages"] > 400
    store = Store.open(tmp_path / "s.db", taxonomy, lambda: synth.NOW)
    try:
        assert check(store) == []
        # cached newest reply class agrees with the classification of the newest inbound
        assert store.scalar(
            """SELECT count(*) FROM leads l JOIN classifications c
               ON c.message_pk = l.last_inbound_pk WHERE c.reply_class != l.last_reply_class"""
        ) == 0
        queue = Queue(store, QueueSettings(), synth.NOW)
        reasons = {r.reason_in_queue for r in queue.page(0, 400)}
        assert reasons == {"reply", "stale", "revisit"}
        assert 0 < queue.count() < 400
    finally:
        store.close()
