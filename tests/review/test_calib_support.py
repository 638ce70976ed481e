"""Builders shared by the calibration tests (no tests here)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW
from triage.mail.parse import parse_bytes
from triage.store import DecisionIn, Store

#: (reason, status) of the past decided leads the tests calibrate on: 3 timing, 2 fit,
#: 2 budget, 1 decision_maker, 1 competition, 1 meeting booked without a reason.
PAST = [
    ("timing", "closed_lost"), ("timing", "nurturing"), ("timing", "closed_lost"),
    ("fit", "disqualified"), ("fit", "disqualified"),
    ("budget", "closed_lost"), ("budget", "closed_lost"),
    ("decision_maker", "disqualified"), ("competition", "closed_lost"),
    (None, "meeting_booked"),
]


def raw_reply(i: int, body: str, subject: str = "Re: quick question") -> bytes:
    return (
        f"From: Prospect {i} <p{i}@example.com>\r\nTo: rep@ours.example\r\n"
        f"Subject: {subject}\r\nMessage-ID: <reply-{i}@example.com>\r\n"
        f"Date: Mon, 2 Nov 2026 10:{i % 60:02d}:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
    ).encode()


def add_decided_lead(store: Store, i: int, reason: str | None, status: str,
                     body: str | None = None, days_ago: int = 10) -> int:
    lead_id, _ = store.upsert_lead({"email": f"p{i}@example.com", "company": f"Company {i}"})
    mail = parse_bytes(raw_reply(i, body or f"Reply number {i}, thanks for reaching out."))
    store.add_message(mail, lead_id, "in")
    store.record_decision(
        DecisionIn(lead_id=lead_id, rep="orig", status=status, primary_reason=reason),
        at=NOW - timedelta(days=days_ago),
    )
    return lead_id


def populate(store: Store) -> list[int]:
    return [add_decided_lead(store, i, reason, status) for i, (reason, status)
            in enumerate(PAST, start=1)]


def decisions_snapshot(store: Store) -> tuple:
    """Everything calibration must never touch."""
    return (store.all("SELECT * FROM decisions ORDER BY id"),
            store.all("SELECT * FROM leads ORDER BY id"))
