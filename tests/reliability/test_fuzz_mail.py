"""Fuzzing the mail parser: random bytes, truncated MIME, wrong charsets, huge lines, deep
multipart nesting -> a ParsedMail or a MailParseError, never another exception, in bounded
time; and whatever it returns can be stored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from triage.mail.parse import MailParseError, ParsedMail, parse_bytes
from triage.store import Store

#: no wall-clock deadline in the normal run (flaky on a loaded machine); `--stress` adds a
#: generous one as a hang guard (tests/reliability/conftest.py)
BOUNDED = settings(suppress_health_check=[HealthCheck.too_slow])

_STORE: Store | None = None


def _store() -> Store:
    global _STORE
    if _STORE is None:
        _STORE = Store.open(":memory:")
    return _STORE


def parse(raw: bytes) -> ParsedMail | None:
    try:
        mail = parse_bytes(raw)
    except MailParseError as exc:
        assert str(exc)
        return None
    assert mail.message_id and isinstance(mail.text, str)
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.date is None or mail.date.utcoffset() == timedelta(0)
    # what the parser returns must be storable as is (no lone surrogates, JSON-able headers)
    json.dumps(mail.headers)
    _store().add_message(mail, None, "in", source="fuzz")
    return mail


CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis", "gb2312", "utf-16",
            "utf-7", "big5", "x-unknown", "", "utf8\x00", "undefined", "idna", "rot13", "zip",
            "unicode_escape", "us-ascii", "iso-2022-jp", '"', "a" * 300]
CTES = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"]
ctypes = st.sampled_from(["text/plain", "text/html", "multipart/mixed", "multipart/alternative",
                          "multipart/report", "message/rfc822", "message/delivery-status",
                          "application/octet-stream", "text/x-junk", "garbage"])
header_text = st.text(max_size=80) | st.sampled_from(
    ["=?utf-8?q?=E9t=E9?=", "=?x-bad?b?////?=", "=?utf-8?b?not base64?=", "=?=?=", "<a@b>",
     "Mon, 32 Foo 2026 25:61:61 +9999", "31 Dec 9999 23:59:59 -2359", "\x1b[31mred", "a\x00b"]
)


BOUNDARIES = ["b", "", '"', "x" * 100]


@st.composite
def messages(draw) -> bytes:
    boundary = draw(st.sampled_from(BOUNDARIES))
    headers = [
        ("From", draw(header_text | st.just("Ana <ana@acme.io>"))),
        ("Subject", draw(header_text)),
        ("Date", draw(header_text)),
        ("Message-ID", draw(header_text)),
        ("Content-Type", f"{draw(ctypes)}; charset=\"{draw(st.sampled_from(CHARSETS))}\"; "
                         f'boundary="{boundary}"'),
        ("Content-Transfer-Encoding", draw(st.sampled_from(CTES))),
    ]
    headers = draw(st.permutations(headers))[: draw(st.integers(0, len(headers)))]
    head = b"".join(
        k.encode() + b": " + v.encode("utf-8", "surrogatepass") + b"\r\n" for k, v in headers
    )
    body = draw(st.binary(max_size=2000))
    if draw(st.booleans()):
        body = b"--b\r\nContent-Type: text/plain; charset=" + draw(
            st.sampled_from(CHARSETS)).encode("utf-8", "replace") + b"\r\n\r\n" + body
    return head + draw(st.sampled_from([b"\r\n", b"\n", b""])) + body


@BOUNDED
@given(st.binary(max_size=5000))
def test_random_bytes(raw):
    parse(raw)


@BOUNDED
@given(messages())
def test_random_headers_charsets_and_structures(raw):
    parse(raw)


def _corpus() -> list[Path]:
    root = SHARED / "corpus"
    if not root.is_dir():
        return []
    files = sorted(root.rglob("*.eml"))
    return files[:: max(1, len(files) // 300)]


CORPUS = _corpus()


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not available")
@BOUNDED
@given(st.sampled_from(CORPUS or [Path("none")]), st.floats(0, 1), st.binary(max_size=8))
def test_truncated_and_corrupted_real_mail(path, fraction, junk):
    raw = path.read_bytes()
    cut = int(len(raw) * fraction)
    parse(raw[:cut])
    parse(raw[:cut] + junk + raw[cut:])


def _nested(depth: int, ctype: str) -> bytes:
    out = b"From: a@b.c\r\nSubject: deep\r\n"
    for i in range(depth):
        out += f'Content-Type: {ctype}; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
    out += b"Content-Type: text/plain\r\n\r\nhello\r\n"
    for i in reversed(range(depth)):
        out += f"--b{i}--\r\n".encode()
    return out


@settings(max_examples=10)
@given(st.integers(1, 5000), st.sampled_from(["multipart/mixed", "multipart/report",
                                               "multipart/alternative"]))
def test_deep_multipart_nesting(depth, ctype):
    mail = parse(_nested(depth, ctype))
    if mail is not None and ctype != "multipart/report":
        assert mail.text == "hello"


@pytest.mark.parametrize("depth", [10, 500, 2000])
def test_deep_attached_messages(depth):
    parse(b"From: a@b.c\r\nContent-Type: multipart/report; boundary=z\r\n\r\n--z\r\n"
          + b"Content-Type: message/rfc822\r\n\r\n" * depth + b"x")


@settings(max_examples=10)
@given(st.integers(1, 5_000_000), st.sampled_from([b"x", b"\xe9", b"=?utf-8?q?x?= ", b"<a@b> "]),
       st.sampled_from(["body", "Subject", "References", "To"]))
def test_huge_lines(size, unit, where):
    blob = unit * (size // len(unit) or 1)
    if where == "body":
        raw = b"From: a@b.c\r\nSubject: big\r\n\r\n" + blob
    else:
        raw = b"From: a@b.c\r\n" + where.encode() + b": " + blob + b"\r\n\r\nbody"
    parse(raw)


@pytest.mark.parametrize("charset", ["utf8\x00", "undefined", "a" * 300, "idna"])
def test_broken_charset_labels_are_guessed_with_a_warning(charset):
    raw = (f'From: a@b.c\r\nSubject: =?{charset}?q?caf=C3=A9?=\r\n'
           f'Content-Type: text/plain; charset="{charset}"\r\n\r\ncafé\r\n').encode(
        "utf-8", "surrogatepass")
    mail = parse(raw)
    assert mail is not None and "café" in mail.text


def test_out_of_range_date_is_dropped_not_raised():
    mail = parse(b"From: a@b.c\r\nDate: Fri, 31 Dec 9999 23:59:59 -2359\r\n\r\nx")
    assert mail is not None and mail.date is None


def test_header_with_thousands_of_encoded_words_is_cut_quickly():
    mail = parse(b"From: a@b.c\r\nSubject: " + b"=?utf-8?q?x?= " * 200_000 + b"\r\n\r\nhi")
    assert mail is not None and any("cut" in w for w in mail.warnings)


def test_eight_bit_content_disposition_header():
    """compat32 hands back a Header object for raw 8-bit header bytes (found by the fuzzer)."""
    mail = parse(b'From: a@b.c\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
                 b"Content-Type: text/plain\r\n\r\nhello\r\n--b\r\n"
                 b"Content-Disposition: attachment; filename=\"caf\xe9.txt\"\r\n\r\nfile\r\n--b--\r\n")
    assert mail is not None and mail.text == "hello"
