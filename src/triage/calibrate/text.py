"""Email text made safe to show: no terminal escape sequences or control characters.

(The TUI's services helper owns `triage.sanitise`; this is the calibration screen's small
local copy so the area does not depend on an unmerged module. Markup is not handled here:
callers render with `rich.text.Text`, which never interprets markup.)
"""

from __future__ import annotations

import re

# ESC/CSI/OSC sequences first, then any remaining C0/C1 control except tab and newline
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str | None) -> str:
    """`text` without escape sequences and control characters (CR LF -> LF)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))
