"""Delivery failures: is this message a bounce, whose address failed, which message bounced.

Recipients come from flufl.bounce (DSN and dozens of non-standard MTA formats) and the
X-Failed-Recipients header; the original Message-ID from the returned message or headers.
"""

from __future__ import annotations

import email
import re
from email.message import Message

from triage.mail.parse import ParsedMail

_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "bounce", "bounces")
_SUBJECT_HINTS = re.compile(
    r"undeliver|delivery (status|failure|has failed)|returned mail|failure notice|"
    r"mail delivery|non remis|non distribu|échec de (la )?remise|impossible de remettre|"
    r"rejected|could not be delivered",
    re.IGNORECASE,
)
_MSGID_RE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_ADDR_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def looks_like_bounce(mail: ParsedMail) -> bool:
    msg = mail.message
    if mail.content_type == "multipart/report" and msg is not None:
        report_type = str(msg.get_param("report-type") or "").lower()
        if report_type in ("delivery-status", ""):
            return True
    if "x-failed-recipients" in mail.headers:
        return True
    local = mail.from_addr.partition("@")[0].lower()
    if local in _DAEMONS or local.startswith("mailer-daemon"):
        return True
    return not mail.from_addr and bool(_SUBJECT_HINTS.search(mail.subject))


def failed_recipients(mail: ParsedMail) -> list[str]:
    """The addresses that could not be delivered to, best evidence first."""
    found: list[str] = []
    header = mail.headers.get("x-failed-recipients", "")
    found += [a.lower() for a in _ADDR_RE.findall(header)]
    if mail.message is not None:
        try:
            from flufl.bounce import all_failures

            temporary, permanent = all_failures(mail.message)
        except Exception:  # a detector choking on hostile input is not our failure
            temporary, permanent = frozenset(), frozenset()
        for raw in sorted(permanent) + sorted(temporary):
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            text = text.strip().strip("<>").lower()
            if "@" in text:
                found.append(text)
    if not found:
        # last resort for notices no detector knows: the first address in the human text
        # that is neither the notice's sender nor its recipient (the bouncing sender)
        known = {mail.from_addr, *mail.to_addrs}
        found += [a.lower() for a in _ADDR_RE.findall(mail.text[:5000]) if a.lower() not in known]
    seen: list[str] = []
    for a in found:
        if a not in seen:
            seen.append(a)
    return seen


def original_message_ids(mail: ParsedMail) -> list[str]:
    """Message-IDs of the message that bounced: from the returned copy, then the thread."""
    ids: list[str] = []
    msg = mail.message
    if msg is not None:
        for part in _parts(msg):
            ctype = part.get_content_type()
            if ctype == "message/rfc822":
                payload = part.get_payload()
                inner = payload[0] if isinstance(payload, list) and payload else None
                if isinstance(inner, Message) and inner.get("message-id"):
                    ids += _MSGID_RE.findall(str(inner.get("message-id")))
            elif ctype == "text/rfc822-headers":
                data = part.get_payload(decode=True) or b""
                headers = email.message_from_bytes(data)
                ids += _MSGID_RE.findall(str(headers.get("message-id") or ""))
    ids += mail.thread_ids
    out: list[str] = []
    for i in ids:
        if i not in out and i != mail.message_id:
            out.append(i)
    return out


def _parts(msg: Message, depth: int = 0):
    yield msg
    if depth > 10 or not msg.is_multipart():
        return
    payload = msg.get_payload()
    if isinstance(payload, list):
        for part in payload:
            if isinstance(part, Message):
                yield from _parts(part, depth + 1)
