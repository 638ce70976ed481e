"""Bulk accept: the queue's auto-classified bounces, unsubscribes and out-of-office replies.

Each candidate is a lead in the queue *because of a reply* whose newest reply the classifier
put in one of BULK_CLASSES. It gets the status (and reason) the taxonomy's ``reply_classes``
suggest for that class; an out-of-office becomes "waiting" with ``revisit_on`` = the return
date the classifier read (or, when it found none, today + ``stale_after_days``, flagged
``revisit_guessed``), so the lead re-enters the queue when the person is back.

``apply_bulk`` records one decision per item (``source='bulk'``), each in its own
transaction; an item whose lead changed meanwhile (a newer reply, another rep's decision) is
skipped. It returns the decision ids, so the UI can undo them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from triage.queue import Queue
from triage.sanitise import one_line
from triage.store import DecisionError, DecisionIn, Store
from triage.timeutil import parse_day

BULK_CLASSES = ("bounce", "unsubscribe", "out_of_office")


@dataclass(frozen=True)
class BulkItem:
    lead_id: int
    name: str
    email: str
    reply_class: str
    confidence: float
    status: str
    primary_reason: str | None
    revisit_on: date | None
    message_pk: int
    classification_id: int
    revisit_guessed: bool = False


def bulk_candidates(
    store: Store, queue: Queue, min_confidence: float = 0.0
) -> list[BulkItem]:
    """The queue's leads (in queue order) that one confirmation can settle."""
    marks = ", ".join("?" for _ in BULK_CLASSES)
    rows = store.db.execute(
        f"""SELECT l.id, l.name, l.email, l.last_inbound_pk, c.id, c.reply_class,
                   c.confidence, c.revisit_on
            FROM leads l
            JOIN classifications c ON c.id = (
                SELECT id FROM classifications WHERE message_pk = l.last_inbound_pk
                ORDER BY id DESC LIMIT 1)
            WHERE l.last_reply_class IN ({marks})
              AND l.last_inbound_pk > COALESCE(l.decided_inbound_pk, 0)""",
        BULK_CLASSES,
    ).fetchall()
    positions = queue.positions(r[0] for r in rows)
    today = queue.now.date()
    guess_days = queue.qs.stale_after_days
    items = []
    for lead_id, name, email, message_pk, cid, cls, confidence, revisit_on in rows:
        if cls not in BULK_CLASSES or confidence < min_confidence:
            continue
        position = positions.get(lead_id)
        if position is None:  # filtered out of this queue view
            continue
        suggestion = store.taxonomy.reply_class(cls)
        status = store.taxonomy.status(suggestion.status)
        if status.requires_reason and not suggestion.reason:
            continue  # the taxonomy gives no reason for a final status: a human decides
        revisit, guessed = None, False
        if suggestion.status == "waiting" or cls == "out_of_office":
            try:
                revisit = parse_day(revisit_on)
            except ValueError:  # an unreadable return date: as if none was found
                revisit = None
            if revisit is None:
                revisit, guessed = today + timedelta(days=guess_days), True
        items.append(
            (position, BulkItem(
                lead_id=lead_id,
                name=one_line(name),
                email=one_line(email),
                reply_class=cls,
                confidence=float(confidence),
                status=suggestion.status,
                primary_reason=suggestion.reason,
                revisit_on=revisit,
                message_pk=int(message_pk),
                classification_id=int(cid),
                revisit_guessed=guessed,
            ))
        )
    items.sort(key=lambda pi: pi[0])
    return [item for _, item in items]


def apply_bulk(
    store: Store,
    rep: str,
    items: list[BulkItem],
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Record each item's decision (one durable transaction each: a crash keeps every item
    already reported); returns the new decision ids. `progress(done, total)` is called after
    each item, for a progress bar when the list is long (run it in a worker)."""
    ids: list[int] = []
    total = len(items)
    for done, item in enumerate(items, 1):
        if progress is not None and done > 1:
            progress(done - 1, total)
        try:
            with store.write():
                lead = store.one(
                    "SELECT last_inbound_pk, decided_inbound_pk FROM leads WHERE id = ?",
                    (item.lead_id,),
                )
                if (
                    lead is None
                    or lead["last_inbound_pk"] != item.message_pk
                    or (lead["decided_inbound_pk"] or 0) >= item.message_pk
                ):
                    continue  # a newer reply arrived, or someone decided meanwhile
                ids.append(
                    store.record_decision(
                        DecisionIn(
                            lead_id=item.lead_id,
                            rep=rep,
                            status=item.status,
                            primary_reason=item.primary_reason,
                            revisit_on=item.revisit_on,
                            source="bulk",
                            message_pk=item.message_pk,
                            classification_id=item.classification_id,
                        )
                    )
                )
        except DecisionError:
            continue  # e.g. the taxonomy changed under us: leave it to the rep
    if progress is not None and total:
        progress(total, total)
    return ids


__all__ = ["BULK_CLASSES", "BulkItem", "apply_bulk", "bulk_candidates"]
