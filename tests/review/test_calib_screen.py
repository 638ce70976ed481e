"""The calibration screen in a tiny host app: blind labelling by keys, results view."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from textual.app import App
from textual.widgets import Static

from tests.conftest import FixedClock
from tests.review.test_calib_support import add_decided_lead, decisions_snapshot, populate
from triage.calibrate import add_label, create_session, items, labels
from triage.store import Store
from triage.taxonomy import load_taxonomy
from triage.tui.screens.calibration import CalibrationScreen

ROOT = Path(__file__).resolve().parents[2]


class Host(App):
    def __init__(self, store, rep="ana", session_id=None):
        super().__init__()
        self.store, self.rep, self.session_id = store, rep, session_id

    def on_mount(self) -> None:
        self.animation_level = "none"
        settings = SimpleNamespace(rep=self.rep, language="en")
        self.push_screen(CalibrationScreen(self.store, settings, self.session_id))


def _text(app: App, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_labelling_a_session_by_keys_writes_labels_and_no_decision(store):
    populate(store)
    s = create_session(store, size=3, seed=3)
    before = decisions_snapshot(store)
    app = Host(store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Day" not in _text(app, "#cal-title")
        await pilot.press("enter")  # the only session in the list
        assert "Lead 1 / 3" in _text(app, "#cal-progress")
        await pilot.press("t", "B", "enter")  # timing + budget, next
        await pilot.press("f", "enter")
        await pilot.press("T")  # secondary before a primary: refused
        assert labels(store, s.id)[-1]["position"] == 2
        await pilot.press("c", "f")  # changed her mind: fit
        assert "labelled 3 / 3" in _text(app, "#cal-progress")
        await pilot.press("k")
        assert "Lead 2 / 3" in _text(app, "#cal-progress")
        await pilot.press("j", "enter")  # last lead labelled: the results
        assert app.screen.view == "results"
    got = [(r["position"], r["rep"], r["primary_reason"], r["secondary_reason"])
           for r in labels(store, s.id)]
    assert got == [(1, "ana", "timing", "budget"), (2, "ana", "fit", None),
                   (3, "ana", "fit", None)]
    assert decisions_snapshot(store) == before


async def test_resumes_at_the_first_unlabelled_lead_and_shows_text_literally(store):
    nasty = "[bold red]not markup[/] \x1b[31mred\x1b[0m and \x07bell"
    add_decided_lead(store, 1, "fit", "disqualified", body=nasty)
    add_decided_lead(store, 2, "timing", "closed_lost", body=nasty)
    s = create_session(store, size=2, seed=1)
    add_label(store, s.id, "ana", "fit", position=1)
    app = Host(store, session_id=s.id)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Lead 2 / 2" in _text(app, "#cal-progress")
        await pilot.press("v")  # half done: the results would unblind her
        assert app.screen.view == "label"
        await pilot.press("v")  # asked twice: her call
        assert app.screen.view == "results"
        shown = _text(app, "#cal-thread-text")
        assert "[bold red]not markup[/] red and bell" in shown
        assert "\x1b" not in shown
        # blind: nothing of the original decision on screen
        assert "Disqualified" not in shown and "Closed-lost" not in shown
    assert len(items(store, s.id)) == 2


async def test_plus_creates_a_session_from_the_list(store):
    app = Host(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("plus")  # no decided leads yet: refused, nothing created
        assert store.scalar("SELECT COUNT(*) FROM calibration_sessions") == 0
        populate(store)
        await pilot.press("plus")
        assert store.scalar("SELECT COUNT(*) FROM calibration_items") == 10
        assert "10 leads" in str(app.screen.query_one("#cal-sessions").get_option_at_index(0)
                                 .prompt)


async def test_escape_goes_back_to_the_list_then_leaves(store):
    populate(store)
    create_session(store, size=2, seed=1, name="Day 4")
    app = Host(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape")
        assert app.screen.view == "sessions"
        await pilot.press("v")
        assert app.screen.view == "results"
        await pilot.press("escape", "escape")
    assert app.return_code == 0 or app.return_code is None


def _results_app(tmp_path: Path) -> App:
    tax = load_taxonomy(ROOT / "taxonomy.yaml")
    store = Store.open(tmp_path / "snap.db", tax, FixedClock())
    populate(store)
    s = create_session(store, size=5, seed=21, name="Day 4 calibration")
    # originals for seed 21: budget, timing, competition, fit, decision_maker
    assert [it["original_primary"] for it in items(store, s.id)] == [
        "budget", "timing", "competition", "fit", "decision_maker"]
    plan = {"ana": ["budget", "timing", "competition", "fit", "decision_maker"],
            "bo": ["timing", "timing", "competition", "fit", "decision_maker"],
            "cy": ["timing", "budget", "fit", "fit", "decision_maker"]}
    for rep, codes in plan.items():
        for pos, code in enumerate(codes, start=1):
            add_label(store, s.id, rep, code, "decision_maker" if (rep, pos) == ("bo", 2)
                      else None, position=pos)
    return Host(store, session_id=s.id)


def test_results_view_snapshot(snap_compare, tmp_path):
    """Results of a 5-lead session labelled by ana, bo and cy: the label matrix (bo's
    secondary shown dim, labels differing from the original in yellow), percent agreement,
    Fleiss' kappa, Cohen's kappa per pair, agreement with the original decisions, the
    per-code table (kappa, how often the others agree), the verdict and the Budget/Timing pair with both definitions side by side."""
    app = _results_app(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.press("v")

    assert snap_compare(app, terminal_size=(120, 60), run_before=run_before)


def test_labelling_view_snapshot(snap_compare, tmp_path):
    """Labelling lead 1 of 2 blind: progress line, the prospect's reply (French, with
    bracketed text that must stay literal, no colours from the escape sequence), the rep's
    label "Timing + Budget" and the reason keys. No classification, no original decision."""
    tax = load_taxonomy(ROOT / "taxonomy.yaml")
    store = Store.open(tmp_path / "label.db", tax, FixedClock())
    add_decided_lead(store, 1, "timing", "closed_lost", body=(
        "Bonjour,\n\nIntéressant, mais on est engagés avec notre prestataire jusqu'en mars "
        "[bold]et le budget 2026[/bold] est bouclé.\n\x1b[31mCordialement\x1b[0m,\nClaire"))
    add_decided_lead(store, 2, "fit", "disqualified")
    s = create_session(store, size=2, seed=5, name="Jour 4")
    first = items(store, s.id)[0]["lead_ref"]
    assert first == 1
    app = Host(store, session_id=s.id)
    assert snap_compare(app, terminal_size=(100, 28), press=["t", "B"])


async def test_calibration_app_used_by_the_cli_opens_the_session_and_exits(store):
    from triage.tui.screens.calibration import CalibrationApp

    populate(store)
    s = create_session(store, size=2, seed=1)
    app = CalibrationApp(store, SimpleNamespace(rep="zoe", language="fr"), s.id)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, CalibrationScreen) and app.screen.view == "label"
        assert "étiquetés 0 / 2" in _text(app, "#cal-progress")  # French settings
        await pilot.press("u", "escape")  # back to the list
        assert app.screen.view == "sessions"
        await pilot.press("escape")  # leaving calibration ends `triage calibrate label`
        await pilot.pause()
    assert [(r["rep"], r["primary_reason"]) for r in labels(store, s.id)] == [("zoe", "unknown")]
    assert not app.is_running


async def test_f4_in_the_main_app_opens_calibration_and_escape_returns(store, taxonomy):
    """The queue app (branch tui) binds F4 to CalibrationScreen(store, settings)."""
    from triage.settings import Settings
    from triage.tui import make_app

    populate(store)
    s = create_session(store, size=2, seed=1)
    before = decisions_snapshot(store)
    app = make_app(store, Settings(language="en", rep="julie", keymap={}), taxonomy,
                   FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        queue_screen = app.screen
        await pilot.press("f4")
        assert isinstance(app.screen, CalibrationScreen)
        await pilot.press("enter", "d", "escape", "escape")
        await pilot.pause()
        assert app.screen is queue_screen
    assert [(r["rep"], r["primary_reason"]) for r in labels(store, s.id)] == [
        ("julie", "decision_maker")]
    assert decisions_snapshot(store) == before
