"""triage.bulk: one confirmation settles bounces, unsubscribes and out-of-office replies."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import NOW
from tests.tui.test_services_helpers import ago, decide, lead, reply, send
from triage.bulk import apply_bulk, bulk_candidates
from triage.queue import Queue, QueueFilter
from triage.settings import QueueSettings
from triage.store import Store


def setup(store: Store) -> dict[str, int]:
    ids = {k: lead(store, f"{k}@acme.test", channel="cold_email" if k != "ooo2" else "inbound")
           for k in ("bounce", "unsub", "ooo", "ooo2", "hot", "old_ooo", "stale")}
    reply(store, ids["bounce"], ago(1), cls="bounce", confidence=0.99)
    reply(store, ids["unsub"], ago(1), cls="unsubscribe", confidence=0.95)
    reply(store, ids["ooo"], ago(1), cls="out_of_office", revisit_on=date(2026, 11, 30))
    reply(store, ids["ooo2"], ago(1), cls="out_of_office", confidence=0.4)  # no return date
    reply(store, ids["hot"], ago(1), cls="interested")
    # an OOO already handled, now a due revisit: not a bulk candidate again
    reply(store, ids["old_ooo"], ago(20), cls="out_of_office")
    decide(store, ids["old_ooo"], "waiting", revisit_on=NOW.date(), at=ago(19))
    send(store, ids["stale"], ago(10))
    return ids


def test_candidates_and_their_suggestions(store: Store) -> None:
    ids = setup(store)
    queue = Queue(store, QueueSettings(stale_after_days=7), NOW)
    items = {i.reply_class + ("" if i.lead_id != ids["ooo2"] else "2"): i
             for i in bulk_candidates(store, queue)}
    assert set(items) == {"bounce", "unsubscribe", "out_of_office", "out_of_office2"}
    assert (items["bounce"].status, items["bounce"].primary_reason) == ("bounced", None)
    assert (items["unsubscribe"].status, items["unsubscribe"].primary_reason) == (
        "unsubscribed", "not_interested")
    ooo = items["out_of_office"]
    assert (ooo.status, ooo.revisit_on, ooo.revisit_guessed) == ("waiting", date(2026, 11, 30),
                                                                 False)
    guessed = items["out_of_office2"]
    assert guessed.revisit_on == NOW.date() + timedelta(days=7) and guessed.revisit_guessed
    # in queue order
    order = [i.lead_id for i in bulk_candidates(store, queue)]
    assert order == sorted(order, key=queue.index_of)
    # a filtered queue offers only its own leads; a confidence floor is available
    inbound = Queue(store, QueueSettings(), NOW, QueueFilter(channel="inbound"))
    assert [i.lead_id for i in bulk_candidates(store, inbound)] == [ids["ooo2"]]
    assert ids["ooo2"] not in {i.lead_id for i in bulk_candidates(store, queue, 0.5)}


def test_apply_records_bulk_decisions_that_can_be_undone(store: Store) -> None:
    ids = setup(store)
    queue = Queue(store, QueueSettings(), NOW)
    before = queue.count()
    items = bulk_candidates(store, queue)
    seen: list[tuple[int, int]] = []
    decision_ids = apply_bulk(store, "julie", items, progress=lambda d, t: seen.append((d, t)))
    assert len(decision_ids) == 4
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert queue.count() == before - 4
    for did in decision_ids:
        d = store.decision(did)
        assert d["source"] == "bulk" and d["rep"] == "julie" and d["classification_id"]
    assert store.lead(ids["bounce"])["status"] == "bounced"
    assert store.lead(ids["unsub"])["status"] == "unsubscribed"
    ooo = store.lead(ids["ooo"])
    assert (ooo["status"], ooo["revisit_on"]) == ("waiting", "2026-11-30")
    # the OOO comes back on its return date
    later = Queue(store, QueueSettings(), NOW.replace(day=30))
    assert later.row(ids["ooo"]).reason_in_queue == "revisit"
    # undo restores the queue
    for did in decision_ids:
        store.undo(did, "julie")
    assert queue.count() == before
    assert bulk_candidates(store, queue) != []


def test_items_that_changed_meanwhile_are_skipped(store: Store) -> None:
    ids = setup(store)
    queue = Queue(store, QueueSettings(), NOW)
    items = bulk_candidates(store, queue)
    decide(store, ids["bounce"], "disqualified", primary_reason="fit", rep="marc")
    reply(store, ids["unsub"], ago(hours=1), cls="interested")  # changed their mind
    done = apply_bulk(store, "julie", items)
    assert len(done) == 2
    assert store.lead(ids["bounce"])["status"] == "disqualified"
    assert store.lead(ids["unsub"])["status"] is None
    assert apply_bulk(store, "julie", items) == []  # idempotent


def test_nothing_to_do(store: Store) -> None:
    a = lead(store, "a@acme.test")
    reply(store, a, ago(1), cls="interested")
    assert bulk_candidates(store, Queue(store, QueueSettings(), NOW)) == []
    assert apply_bulk(store, "julie", []) == []


def test_unreadable_return_date_is_guessed(store: Store) -> None:
    a = lead(store, "a@acme.test")
    pk = reply(store, a, ago(1), cls="out_of_office", revisit_on=date(2026, 12, 1))
    store.db.execute("UPDATE classifications SET revisit_on = 'soon' WHERE message_pk = ?", (pk,))
    (item,) = bulk_candidates(store, Queue(store, QueueSettings(stale_after_days=7), NOW))
    assert item.revisit_on == NOW.date() + timedelta(days=7) and item.revisit_guessed
