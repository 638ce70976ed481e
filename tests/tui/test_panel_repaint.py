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
