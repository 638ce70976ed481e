"""Small builders for the services tests (no tests here): leads, mails, replies, decisions."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from tests.conftest import NOW
from triage.mail.parse import ParsedMail
from triage.store import DecisionIn, Store

_ids = itertools.count(1)


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def mail(
    frm: str,
    when: datetime,
    subject: str = "Hello",
    text: str = "Hi there",
    name: str = "",
    headers: dict[str, str] | None = None,
    content_type: str = "text/plain",
    to: str = "rep@vendor.test",
) -> ParsedMail:
    return ParsedMail(
        message_id=f"m{next(_ids)}@test",
        from_addr=frm,
        from_name=name,
        to_addrs=[to],
        subject=subject,
        date=when,
        in_reply_to=None,
        references=[],
        text=text,
        body_from_html=False,
        headers=headers or {},
        content_type=content_type,
        raw_sha256="0" * 64,
    )


def lead(store: Store, email: str, **fields: object) -> int:
    fields.setdefault("name", email.split("@")[0].title())
    fields.setdefault("company", email.split("@")[1].split(".")[0].title())
    lead_id, _ = store.upsert_lead({"email": email, **fields})
    return lead_id


def send(store: Store, lead_id: int, when: datetime, subject: str = "Quick question") -> int:
    email = store.lead(lead_id)["email"]
    pk, _ = store.add_message(mail("rep@vendor.test", when, subject, to=email), lead_id, "out")
    return pk


def reply(
    store: Store,
    lead_id: int,
    when: datetime,
    cls: str | None = "interested",
    confidence: float = 0.9,
    revisit_on: date | None = None,
    text: str = "Sounds good, tell me more.",
    subject: str = "Re: Quick question",
    headers: dict[str, str] | None = None,
    content_type: str = "text/plain",
) -> int:
    row = store.lead(lead_id)
    pk, _ = store.add_message(
        mail(row["email"], when, subject, text, name=row["name"] or "", headers=headers,
             content_type=content_type),
        lead_id, "in",
    )
    if cls is not None:
        store.add_classification(
            pk,
            {"reply_class": cls, "confidence": confidence,
             "revisit_on": revisit_on.isoformat() if revisit_on else None},
            "test-1",
        )
    return pk


def decide(store: Store, lead_id: int, status: str = "interested", rep: str = "julie",
           at: datetime | None = None, **kw: object) -> int:
    return store.record_decision(DecisionIn(lead_id=lead_id, rep=rep, status=status, **kw), at=at)
