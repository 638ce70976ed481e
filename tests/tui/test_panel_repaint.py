"""Panels repaint only the lines that changed (and every line that did)."""

from textual.strip import Strip

from triage.tui.widgets.panels import changed_lines


def strips(*texts: str) -> list[Strip]:
    from rich.segment import Segment

    return [Strip([Segment(t)], len(t)) for t in texts]


def test_same_lines_repaint_nothing() -> None:
    assert changed_lines(strips("a", "b"), strips("a", "b")) == []


def test_changed_lines_grouped_in_runs() -> None:
    old = strips("a", "b", "c", "d", "e")
    new = strips("a", "B", "C", "d", "E")
    assert changed_lines(old, new) == [(1, 2), (4, 1)]


def test_shorter_and_longer_texts_repaint_the_tail() -> None:
    assert changed_lines(strips("a", "b", "c"), strips("a")) == [(1, 2)]
    assert changed_lines(strips("a"), strips("a", "b", "c")) == [(1, 2)]
    assert changed_lines([], strips("x")) == [(0, 1)]


async def test_partial_repaints_leave_the_screen_as_a_full_repaint_draws_it(make) -> None:
    """After decisions, the picker, a note and undo (each repainting only the lines that
    changed), the screen is the same as when every widget is repainted from scratch."""
    from tests.tui.conftest import SIZE

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        for keys in (["n", "escape", "l"], ["enter"], ["t"], ["down"], ["escape"], ["g"],
                     ["z"], ["j", "j"], ["enter"], ["k"]):
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            partial = app.export_screenshot()
            for widget in app.screen.walk_children(with_self=True):
                widget.refresh()
            await pilot.pause()
            assert app.export_screenshot() == partial, keys


async def test_side_panel_redraws_its_boxes_on_resize_and_theme_change(make) -> None:
    """The side panel draws its three boxes itself: a narrower terminal re-wraps them, a new
    theme recolours them, both exactly as a repaint from scratch draws them."""
    from tests.tui.conftest import SIZE
    from triage.tui.widgets.panels import SidePanel

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        side = app.screen.query_one(SidePanel)
        wide = side.render_line(1).text
        dark_border = next(iter(side.render_line(0))).style
        await pilot.press("t")  # the picker is open in the decision box
        for change in ("resize", "theme"):
            if change == "resize":
                await pilot.resize_terminal(80, 24)
            else:
                app.theme = "textual-light"
            await pilot.pause()
            shown = app.export_screenshot()
            for widget in app.screen.walk_children(with_self=True):
                widget.refresh()
            await pilot.pause()
            assert app.export_screenshot() == shown, change
        assert len(side.render_line(1).text) < len(wide)
        assert next(iter(side.render_line(0))).style != dark_border  # recoloured
        assert side.render_line(0).text.startswith("╭─ Classification ─")
        assert "Sub-reason for Timing" in side.text("decision").plain


async def test_one_line_bars_cut_long_text_with_an_ellipsis(make) -> None:
    """The title and message bars are one line: a long message ends with "…", not mid-word
    with the rest silently lost."""
    from tests.tui.conftest import SIZE

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one("#message")
        bar.set_text("error: " + "very long explanation " * 20)
        await pilot.pause()
        line = bar.render_line(0).text
        assert line.rstrip().endswith("…") and len(line) == bar.content_region.width
        assert bar.render_line(1).text.strip() == ""
