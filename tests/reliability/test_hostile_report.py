"""Hostile lead profiles (from a CRM CSV: persona, industry, channel, size, rep names) in the
weekly review screen and the Markdown report: shown as text, no escape reaches the terminal,
no Markdown table broken."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from tests.reliability.test_hostile_tui import FORBIDDEN, terminal_bytes
from triage.store import DecisionIn, Store

pytest.importorskip("triage.tui.screens.report")

EVIL = "[bold red]x[/] \x1b]52;c;cm0gLXJm\x07\x1b[2J|pipe\nnew\u202e\x00"


def build(store: Store) -> None:
    when = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)  # in 2026-W46, the last complete week
    for i in range(4):
        lead, _ = store.upsert_lead({
            "email": f"l{i}@example.com", "name": EVIL, "persona": f"{EVIL}{i % 2}",
            "industry": EVIL, "channel": EVIL, "company_size": EVIL, "owner": EVIL,
        })
        store.record_decision(DecisionIn(lead_id=lead, rep=f"rep{EVIL}", status="closed_lost",
                                         primary_reason="timing"), at=when)


async def test_report_screen_with_hostile_segments(store: Store):
    from textual.app import App

    from triage.tui.screens.report import ReportScreen

    build(store)

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ReportScreen(store, SimpleNamespace(language="en")))

    app = Host()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        for key in ("o", "c", "s", "r", "f"):
            await pilot.press(key)
            await pilot.pause()
            out = terminal_bytes(app)
            # the escape bytes must go; what follows them may show as harmless text
            for seq in [s for s in FORBIDDEN if s[0] in "\x1b\x9b" or len(s) == 1]:
                assert seq not in out, f"{seq!r} reached the terminal on tab {key}"
        assert app.is_running


def test_markdown_report_keeps_tables_whole(store: Store):
    from triage.report import Week, render, weekly_report

    build(store)
    text = render(weekly_report(store, Week(2026, 46)), "md", store.taxonomy)
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    for line in text.splitlines():
        if line.startswith("|"):
            # every table row has the same number of cells as its header (no raw | or newline)
            assert line.rstrip().endswith("|"), line
    tables: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            if not tables or tables[-1] is None:
                tables.append([])
            tables[-1].append(line)
        elif tables and tables[-1] is not None:
            tables.append(None)
    for table in filter(None, tables):
        widths = {row.replace("\\|", "").count("|") for row in table}
        assert len(widths) == 1, table
