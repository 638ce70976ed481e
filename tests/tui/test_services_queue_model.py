"""The queue kept in step incrementally always equals a queue ranked from scratch.

Random histories (seeded, deterministic): replies of every class, outbounds, decisions of every
status with and without revisit dates, undos, another rep's decisions — after each step the
long-lived Queue (and a filtered one) must agree with fresh ones.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.tui.test_services_helpers import ago, decide, lead, reply, send
from triage.queue import Queue, QueueFilter
from triage.settings import QueueSettings
from triage.store import Store

CLASSES = ["interested", "info_request", "not_interested", "out_of_office", "unsubscribe",
           "bounce", "wrong_person", None]
DECISIONS = [
    ("interested", None), ("in_discussion", None), ("nurturing", None), ("waiting", None),
    ("meeting_booked", None), ("closed_lost", "timing"), ("disqualified", "fit"),
    ("unsubscribed", "not_interested"), ("bounced", None), ("no_response", "no_response"),
]


def snapshot(queue: Queue) -> list[tuple[int, str, float]]:
    return [(r.lead_id, r.reason_in_queue, round(r.priority, 9)) for r in queue.page(0, 10_000)]


@pytest.mark.parametrize("seed", range(6))
def test_incremental_queue_equals_fresh_ranking(store: Store, seed: int) -> None:
    rnd = random.Random(seed)
    qs = QueueSettings(stale_after_days=5)
    leads = [lead(store, f"l{i}@s{seed}.test", fit=rnd.choice([None, 0.2, 0.5, 0.9]),
                  channel=rnd.choice(["cold_email", "inbound"])) for i in range(14)]
    live = Queue(store, qs, NOW)
    live_filtered = Queue(store, qs, NOW, QueueFilter(channel="inbound"))
    decided: list[int] = []
    for step in range(60):
        lead_id = rnd.choice(leads)
        op = rnd.random()
        if op < 0.3:
            reply(store, lead_id, ago(rnd.uniform(0, 20)), cls=rnd.choice(CLASSES))
        elif op < 0.45:
            send(store, lead_id, ago(rnd.uniform(0, 20)))
        elif op < 0.85:
            status, reason = rnd.choice(DECISIONS)
            revisit = None
            if rnd.random() < 0.4:
                revisit = NOW.date() + timedelta(days=rnd.randint(-5, 5))
            decided.append(decide(store, lead_id, status, primary_reason=reason,
                                  revisit_on=revisit, rep=rnd.choice(["julie", "marc"]),
                                  at=ago(rnd.uniform(0, 3))))
        elif decided:
            target = decided.pop(rnd.randrange(len(decided)))
            store.undo(target, "julie")
        if step % 5 == 4:
            fresh = Queue(store, qs, NOW)
            fresh.refresh()  # ranked from scratch in SQL, no reuse
            assert snapshot(live) == snapshot(fresh), f"step {step}"
            assert [live.index_of(i) for i in leads] == [fresh.index_of(i) for i in leads]
            fresh_filtered = Queue(store, qs, NOW, QueueFilter(channel="inbound"))
            fresh_filtered.refresh()
            assert snapshot(live_filtered) == snapshot(fresh_filtered), f"step {step}"
