"""Parse one message's bytes into plain data, whatever its charset or MIME shape.

Uses the standard library's email package (policy.default); charsets it cannot decode are
guessed with charset-normalizer; HTML-only bodies become text with inscriptis.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import Header, decode_header
from email.message import Message

import charset_normalizer

#: Headers kept for the classifier and the thread view (lowercase names).
KEPT_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "precedence",
    "x-auto-response-suppress",
    "x-failed-recipients",
    "list-unsubscribe",
    "content-type",
    "return-path",
)

#: Longest header whose RFC 2047 encoded words are decoded (a real Subject is far shorter).
MAX_ENCODED_HEADER = 16_384
_MSGID_RE = re.compile(r"<([^<>\s]+)>")
# Labels that mean windows-1252 in practice (what browsers do, per the WHATWG encoding spec).
_CP1252_ALIASES = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"}
#: A message with more MIME parts than this is hostile or broken; we stop walking there.
MAX_MIME_PARTS = 10_000
#: HTML bodies are cut to this many characters before conversion (a 5 MB newsletter is noise).
HTML_MAX_CHARS = 500_000


class MailParseError(ValueError):
    """The bytes are not a usable email message; the message says why."""


@dataclass
class ParsedMail:
    message_id: str
    from_addr: str
    from_name: str
    to_addrs: list[str]
    subject: str
    date: datetime | None
    in_reply_to: str | None
    references: list[str]
    text: str
    body_from_html: bool
    headers: dict[str, str]
    content_type: str
    raw_sha256: str
    warnings: list[str] = field(default_factory=list)
    message: Message | None = field(default=None, repr=False, compare=False)

    @property
    def is_delivery_report(self) -> bool:
        return self.content_type == "multipart/report"

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += [r for r in reversed(self.references) if r not in ids]
        return ids


def parse_bytes(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise MailParseError("empty message")
    if b"\n" not in raw[:4096] and b"\r" in raw:  # classic Mac OS line ends (CR only)
        raw = raw.replace(b"\r", b"\n")
    try:
        # compat32 parsing: about 20x faster than policy.default; headers are decoded below
        msg = email.message_from_bytes(raw)
    except Exception as exc:  # the parser is lenient; this is truly broken input
        raise MailParseError(f"unreadable MIME structure: {exc}") from None
    warnings: list[str] = []
    sha = hashlib.sha256(raw).hexdigest()
    from_name, from_addr = _first_address(_header(msg, "from", warnings))
    if not from_addr and not _header(msg, "subject", warnings) and not _payload(msg):
        raise MailParseError("no From, no Subject and no body: not an email message")
    message_id = _first_msgid(_header(msg, "message-id", warnings)) or f"sha256-{sha[:32]}@triage"
    to_addrs = [a for _, a in _addresses(_header(msg, "to", warnings)) if a]
    in_reply_to = _first_msgid(_header(msg, "in-reply-to", warnings))
    references = _MSGID_RE.findall(_header(msg, "references", warnings))
    try:
        text, from_html = body_text(msg, warnings)
    except RecursionError:
        raise MailParseError("MIME parts nested too deeply") from None
    headers = {h: v for h in KEPT_HEADERS if (v := _header(msg, h, warnings))}
    return ParsedMail(
        message_id=message_id,
        from_addr=from_addr,
        from_name=from_name,
        to_addrs=to_addrs,
        subject=_header(msg, "subject", warnings),
        date=_date(_header(msg, "date", warnings)),
        in_reply_to=in_reply_to,
        references=references,
        text=text,
        body_from_html=from_html,
        headers=headers,
        content_type=msg.get_content_type(),
        raw_sha256=sha,
        warnings=warnings,
        message=msg,
    )


# -- headers ------------------------------------------------------------------------------


def _header(msg: Message, name: str, warnings: list[str]) -> str:
    """A header as text: RFC 2047 encoded words decoded, raw 8-bit bytes guessed, one line."""
    value = msg.get(name)
    if value is None:
        return ""
    if isinstance(value, Header):
        # compat32 wraps raw 8-bit header bytes in an unknown-8bit Header whose str() is
        # U+FFFD: take the raw value (surrogate-escaped bytes) and decode it ourselves
        value = next((v for k, v in msg.raw_items() if k.lower() == name), str(value))
    value = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        # raw 8-bit bytes in a header: undo surrogateescape and decode them properly
        value = _decode_bytes(value.encode("utf-8", "surrogateescape"), None, warnings, name)
    if "=?" in value:
        if len(value) > MAX_ENCODED_HEADER:
            # the stdlib decoder is quadratic in the number of encoded words
            warnings.append(f"{name} header longer than {MAX_ENCODED_HEADER} characters, cut")
            value = value[:MAX_ENCODED_HEADER]
        try:
            chunks = decode_header(value)
        except Exception as exc:  # malformed encoded word: keep the text as it came
            warnings.append(f"malformed {name} header: {exc}")
        else:
            value = "".join(
                _decode_bytes(chunk, charset, warnings, name) if isinstance(chunk, bytes) else chunk
                for chunk, charset in chunks
            )
    return " ".join(value.split())


def _addresses(value: str) -> list[tuple[str, str]]:
    try:
        pairs = email.utils.getaddresses([value])
    except Exception:
        return []
    return [(name.strip(), addr.strip().lower()) for name, addr in pairs if "@" in addr]


def _first_address(value: str) -> tuple[str, str]:
    pairs = _addresses(value)
    return pairs[0] if pairs else (value.strip(), "")


def _first_msgid(value: str) -> str | None:
    found = _MSGID_RE.search(value)
    if found:
        return found.group(1)
    value = value.strip()
    return value if value and " " not in value else None


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):  # e.g. year 9999 at -23:59
        return None


# -- bodies -------------------------------------------------------------------------------


def body_text(msg: Message, warnings: list[str] | None = None) -> tuple[str, bool]:
    """The human-readable text of a message: text/plain if any, else HTML turned to text.

    For a delivery report, the human-readable first part plus the machine-readable status.
    """
    warnings = warnings if warnings is not None else []
    if msg.get_content_type() == "multipart/report":
        parts = []
        for part in _walk(msg):
            ctype = part.get_content_type()
            if ctype in ("text/plain", "message/delivery-status"):
                parts.append(_part_text(part, warnings))
            elif ctype in ("message/rfc822", "text/rfc822-headers"):
                break
        text = "\n".join(p for p in parts if p)
        return _normalise(text), False
    plain = html = None
    for part in _leaf_parts(msg):
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _part_text(part, warnings)
        elif ctype == "text/html" and html is None:
            html = _part_text(part, warnings)
    if plain and plain.strip():
        return _normalise(plain), False
    if html:
        return _normalise(html_to_text(html)), True
    return "", False


def _walk(msg: Message, skip=None):
    """Like Message.walk(), depth-first in order, but with an explicit stack: hostile
    nesting (thousands of levels) costs no recursion; at most MAX_MIME_PARTS parts.
    `skip(part)` leaves out a part below the top and everything under it."""
    stack = [msg]
    seen = 0
    while stack and seen < MAX_MIME_PARTS:
        part = stack.pop()
        seen += 1
        if skip is not None and part is not msg and skip(part):
            continue
        yield part
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend(p for p in reversed(payload) if isinstance(p, Message))


def _attached(part: Message) -> bool:
    """An attachment or an attached message: not the body."""
    if part.get_content_maintype() == "message":
        return True
    return str(part.get("content-disposition") or "").lower().startswith("attachment")


def _leaf_parts(msg: Message):
    """Body candidates in order, skipping attachments and attached messages."""
    return (part for part in _walk(msg, skip=_attached) if not part.is_multipart())


def _part_text(part: Message, warnings: list[str]) -> str:
    if part.get_content_maintype() == "message":
        payload = _payload(part)
        if isinstance(payload, list):
            return "\n".join(_headers_text(p) for p in payload if isinstance(p, Message))
        return str(payload or "")
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        warnings.append(f"undecodable {part.get_content_type()} part: {exc}")
        return ""
    if data is None:
        return ""
    return _decode_bytes(data, part.get_content_charset(), warnings, part.get_content_type())


def _payload(part: Message):  # -> str | list[Message] | None
    """get_payload() without its charset trap: for 8-bit bodies the stdlib decodes with the
    declared charset and only survives unknown names, not labels like "undefined" or NULs."""
    try:
        return part.get_payload()
    except ValueError:  # UnicodeError from the "undefined" codec, embedded NUL in the label
        data = part.get_payload(decode=True)
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def _headers_text(msg: Message) -> str:
    return "\n".join(f"{k}: {v}" for k, v in msg.items())


def _decode_bytes(data: bytes, charset: str | None, warnings: list[str], what: str) -> str:
    label = (charset or "").strip().lower()
    if label in _CP1252_ALIASES:
        label = "cp1252"
    if label:
        try:
            return data.decode(label)
        except UnicodeDecodeError:
            warnings.append(f"{what}: bytes are not valid {charset!r}, guessed instead")
        except (LookupError, ValueError):  # ValueError: NUL in the label; codecs' UnicodeError
            warnings.append(f"{what}: unknown charset {charset!r}, guessed instead")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return guess_decode(data)


def guess_decode(data: bytes) -> str:
    """Bytes of unknown charset to text: UTF-8 if valid, else the best guess, cp1252 on ties.

    Western mail without a (correct) label is windows-1252 far more often than the
    look-alikes (cp1250, mac_roman, latin-1) charset-normalizer may rank equal.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return data.decode("cp1252", errors="replace")
    for match in results:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01:
            return str(match)
    if best.encoding in ("latin_1", "iso8859_15", "cp1250", "mac_roman", "iso8859_2"):
        try:
            cp = data.decode("cp1252")
        except UnicodeDecodeError:
            return str(best)
        if not any("\x80" <= ch <= "\x9f" for ch in cp):
            return cp
    return str(best)


def html_to_text(html: str) -> str:
    from inscriptis import get_text  # imported lazily: lxml is slow to load

    if len(html) > HTML_MAX_CHARS:
        html = html[:HTML_MAX_CHARS]
    try:
        return get_text(html)
    except Exception:  # broken markup: fall back to dropping the tags
        return re.sub(r"<[^>]+>", " ", html)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip("\n")
