"""triage.sanitise: email text reaches the screen as data, never as escapes or markup."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from triage.sanitise import as_text, one_line, plain

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# text that is mostly escape material: ESC, C1, brackets, digits, BEL, ST
_nasty = st.text(
    alphabet=st.sampled_from(
        list("\x1b\x9b\x9d\x90\x9c\x07\\[]P;0123456789mHJ?ab \n\t\r\u202e\u2066é[/]")
    ),
    max_size=60,
)


def render(text: Text) -> str:
    console = Console(file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True)
    console.print(text)
    return console.file.getvalue()


@given(st.one_of(st.text(), _nasty))
def test_no_escape_or_control_char_survives(text: str) -> None:
    out = plain(text)
    assert FORBIDDEN.search(out) is None
    assert plain(out) == out  # idempotent


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf"))))
def test_printable_text_is_kept_unchanged(text: str) -> None:
    assert plain(text) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_markup_stays_literal(inner: str) -> None:
    source = f"[bold]{inner}[/] [link=https://evil]x[/link] [red]"
    t = as_text(source)
    assert t.plain == plain(source)
    assert t.spans == []  # no style was applied from the text


def test_known_sequences_are_removed_whole() -> None:
    samples = {
        "a\x1b[31mred\x1b[0m b": "ared b",
        "title\x1b]0;pwned\x07 done": "title done",
        "clip\x1b]52;c;ZXZpbA==\x1b\\ok": "clipok",
        "dcs\x1bPq#0;2;0;0;0\x1b\\end": "dcsend",
        "8bit\x9b2Jcsi\x9d0;t\x9cosc": "8bitcsiosc",
        "cursor\x1b7saved\x1b8": "cursorsaved",
        "charset\x1b(Bascii": "charsetascii",
        "bell\x07back\x08space": "bellbackspace",
        "cr\roverwrite": "cr\noverwrite",
        "crlf\r\nline": "crlf\nline",
        "bidi \u202eevil\u202c and \u2066iso\u2069": "bidi evil and iso",
        "unterminated \x1b]0;title": "unterminated ",
        "keep\ttab\nnewline é 日本 🙂 عربى": "keep\ttab\nnewline é 日本 🙂 عربى",
    }
    for raw, want in samples.items():
        assert plain(raw) == want, raw


def test_rendered_output_shows_markup_literally_and_no_injected_escape() -> None:
    out = render(as_text("[bold]x[/] \x1b]0;title\x07 \x1b[2J", style="italic"))
    assert "[bold]x[/]" in out
    assert "]0;title" not in out and "\x1b[2J" not in out
    assert as_text("x", style="bold").style == "bold"


def test_none_and_empty() -> None:
    assert plain(None) == "" and plain("") == ""
    assert as_text(None).plain == ""


def test_one_line_collapses_and_cuts() -> None:
    assert one_line(" Re:\n  hello\tthere \x1b[1m") == "Re: hello there"
    assert one_line("abcdefghij", 6) == "abcde…"
    assert one_line("abc", 6) == "abc"
