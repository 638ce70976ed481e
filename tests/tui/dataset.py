"""A fixed small dataset for the TUI tests: a few leads, each showing one queue situation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from triage.mail.parse import ParsedMail
from triage.store import Store

HOSTILE_NAME = "[bold red]x[/] \x1b[31mEvil\x1b[0m Corp\x07"
HOSTILE_SUBJECT = "\x1b]8;;http://evil.example\x1b\\click me\x1b]8;;\x1b\\ [link=http://x]y[/link]"
HOSTILE_BODY = (
    "Hello [bold red]x[/] and [/] and \x1b[31mred\x1b[0m text.\n"
    "Ctrl\x00chars\x08 here\x1b[2J and a bell\x07.\n"
    "[@click=app.quit]quit[/]"
)


def _mail(
    mid: str, frm: str, name: str, subject: str, when: datetime, text: str, to: str = "rep@ours.example"
) -> ParsedMail:
    return ParsedMail(
        message_id=mid, from_addr=frm, from_name=name, to_addrs=[to], subject=subject,
        date=when, in_reply_to=None, references=[], text=text, body_from_html=False,
        headers={}, content_type="text/plain", raw_sha256=mid,
    )


def _lead(
    store: Store,
    now: datetime,
    n: int,
    name: str,
    company: str,
    *,
    reply: str | None,
    cls: dict[str, Any] | None = None,
    days_ago: float = 1.0,
    channel: str = "cold_email",
    persona: str = "Head of Sales",
    industry: str = "SaaS",
    size: str = "51-200",
    fit: float = 0.7,
    subject: str = "Quick question about your outbound",
    email: str | None = None,
) -> int:
    email = email or f"lead{n}@example.com"
    lead_id, _ = store.upsert_lead({
        "email": email, "name": name, "company": company, "channel": channel,
        "persona": persona, "industry": industry, "company_size": size, "fit": fit,
    })
    out_at = now - timedelta(days=days_ago + 3)
    store.add_message(
        _mail(f"<out{n}@ours.example>", "rep@ours.example", "Rep", subject, out_at,
              "Hi,\nWould a 15 minute call next week make sense?\nBest,\nRep", to=email),
        lead_id, "out",
    )
    if reply is not None:
        pk, _ = store.add_message(
            _mail(f"<in{n}@example.com>", email, name, f"Re: {subject}",
                  now - timedelta(days=days_ago), reply),
            lead_id, "in",
        )
        if cls is not None:
            store.add_classification(pk, {"confidence": 0.9, "evidence": [], **cls}, "test-1")
    return lead_id


QUOTED = (
    "\n\nOn Mon, 9 Nov 2026 at 10:00, Rep <rep@ours.example> wrote:\n"
    "> Hi,\n> Would a 15 minute call next week make sense?\n> Best,\n> Rep\n"
)


def build(store: Store, now: datetime) -> dict[str, int]:
    """Leads covering each queue situation; returns name -> lead id."""
    ids = {}
    ids["alice"] = _lead(
        store, now, 1, "Alice Martin", "Acme", days_ago=0.2, fit=0.9,
        reply="Sounds interesting, can we talk Thursday at 3pm?\n\nAlice Martin\nVP Sales, Acme\n+1 555 0100" + QUOTED,
        cls={"reply_class": "interested", "evidence": ["can we talk Thursday"]},
    )
    ids["bob"] = _lead(
        store, now, 2, "Bob Stone", "Globex", days_ago=1, channel="inbound",
        reply="No thanks, not for us.",
        cls={"reply_class": "not_interested", "reason": "not_interested", "evidence": ["No thanks"]},
    )
    ids["chloe"] = _lead(
        store, now, 3, "Chloé Dubois", "Initech", days_ago=2, channel="referral",
        persona="CFO", industry="Retail", size="201-1000",
        reply="Bonjour, nous sommes engagés avec notre prestataire jusqu'en mars. "
        "Recontactez-moi au printemps.\n\nCordialement,\nChloé",
        cls={"reply_class": "not_interested", "reason": "timing", "sub_reason": "contract_locked",
             "revisit_on": "2027-03-01", "language": "fr",
             "evidence": ["engagés avec notre prestataire jusqu'en mars"]},
    )
    ids["dan"] = _lead(
        store, now, 4, "Dan Ooo", "Umbrella", days_ago=0.5,
        reply="I am out of the office until 23 November with limited access to email.",
        cls={"reply_class": "out_of_office", "revisit_on": "2026-11-23",
             "evidence": ["out of the office until 23 November"]},
    )
    ids["eve"] = _lead(
        store, now, 5, "Eve Bounce", "Hooli", days_ago=0.3,
        reply="Delivery to the following recipient failed permanently: lead5@example.com",
        cls={"reply_class": "bounce", "confidence": 0.99, "evidence": ["failed permanently"]},
    )
    ids["frank"] = _lead(
        store, now, 6, "Frank Unsub", "Soylent", days_ago=0.4,
        reply="Please remove me from your list.",
        cls={"reply_class": "unsubscribe", "reason": "not_interested", "evidence": ["remove me"]},
    )
    ids["gina"] = _lead(store, now, 7, "Gina Stale", "Vandelay", reply=None, days_ago=8, fit=0.4)
    ids["hugo"] = _lead(
        store, now, 8, "Hugo Lenoir", "Stark", days_ago=1.5, industry="Manufacturing",
        reply="What does it cost for a team of 12?\n\n--\nHugo Lenoir\nStark Industries" + QUOTED,
        cls={"reply_class": "info_request", "confidence": 0.7, "evidence": ["What does it cost"]},
    )
    ids["hostile"] = _lead(
        store, now, 9, HOSTILE_NAME, "[i]Markup[/i] Inc\x1b[5m", days_ago=0.8,
        subject=HOSTILE_SUBJECT, reply=HOSTILE_BODY,
        cls={"reply_class": "info_request", "confidence": 0.5,
             "evidence": ["[bold]evidence[/bold]\x1b[31m"]},
    )
    return ids
