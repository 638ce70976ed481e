"""The queue screen's key bar: Textual's Footer drawn as one Line-API widget.

Textual's `Footer` mounts one `FooterKey` widget per shown binding (nine on the queue screen) and
recomposes them whenever the bindings change. Each is a node that every frame, every style pass
and every message round visits; on the screen where a rep presses two keys a second this was
about 15 % of the CPU per decision. `KeyBar` shows the same thing — the screen's active bindings
with `show=True`, key and description, disabled ones dimmed, the command palette key at the
right — in the Footer's colours, as a single widget. A click on a key presses it.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class Item(NamedTuple):
    key: str  # the key to simulate on a click
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """One line: `⏎ Accept  j/↓ Next …` and `▏^p palette` at the right (like the Footer)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._items: list[Item] = []
        self._palette: Item | None = None
        self._spans: list[tuple[int, int, str]] = []  # (x from, x to, key) for clicks
        self._strip: Strip | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        items: list[Item] = []
        seen: set[str] = set()
        palette = None
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                palette = Item(key, self.app.get_key_display(binding), binding.description,
                               active.enabled)
                continue
            if not binding.show or binding.action in seen:
                continue  # one entry per action, as the Footer groups them
            seen.add(binding.action)
            items.append(Item(key, self.app.get_key_display(binding), binding.description,
                              active.enabled))
        if items != self._items or palette != self._palette:
            self._items, self._palette = items, palette
            self._strip = None
            self.refresh()

    @property
    def items(self) -> list[Item]:
        """The keys shown, left to right (the palette key is `palette`)."""
        return list(self._items)

    def notify_style_update(self) -> None:
        self._strip = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y > 0:
            return Strip.blank(width, base)
        if self._strip is None or self._strip.cell_length != width:
            self._strip = self._draw(width, base)
        return self._strip

    def _draw(self, width: int, base: Style) -> Strip:
        key_style = base + self.get_component_rich_style("key-bar--key", partial=True)
        desc_style = base + self.get_component_rich_style("key-bar--description", partial=True)
        dim = Style(dim=True)
        right: list[Segment] = []
        spans: list[tuple[int, int, str]] = []
        fill = Style(bgcolor=base.bgcolor)  # blank cells: the background only, as the Footer
        if self._palette is not None:  # laid out as the Footer's (compact) palette key
            p = self._palette
            sep = self.get_component_rich_style("key-bar--separator")
            right = [Segment("▏", sep), Segment(p.display, key_style),
                     Segment(f" {p.description}", desc_style), Segment(" ", fill)]
        right_len = sum(cell_len(s.text) for s in right)
        room = max(width - right_len, 0)
        left: list[Segment] = []
        x = 0
        for item in self._items:
            if x >= room:
                break
            key_text, desc_text = f" {item.display} ", f"{item.description} "
            extra = Style() if item.enabled else dim
            left += [Segment(key_text, key_style + extra), Segment(desc_text, desc_style + extra)]
            size = cell_len(key_text) + cell_len(desc_text)
            spans.append((x, min(x + size, room), item.key))
            x += size
        if self._palette is not None and right_len <= width:
            spans.append((room, width, self._palette.key))
        self._spans = spans
        # keys that do not fit are cut at the palette key, as the Footer clips them
        keys = Strip(left).crop_extend(0, room, fill)
        return Strip([*keys, *right], width).crop_extend(0, width, fill)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
