"""A lead's thread for the screen: newest first, each message split into what is new, the quoted
history and the signature, with auto-reply / bounce headers summarised.

Splitting uses the classifier's ``triage.classify.quotes.split_reply`` (one quote stripper for
the whole app; importing it loads neither the classifier's engine nor its pydantic model).
Every text field is passed through ``triage.sanitise.plain`` (no escape sequence or control
character survives); the screen still renders it with ``sanitise.as_text`` (never markup).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from triage.sanitise import one_line, plain
from triage.store import Store
from triage.timeutil import parse_iso

Splitter = Callable[[str], tuple[str, str, str]]

_MARKERS = {
    "auto_reply": {"en": "auto-reply", "fr": "réponse automatique"},
    "bounce": {"en": "delivery failure", "fr": "échec de remise"},
    "bulk": {"en": "bulk mail", "fr": "envoi en masse"},
    "list": {"en": "mailing list", "fr": "liste de diffusion"},
    "from_html": {"en": "converted from HTML", "fr": "converti depuis HTML"},
}


@dataclass(frozen=True)
class ThreadMessage:
    pk: int
    direction: str  # 'in' | 'out'
    who: str  # 'Name <addr>' (or just the address)
    from_name: str
    from_addr: str
    when: datetime | None
    subject: str
    new_text: str
    quoted: str  # collapsed by default in the UI
    signature: str
    #: marker ids among auto_reply, bounce, bulk, list, from_html
    markers: tuple[str, ...] = ()
    #: the markers in words, with the header values behind them ("auto-reply (Auto-Submitted:
    #: auto-replied)"), in the requested language
    header_notes: tuple[str, ...] = ()
    reply_class: str | None = None
    confidence: float | None = None
    to: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sent_at(self) -> str:
        return self.when.strftime("%Y-%m-%d %H:%M") if self.when else ""

    @property
    def header(self) -> str:
        """One line: 'Ann Archer <ann@acme.test> · 2026-11-14 09:00 · Re: pricing · auto-reply'."""
        parts = [self.who or "?", self.sent_at, self.subject]
        parts += [n.split(" (")[0] for n in self.header_notes]
        return " · ".join(p for p in parts if p)

    @property
    def body(self) -> str:
        return "\n\n".join(p for p in (self.new_text, self.signature, self.quoted) if p)


def thread_view(
    store: Store, lead_id: int, lang: str = "en", limit: int | None = None
) -> list[ThreadMessage]:
    """The lead's messages, newest first, ready to show (at most `limit` of them)."""
    from triage.classify.quotes import split_reply

    split = _safe(split_reply)
    rows = store.db.execute(
        """SELECT m.id, m.direction, m.from_name, m.from_addr, m.to_addrs, m.sent_at, m.subject,
                  m.body, m.body_from_html, m.headers, m.content_type,
                  c.reply_class, c.confidence
           FROM messages m
           LEFT JOIN classifications c ON c.id = (
               SELECT id FROM classifications WHERE message_pk = m.id ORDER BY id DESC LIMIT 1)
           WHERE m.lead_id = ?
           ORDER BY m.sent_at DESC, m.id DESC
           LIMIT ?""",
        (lead_id, -1 if limit is None else max(limit, 0)),
    ).fetchall()
    out = []
    for (pk, direction, name, addr, to_json, sent_at, subject, body, from_html, headers_json,
         content_type, cls, confidence) in rows:
        name, addr = one_line(name), one_line(addr)
        new_text, quoted, signature = split(plain(body))
        markers, notes = summarise_headers(_load(headers_json), content_type, bool(from_html),
                                           lang, addr)
        to = _load(to_json)
        out.append(
            ThreadMessage(
                pk=pk,
                direction=direction,
                who=f"{name} <{addr}>" if name and addr else (addr or name),
                from_name=name,
                from_addr=addr,
                when=_when(sent_at),
                subject=one_line(subject),
                new_text=plain(new_text),
                quoted=plain(quoted),
                signature=plain(signature),
                markers=markers,
                header_notes=notes,
                reply_class=cls,
                confidence=confidence,
                to=tuple(one_line(t) for t in to) if isinstance(to, list) else (),
            )
        )
    return out


def summarise_headers(
    headers: dict | None,
    content_type: str | None,
    from_html: bool = False,
    lang: str = "en",
    from_addr: str | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(marker ids, notes) from the kept headers: auto-reply, bounce, bulk, list markers."""
    h = {str(k).lower(): one_line(str(v), 80) for k, v in (headers or {}).items() if v}
    found: dict[str, list[str]] = {}

    def mark(marker: str, evidence: str) -> None:
        found.setdefault(marker, []).append(evidence)

    auto = h.get("auto-submitted", "")
    if auto and auto.lower() != "no":
        mark("auto_reply", f"Auto-Submitted: {auto}")
    for name in ("x-autoreply", "x-autorespond"):
        if name in h:
            mark("auto_reply", f"{_title(name)}: {h[name]}")
    precedence = h.get("precedence", "").lower()
    if precedence == "auto_reply":
        mark("auto_reply", f"Precedence: {precedence}")
    elif precedence in ("bulk", "junk", "list"):
        mark("bulk", f"Precedence: {precedence}")
    if (content_type or "").lower() == "multipart/report":
        mark("bounce", "multipart/report")
    local = (from_addr or "").split("@")[0].lower()
    if local in ("mailer-daemon", "postmaster"):
        mark("bounce", f"From: {one_line(from_addr, 60)}")
    if "x-failed-recipients" in h:
        mark("bounce", f"X-Failed-Recipients: {h['x-failed-recipients']}")
    if "list-unsubscribe" in h:
        mark("list", "List-Unsubscribe")
    if from_html:
        mark("from_html", "text/html")
    lang = "fr" if lang == "fr" else "en"
    markers = tuple(found)
    notes = tuple(f"{_MARKERS[m][lang]} ({', '.join(found[m])})" for m in markers)
    return markers, notes


def _safe(split: Splitter) -> Splitter:
    """A splitter that never hides a message: on any failure the whole text is the new text."""

    def run(text: str) -> tuple[str, str, str]:
        try:
            return split(text)
        except Exception:
            return text.strip(), "", ""

    return run


def _when(text: str | None) -> datetime | None:
    try:
        return parse_iso(text)
    except ValueError:  # a stored date nobody can read: shown without one
        return None


def _load(text: str | None) -> object:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _title(header: str) -> str:
    return "-".join(part.capitalize() for part in header.split("-"))


__all__ = ["ThreadMessage", "summarise_headers", "thread_view"]
