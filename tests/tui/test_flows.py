"""Pilot tests of each flow of the queue screen, asserting what the database holds afterwards."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW
from tests.tui.conftest import SIZE
from triage.tui.widgets.panels import SidePanel
from triage.tui.widgets.queue_list import QueueList


def decisions(app) -> list[dict]:  # noqa: ANN001
    return app.store.all("SELECT * FROM decisions ORDER BY id")


def current(app):  # noqa: ANN001, ANN201
    return app.screen.query_one(QueueList).current


def message(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#message").render())


def side(app, box: str) -> str:  # noqa: ANN001
    """The text of one box of the side panel: classification, decision or counts."""
    return app.screen.query_one(SidePanel).text(box).plain


async def go_to(pilot, lead_id: int) -> None:  # noqa: ANN001
    screen = pilot.app.screen
    screen.query_one(QueueList).move_to(screen.queue.index_of(lead_id))
    await pilot.pause()
    assert current(pilot.app).lead_id == lead_id


async def test_first_lead_is_the_highest_priority_and_enter_accepts(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        assert current(app).lead_id == ids["alice"]
        before = app.screen.queue.count()
        await pilot.press("enter")
        rows = decisions(app)
        assert len(rows) == 1
        d = rows[0]
        assert (d["lead_id"], d["status"], d["primary_reason"], d["source"], d["rep"]) == (
            ids["alice"], "interested", None, "manual", "julie",
        )
        assert d["classification_id"] is not None
        # committed, and the next lead is shown
        assert current(app).lead_id != ids["alice"]
        assert app.screen.queue.count() == before - 1
        assert message(app) == "Saved Alice Martin: Interested"  # who, so the rep can check


async def test_accept_keeps_suggested_reason_sub_reason_and_revisit(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["chloe"])
        await pilot.press("enter")
        d = decisions(app)[-1]
        assert (d["status"], d["primary_reason"], d["sub_reason"], d["revisit_on"]) == (
            "closed_lost", "timing", "contract_locked", "2027-03-01",
        )


async def test_primary_then_secondary_then_status(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["bob"])
        await pilot.press("c")  # Competition has sub-reasons: the picker opens
        assert app.screen.picking is not None
        assert "Sub-reason for Competition" in side(app, "decision")
        await pilot.press("escape")  # Esc skips the sub-reason
        assert app.screen.picking is None
        await pilot.press("T")  # Shift+t: Timing as secondary
        await pilot.press("l")  # closed-lost saves
        d = decisions(app)[-1]
        assert (d["lead_id"], d["status"], d["primary_reason"], d["secondary_reason"]) == (
            ids["bob"], "closed_lost", "competition", "timing",
        )
        assert d["sub_reason"] is None


async def test_secondary_equal_to_primary_is_refused(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["bob"])
        await pilot.press("b", "escape")  # Budget, no sub-reason
        await pilot.press("B")
        assert "cannot be the primary" in message(app)
        assert app.screen.draft.eff_secondary is None
        await pilot.press("l")
        d = decisions(app)[-1]
        assert (d["primary_reason"], d["secondary_reason"]) == ("budget", None)


async def test_status_letter_saves_with_that_status(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hugo"])
        await pilot.press("e")
        d = decisions(app)[-1]
        assert (d["lead_id"], d["status"]) == (ids["hugo"], "in_discussion")


async def test_final_status_without_reason_is_refused(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hugo"])  # a question: no suggested reason
        await pilot.press("q")  # disqualified requires a reason
        assert decisions(app) == []
        assert current(app).lead_id == ids["hugo"]  # still on the same lead
        assert "final status: choose a reason first" in message(app)
        await pilot.press("f")  # Fit
        await pilot.press("escape")
        await pilot.press("q")
        d = decisions(app)[-1]
        assert (d["status"], d["primary_reason"]) == ("disqualified", "fit")


async def test_unknown_asks_the_clarifying_question(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["bob"])
        await pilot.press("u")
        assert "Is it mostly timing, budget or fit?" in message(app)
        assert "Is it mostly timing, budget or fit?" in side(app, "decision")
        await pilot.press("b", "escape")  # the rep answers: budget after all
        assert "Is it mostly" not in side(app, "decision")
        await pilot.press("l")
        assert decisions(app)[-1]["primary_reason"] == "budget"


async def test_sub_reason_picker_chooses_and_escape_skips(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["bob"])
        await pilot.press("t")
        assert app.screen.picking is not None
        await pilot.press("down", "enter")  # second option: project delayed
        assert app.screen.picking is None
        await pilot.press("l")
        d = decisions(app)[-1]
        assert (d["primary_reason"], d["sub_reason"]) == ("timing", "project_delayed")
        # next lead: Esc leaves no sub-reason even where the classifier suggested one
        await go_to(pilot, ids["chloe"])
        await pilot.press("t", "escape", "l")
        d = decisions(app)[-1]
        assert (d["lead_id"], d["primary_reason"], d["sub_reason"]) == (ids["chloe"], "timing", None)


async def test_note_is_saved_with_the_decision(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hugo"])
        await pilot.press("a")
        await pilot.press(*"needs SOC2")
        await pilot.press("enter")  # closes the note input
        assert decisions(app) == []
        await pilot.press("enter")  # accepts
        d = decisions(app)[-1]
        assert (d["lead_id"], d["note"]) == (ids["hugo"], "needs SOC2")


async def test_note_escape_cancels(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hugo"])
        await pilot.press("a", "x", "escape", "enter")
        assert decisions(app)[-1]["note"] is None


async def test_revisit_date_from_text(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hugo"])
        await pilot.press("v", *"soon", "enter")
        assert type(app.screen).__name__ == "ValidatedLineInput"  # unreadable: stays open
        assert "Cannot read" in str(app.screen.query_one("#line-error").render())
        await pilot.press(*(["backspace"] * 4), *"2025-01-10", "enter")  # the past: refused
        assert type(app.screen).__name__ == "ValidatedLineInput"
        assert "must be after today" in str(app.screen.query_one("#line-error").render())
        await pilot.press(*(["backspace"] * 10), *"+90d", "enter")
        assert type(app.screen).__name__ == "QueueScreen"
        await pilot.press("g")  # nurturing
        d = decisions(app)[-1]
        assert (d["status"], d["revisit_on"]) == (
            "nurturing", (NOW.date() + timedelta(days=90)).isoformat(),
        )


async def test_undo_is_multi_level_and_recorded(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        count = app.screen.queue.count()
        first = current(app).lead_id
        await pilot.press("enter")
        second = current(app).lead_id
        await pilot.press("enter")
        await pilot.press("enter")
        assert app.screen.queue.count() == count - 3
        await pilot.press("z")
        await pilot.press("z")
        rows = decisions(app)
        undos = [r for r in rows if r["kind"] == "undo"]
        assert [u["undoes"] for u in undos] == [rows[2]["id"], rows[1]["id"]]
        assert app.screen.queue.count() == count - 1
        assert current(app).lead_id == second  # back on the lead whose decision was undone
        assert app.store.lead(second)["status"] is None
        assert app.store.lead(first)["status"] == "interested"
        await pilot.press("z", "z")  # the third undo, then nothing left
        assert app.store.lead(first)["status"] is None
        assert len([r for r in decisions(app) if r["kind"] == "undo"]) == 3


async def test_next_and_previous(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        ql = app.screen.query_one(QueueList)
        await pilot.press("j", "j", "down")
        assert ql.cursor == 3
        await pilot.press("k", "up")
        assert ql.cursor == 1
        await pilot.press("k", "k", "k")
        assert ql.cursor == 0
        assert current(app).lead_id == ql.row_at(0).lead_id
        assert "2/" not in str(app.screen.query_one("#title").render())


async def test_search_narrows_the_queue(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", *"globex", "enter")
        assert app.screen.queue.count() == 1
        assert current(app).lead_id == ids["bob"]
        assert "globex" in str(app.screen.query_one("#title").render())
        await pilot.press("s", *(["backspace"] * 6), "enter")  # empty clears
        assert app.screen.queue.count() == len(ids)


async def test_filter_by_reply_class_and_clear(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        picker = app.screen
        assert type(picker).__name__ == "FilterPicker"
        index = next(i for i, c in enumerate(picker._choices) if c[:2] == ("reply_class", "bounce"))
        picker.query_one("#filters").highlighted = index
        await pilot.press("enter")
        assert app.screen.filter.reply_class == "bounce"
        assert app.screen.queue.count() == 1
        assert current(app).lead_id == ids["eve"]
        await pilot.press("ctrl+f")
        app.screen.query_one("#filters").highlighted = 0  # clear
        await pilot.press("enter")
        assert app.screen.queue.count() == len(ids)


async def test_filter_by_channel_and_segment(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        for kind, value, expected in (("channel", "referral", {ids["chloe"]}),
                                      ("segment", "CFO", {ids["chloe"]})):
            await pilot.press("ctrl+f")
            picker = app.screen
            index = next(i for i, c in enumerate(picker._choices) if c[:2] == (kind, value))
            picker.query_one("#filters").highlighted = index
            await pilot.press("enter")
            got = {r.lead_id for r in app.screen.queue.page(0, 50)}
            assert got == expected
            await pilot.press("ctrl+f")
            app.screen.query_one("#filters").highlighted = 0
            await pilot.press("enter")


async def test_bulk_accept_after_one_confirmation(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+b")
        assert type(app.screen).__name__ == "Confirm"
        assert "for 3 auto-classified" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("n")
        assert decisions(app) == []
        await pilot.press("ctrl+b", "y")
        await app.workers.wait_for_complete()  # bulk runs in a worker thread
        await pilot.pause()
        assert "Bulk accepted 3 leads" in message(app)
        rows = decisions(app)
        assert {r["lead_id"] for r in rows} == {ids["dan"], ids["eve"], ids["frank"]}
        assert {r["source"] for r in rows} == {"bulk"}
        by_lead = {r["lead_id"]: r for r in rows}
        assert by_lead[ids["eve"]]["status"] == "bounced"
        assert by_lead[ids["frank"]]["status"] == "unsubscribed"
        assert by_lead[ids["dan"]]["status"] == "waiting"
        assert by_lead[ids["dan"]]["revisit_on"] == "2026-11-23"
        await pilot.press("z")  # one undo takes the whole bulk back
        assert len([r for r in decisions(app) if r["kind"] == "undo"]) == 3


async def test_command_palette_runs_actions(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Next")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(QueueList).cursor == 1


async def test_palette_lists_every_action(make) -> None:
    from triage.tui.app import TriageCommands

    app = make()
    async with app.run_test(size=SIZE):
        provider = TriageCommands(app.screen)
        names = " ".join(name for name, _, _ in provider._commands())
        for word in ("Accept", "Next", "Previous", "Note", "Revisit", "Undo", "Search", "Filter",
                     "Bulk accept", "Help", "Timing", "+Budget", "Closed-lost", "Report",
                     "Calibration"):
            assert word in names


async def test_help_lists_every_reason_with_definition_and_example(make, taxonomy) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        text = str(app.screen.query_one("#help-text").render())
        for r in taxonomy.reasons:
            assert r.definition.en in text and r.example.en in text and r.definition.fr in text
        for s in taxonomy.statuses:
            assert s.label.en in text
        assert "Undo" in text and "Bulk accept" in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "QueueScreen"


async def test_french_ui(make) -> None:
    app = make("fr")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one(SidePanel).titles == {
            "classification": "Classification", "decision": "Décision", "counts": "Compteurs de raisons",
        }
        await pilot.press("u")
        assert "Est-ce surtout le timing, le budget ou l'adéquation ?" in message(app)
        await pilot.press("a")  # the note input's keys are French too
        assert "Annuler" in [b.description for _, b in app.screen._bindings]
        await pilot.press("escape")
        assert "Quitter" in [b.description for _, b in app._bindings]


async def test_counts_panel_follows_decisions(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("n", "escape", "l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = side(app, "counts")
        assert "Not interested" in text
        assert "Queue remaining: 8" in text


async def test_hostile_content_is_shown_literally(make, tui_db) -> None:
    _, ids = tui_db
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, ids["hostile"])
        thread = app.screen.query_one("#thread").text.plain
        assert "[bold red]x[/]" in thread and "[@click=app.quit]quit[/]" in thread
        assert "\x1b" not in thread and "\x07" not in thread and "\x00" not in thread
        shown = side(app, "classification")
        assert "[bold red]x[/]" in shown and "[i]Markup[/i]" in shown
        assert app.is_running  # the @click markup did not quit the app


async def test_empty_queue(make, tmp_path, taxonomy) -> None:
    from tests.conftest import FixedClock
    from triage.store import Store

    db = tmp_path / "empty.db"
    Store.open(db, taxonomy, FixedClock()).close()
    app = make(db=db)
    async with app.run_test(size=SIZE) as pilot:
        assert current(app) is None
        assert "Queue empty" in side(app, "decision")
        await pilot.press("enter", "l", "j", "z")  # nothing happens, nothing breaks
        assert decisions(app) == []


async def test_arrows_move_the_cursor_when_the_list_scrolls(make) -> None:
    """A queue longer than the list: arrows still move the cursor (and the picker), not the
    scroll position; Home / End go to the ends; page keys scroll the thread."""
    app = make()
    async with app.run_test(size=(100, 14)) as pilot:
        ql = app.screen.query_one(QueueList)
        assert ql.count > ql.scrollable_content_region.height  # it scrolls
        await pilot.press("down", "down", "down", "down", "down")
        assert ql.cursor == 5
        assert ql.scroll_y > 0  # the cursor stays visible
        await pilot.press("up")
        assert ql.cursor == 4
        await pilot.press("t", "down", "down", "enter")
        assert app.screen.draft.eff_sub_reason == "hiring_freeze"
        await pilot.press("end")
        assert ql.cursor == ql.count - 1
        await pilot.press("home")
        assert ql.cursor == 0
        thread = app.screen.query_one("#thread")
        assert thread.virtual_size.height > thread.scrollable_content_region.height
        await pilot.press("pagedown")
        assert thread.scroll_y > 0 and ql.cursor == 0
        await pilot.press("pageup")
        assert thread.scroll_y == 0


async def test_report_and_calibration_screens_open_from_f3_f4(make) -> None:
    from triage.tui.screens.calibration import CalibrationScreen
    from triage.tui.screens.report import ReportScreen

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        app.pop_screen()
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, CalibrationScreen)


async def test_report_and_calibration_keys_speak_french(make) -> None:
    app = make("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        shown = {b.id: b.description for _, b in app.screen._bindings}
        assert shown["report.close"] == "Retour" and shown["report.funnel"] == "Entonnoir"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        shown = {b.id: b.description for _, b in app.screen._bindings}
        assert shown["calibration.results"] == "Résultats"
        assert str(app.screen.query_one("#cal-title").render()).startswith("Calibrage · julie")


async def test_keymap_from_settings_remaps_a_binding(tui_db, taxonomy) -> None:
    from tests.conftest import FixedClock
    from triage.settings import Settings
    from triage.tui import make_app

    settings = Settings(language="en", rep="julie", keymap={"queue.note": "ctrl+n"})
    app = make_app(tui_db[0], settings, taxonomy, FixedClock())
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+n")
            assert type(app.screen).__name__ == "LineInput"
            await pilot.press("escape", "a")  # the old key no longer opens the note
            assert type(app.screen).__name__ == "QueueScreen"
    finally:
        app.store.close()


async def test_the_saved_confirmation_stays_until_another_message_replaces_it(make) -> None:
    """'Saved …' stays on the message line while the rep works on the next lead (it is what
    they check); a warning replaces it and goes with the next key."""
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        saved = message(app)
        assert saved.startswith("Saved ")
        await pilot.press("t", "escape", "j", "k")  # reason, picker closed, moves: still there
        assert message(app) == saved
        await pilot.press("escape", "l")  # a final status without a reason: refused, and says so
        assert message(app).startswith("Closed-lost is a final status: choose a reason first")
        await pilot.press("n")
        assert message(app) == ""  # the warning went with the next key
