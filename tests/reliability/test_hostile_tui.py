"""Hostile content end to end: a raw .eml whose name, subject and body carry Rich markup,
ANSI/OSC escapes and control characters goes through the real importer into the queue screen.
The screen shows the markup literally, and the bytes Textual would send to the terminal carry
none of the payload's escapes (only Textual's own drawing sequences)."""

from __future__ import annotations

import re
from email.header import Header

import pytest

from tests.conftest import NOW, FixedClock
from triage.settings import Settings
from triage.store import Store

pytest.importorskip("triage.tui.app")

MARKUP = ["[bold red]x[/]", "[link=http://evil.example]y[/link]", "[@click=app.quit]q[/]",
          "[/]", "[blink]b[/blink]"]
ESCAPES = {
    "CSI colour": "\x1b[31m", "CSI clear": "\x1b[2J", "CSI cursor home": "\x1b[H",
    "OSC 8 link": "\x1b]8;;http://evil.example\x1b\\", "OSC 52 clipboard": "\x1b]52;c;cm0gLXJm\x07",
    "OSC title": "\x1b]0;pwned\x07", "DCS": "\x1bP1$r\x1b\\", "8-bit CSI": "\x9b31m",
    "BEL": "\x07", "backspace": "\x08", "CR": "\r", "bidi override": "\u202e", "NUL": "\x00",
    "vertical tab": "\x0b", "DEL": "\x7f",
}
#: what must never reach the terminal (Textual's own output is CSI cursor/colour codes only)
FORBIDDEN = ["\x1b]", "\x1bP", "\x9b", "\x07", "\x08", "\x00", "\u202e", "\x0b", "\x7f",
             "\x1b[2J", "evil.example\x1b", "cm0gLXJm"]


def payload(tag: str) -> str:
    return f"{tag}:" + "".join(f"<{name}>{seq}" for name, seq in ESCAPES.items()) + " ".join(MARKUP)


def hostile_eml() -> bytes:
    name = Header("Eve " + MARKUP[0] + " \x1b[31mEvil\x1b]52;c;cm0gLXJm\x07 \u202eCorp",
                  "utf-8").encode()
    subject = Header("SUBJ " + MARKUP[1] + " \x1b]8;;http://evil.example\x1b\\click\u202eme",
                     "utf-8").encode()
    body = ("Hello.\n" + payload("BODY") + "\nline two \x1b[2J after clear\rover\x08write\n"
            + MARKUP[2] + "\n")
    return (
        f"From: \"{name}\" <eve@evil.example>\r\nTo: julie@acme-sales.io\r\n"
        f"Subject: {subject}\r\nDate: Sun, 15 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <hostile-1@evil.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + body.encode("utf-8")


@pytest.fixture
def hostile_db(tmp_path, taxonomy):
    from triage.ingest import Identity, MailImporter
    from triage.mail.sources import RawMail

    path = tmp_path / "hostile.db"
    with Store.open(path, taxonomy, FixedClock()) as store:
        importer = MailImporter(store, Identity(addresses={"julie@acme-sales.io"}))
        assert importer.import_raw(RawMail("hostile.eml", hostile_eml()))
        lead_id = store.lead_id_by_email("eve@evil.example")
        # the store keeps the data as received: sanitising is the screen's job
        assert "\x1b]52" in store.lead(lead_id)["name"] or "\x1b]52" in str(
            store.one("SELECT from_name FROM messages")["from_name"])
    return path, lead_id


def screen_text(app) -> str:  # noqa: ANN001
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


def terminal_bytes(app) -> str:  # noqa: ANN001
    """Exactly what Textual would write to a real terminal for a full repaint of this screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


async def test_hostile_lead_renders_literally_and_sends_no_escape(hostile_db, taxonomy):
    from triage.tui import make_app
    from triage.tui.widgets.queue_list import QueueList

    path, lead_id = hostile_db
    app = make_app(path, Settings(language="en", rep="julie", keymap={}), taxonomy,
                   FixedClock(NOW))
    app.animation_level = "none"
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            screen = app.screen
            screen.query_one(QueueList).move_to(screen.queue.index_of(lead_id))
            await pilot.pause()
            text = screen_text(app)
            out = terminal_bytes(app)
            # shown literally: markup is text, not style; names and subjects are readable
            for markup in (MARKUP[0], MARKUP[1], MARKUP[2]):
                assert markup in text, markup
            assert "Eve" in text and "SUBJ" in text and "Hello." in text
            assert "after clear" in text
            # nothing executable is on screen or on the wire
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
            for seq in FORBIDDEN:
                assert seq not in out, f"{seq!r} reached the terminal"
            # Textual's own output: only CSI sequences (cursor moves, SGR colours)
            assert set(re.findall(r"\x1b(.)", out)) <= {"["}
            # the [@click=app.quit] markup did nothing, and keys still work on this lead
            await pilot.press("j", "k")
            assert app.is_running
    finally:
        app.store.close()


def test_hostile_lead_snapshot(snap_compare, hostile_db, taxonomy):
    """Snapshot proof: the markup shows as text, escapes are gone, the layout is intact."""
    from triage.tui import make_app
    from triage.tui.widgets.queue_list import QueueList

    path, lead_id = hostile_db
    app = make_app(path, Settings(language="en", rep="julie", keymap={}), taxonomy,
                   FixedClock(NOW))

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.pause()  # the queue screen is mounted
        screen = pilot.app.screen
        screen.query_one(QueueList).move_to(screen.queue.index_of(lead_id))
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
    finally:
        app.store.close()
