"""ReportScreen in a tiny host app: week navigation (Pilot) and a snapshot with fixed data."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Static, TabbedContent

from tests.review.test_report_weekly import build_fixture
from triage.report import Week
from triage.tui.screens.report import ReportScreen, bar, clean


class Host(App):
    def __init__(self, store, lang="en") -> None:
        super().__init__()
        self.store = store
        self.settings = SimpleNamespace(language=lang)

    def on_mount(self) -> None:
        self.push_screen(ReportScreen(self.store, self.settings))


def title(app) -> str:
    return str(app.screen.query_one("#report-title", Static).render())


def body(app, tab) -> str:
    console = Console(width=110, record=True, file=io.StringIO())
    console.print(app.screen.bodies[tab])
    return console.export_text()


def test_bar_and_clean():
    assert bar(0, 10) == "" and bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██" and bar(1, 8, 1) == "▏"
    assert clean("a\x1b[31mb\u202e\nc\x1b[2J") == "ab c"  # whole sequences go, not just ESC


@pytest.fixture
def fixture_store(store):
    build_fixture(store)
    return store


async def test_week_navigation(fixture_store):
    app = Host(fixture_store)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.week == Week(2026, 46)  # last complete week at the fixed clock
        assert "2026-W46" in title(app) and "19 leads · 16 with a reason · 22 decisions" in title(app)
        assert "Timing" in body(app, "overall") and "37.5 %" in body(app, "overall")
        await pilot.press("left")
        assert screen.week == Week(2026, 45)
        assert "12 leads" in title(app)
        await pilot.press("left_square_bracket")
        assert screen.week == Week(2026, 44)
        assert "No decisions in 2026-W44" in body(app, "overall")
        await pilot.press("right_square_bracket", "right")
        assert screen.week == Week(2026, 46)
        await pilot.press("right")  # the current week, still in progress
        assert screen.week == Week(2026, 47) and "in progress" in title(app)
        await pilot.press("right")  # never beyond the current week
        assert screen.week == Week(2026, 47)


async def test_section_keys_and_reps_flag(fixture_store):
    app = Host(fixture_store)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("r")
        assert app.screen.query_one(TabbedContent).active == "reps"
        reps = body(app, "reps")
        assert "bob" in reps and "40.0 %" in reps and "FLAG" in reps
        await pilot.press("f")
        assert app.screen.query_one(TabbedContent).active == "funnel"
        assert "Closed-lost" in body(app, "funnel")
        await pilot.press("c")
        assert "cold_email — 8 with a reason" in body(app, "channel")


async def test_markup_in_data_is_shown_as_text(fixture_store):
    fixture_store.upsert_lead({"email": "x@y.z", "channel": "[bold red]evil[/]"})
    lead = fixture_store.lead_id_by_email("x@y.z")
    from datetime import UTC, datetime

    from triage.store import DecisionIn

    fixture_store.record_decision(
        DecisionIn(lead_id=lead, rep="eve", status="closed_lost", primary_reason="fit"),
        at=datetime(2026, 11, 12, tzinfo=UTC),
    )
    app = Host(fixture_store)
    async with app.run_test(size=(110, 36)):
        assert "[bold red]evil[/]" in body(app, "channel")


async def test_experiments_in_overall(fixture_store):
    from triage.experiments import add_experiment, validate

    exp, _ = validate(fixture_store, "ROI line", "channel=cold_email", ["c"], "2026-11-09",
                      "2026-11-15", "timing")
    add_experiment(fixture_store, exp)
    app = Host(fixture_store)
    async with app.run_test(size=(110, 36)) as pilot:
        assert "ROI line [channel=cold_email" in body(app, "overall")
        await pilot.press("left")  # W45: the experiment had not started
        assert "ROI line" not in body(app, "overall")


async def test_french_labels(fixture_store):
    app = Host(fixture_store, "fr")
    async with app.run_test(size=(110, 36)):
        assert "Revue hebdomadaire" in title(app)
        assert "Adéquation" in body(app, "overall")


def test_snapshot_overall(fixture_store, snap_compare):
    assert snap_compare(Host(fixture_store), terminal_size=(100, 32))


def test_snapshot_reps(fixture_store, snap_compare):
    assert snap_compare(Host(fixture_store), press=["r"], terminal_size=(100, 32))
