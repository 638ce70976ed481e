"""Email text as data: strip what a terminal would execute, never interpret markup.

Mail bodies, names and subjects come from strangers. Before any of it reaches the screen:

- ANSI escape sequences (CSI ``ESC [``, OSC ``ESC ]``, DCS ``ESC P``, SOS/PM/APC, and their
  8-bit C1 forms) are removed whole, so nothing can move the cursor, retitle the window,
  write the clipboard or hide text;
- the remaining C0/C1 control characters are removed, except newline and tab; carriage returns
  become newlines (a lone CR would overwrite the line on a terminal);
- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed
  ("Trojan Source" reordering), as are lone surrogates, which no terminal can encode;
- every other printable character, accents, emoji and right-to-left scripts included, is kept.

:func:`as_text` wraps the result in a :class:`rich.text.Text` built directly (never from
markup), so ``[bold]x[/]`` in a subject shows as those nine characters.
"""

from __future__ import annotations

import re

from rich.text import Text

# String-type sequences run to a terminator: BEL, ST (ESC \) or the 8-bit ST (0x9C).
# An unterminated one is dropped to the end of the text (a terminal would swallow it too).
_STRING_SEQ = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|$)"
# CSI: ESC [ or 0x9B, parameter bytes, intermediate bytes, one final byte.
_CSI = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Other escapes: ESC, optional intermediates (e.g. "ESC ( B"), one final byte.
_ESC = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
_ESCAPES = re.compile(f"{_STRING_SEQ}|{_CSI}|{_ESC}")

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 except \t and \n, DEL, C1, bidi controls, lone surrogates.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\ud800-\udfff]"
)
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")


def plain(text: str | None) -> str:
    """`text` with terminal escapes, control characters and bidi overrides removed."""
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = _ESCAPES.sub("", text)
    text = _NEWLINES.sub("\n", text)
    return _CONTROL.sub("", text)


def one_line(text: str | None, max_len: int | None = None) -> str:
    """`plain(text)` on a single line (names, subjects, previews), optionally cut with '…'."""
    line = " ".join(plain(text).split())
    if max_len is not None and len(line) > max_len:
        line = line[: max(max_len - 1, 0)].rstrip() + "…"
    return line


def as_text(text: str | None, style: str = "") -> Text:
    """A Rich Text showing `text` literally: sanitised, and never parsed as markup."""
    return Text(plain(text), style=style)


__all__ = ["as_text", "one_line", "plain"]
