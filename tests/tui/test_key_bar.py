"""The key bar: the Footer's content (shown bindings, disabled ones dimmed, the palette key)
drawn by one widget; it follows binding changes and a click presses the key."""

from __future__ import annotations

from tests.tui.conftest import SIZE
from triage.tui.widgets.key_bar import KeyBar


def shown(app) -> list[tuple[str, str, bool]]:  # noqa: ANN001
    return [(i.display, i.description, i.enabled) for i in app.screen.query_one(KeyBar).items]


async def test_shows_the_screens_keys_in_order_with_undo_disabled_until_a_decision(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        assert [d for d, _, _ in shown(app)] == ["⏎", "j/↓", "k/↑", "a", "v", "z", "s", "h"]
        assert ("z", "Undo", False) in shown(app)
        line = app.screen.query_one(KeyBar).render_line(0).text
        assert line.startswith(" ⏎ Accept  j/↓ Next ") and line.rstrip().endswith("^p palette")
        await pilot.press("enter")  # a decision: undo becomes possible
        await pilot.pause()
        assert ("z", "Undo", True) in shown(app)
        await pilot.press("z")
        await pilot.pause()
        assert ("z", "Undo", False) in shown(app)


async def test_french_labels(make) -> None:
    app = make("fr")
    async with app.run_test(size=SIZE):
        assert ("z", "Annuler", False) in shown(app)


async def test_a_click_on_a_key_presses_it(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        x = bar.render_line(0).text.index("Help")
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        x = bar.render_line(0).text.index("palette")
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_a_narrow_terminal_cuts_keys_but_keeps_the_palette_key(make) -> None:
    app = make()
    async with app.run_test(size=(60, 24)):
        line = app.screen.query_one(KeyBar).render_line(0).text
        assert len(line) == 60 and line.rstrip().endswith("^p palette")
        assert "Help" not in line  # cut, not wrapped onto the screen
