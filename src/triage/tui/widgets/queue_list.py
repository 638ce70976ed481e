"""The queue list: a Line-API widget that draws only the visible rows, paged from SQLite.

It never holds the whole queue: rows come in pages of PAGE rows from a `fetch(offset, limit)`
callable (the Queue), and only the lines on screen are rendered. Moving the cursor repaints two
lines, not the widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from triage.sanitise import one_line

PAGE = 40

Fetch = Callable[[int, int], Sequence[Any]]


def set_virtual_height(widget: ScrollView, height: int) -> None:
    """Change a Line-API widget's scrollable height without a screen layout pass.

    Assigning `virtual_size` asks for a layout of the whole screen (and then a full repaint);
    here only the scrollbar is updated, unless it has to appear or disappear. The caller
    repaints the content (all of it, or the lines that changed)."""
    size = Size(widget.scrollable_content_region.width, height)
    if size == widget.virtual_size:
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)  # scrollbar window; toggling its visibility does re-layout


class QueueList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of the queue: priority, who, and the priority's why (class, fit, age).

    The scrolling keys of ScrollView are not inherited: the arrows belong to the screen
    (next / previous lead, or the sub-reason picker), the page keys scroll the thread."""

    BINDINGS = [
        Binding("home", "edge(0)", "First", show=False, id="queue.first",
                tooltip="First lead in the queue"),
        Binding("end", "edge(1)", "Last", show=False, id="queue.last",
                tooltip="Last lead in the queue"),
    ]

    COMPONENT_CLASSES = {
        "queue-list--cursor",
        "queue-list--priority",
        "queue-list--why",
    }

    DEFAULT_CSS = """
    QueueList { height: 1fr; overflow-x: hidden; }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to `index` (row is None when the queue is empty)."""

        queue_list: QueueList
        index: int
        row: Any | None

        @property
        def control(self) -> QueueList:
            return self.queue_list

    @dataclass
    class Counted(Message):
        """The count, provisional until now (the rows known so far), was asked for because a
        move went past the known rows: `count` is the real one."""

        queue_list: QueueList
        count: int

        @property
        def control(self) -> QueueList:
            return self.queue_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch: Fetch | None = None
        self._count = 0
        self._count_later: Callable[[], int] | None = None
        self._pages: dict[int, Sequence[Any]] = {}
        self.cursor = 0
        #: lead id -> (row object, cursor?, width, strip): after a decision the rows shift by
        #: one line, each is drawn again from here (the queue hands back the same row object
        #: while the lead is unchanged; a re-read row is a new object)
        self._strips: dict[int, tuple[Any, bool, int, Strip]] = {}

    # -- data (attributes down: the screen sets the source) ------------------------------------

    def set_source(
        self,
        fetch: Fetch,
        count: int,
        cursor: int = 0,
        first_page: Sequence[Any] = (),
        count_later: Callable[[], int] | None = None,
    ) -> None:
        """Point the list at a new queue (after a filter or a decision) and place the cursor.
        With `count_later`, `count` is only the rows known so far (the first page): the real
        count comes with `set_count`, or from `count_later()` when a move goes past them."""
        self._fetch = fetch
        self._count = count
        self._count_later = count_later
        self._pages = {0: list(first_page)} if first_page else {}
        self.cursor = max(0, min(cursor, count - 1)) if count else 0
        set_virtual_height(self, count)
        self._keep_cursor_visible()
        self.refresh()

    @property
    def count(self) -> int:
        return self._count

    @property
    def count_known(self) -> bool:
        return self._count_later is None

    def set_count(self, count: int) -> None:
        """The real count of a source set with `count_later` (the rows already read stay)."""
        self._count_later = None
        self._count = count
        self.cursor = max(0, min(self.cursor, count - 1)) if count else 0
        set_virtual_height(self, count)
        self.refresh()

    def has_row(self, index: int) -> bool:
        """Whether the queue has a row at `index` (asks for the real count past the known
        rows)."""
        if index >= self._count and self._count_later is not None:
            self._complete_count()
        return 0 <= index < self._count

    def _complete_count(self) -> None:
        assert self._count_later is not None
        count = self._count_later()
        self.set_count(count)
        self.post_message(self.Counted(self, count))

    def row_at(self, index: int) -> Any | None:
        if index < 0 or index >= self._count or self._fetch is None:
            return None
        page, at = divmod(index, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            if len(self._pages) > 20:  # keep memory flat however far the rep scrolls
                self._pages.clear()
            rows = self._pages[page] = list(self._fetch(page * PAGE, PAGE))
        return rows[at] if at < len(rows) else None

    @property
    def current(self) -> Any | None:
        return self.row_at(self.cursor)

    # -- cursor --------------------------------------------------------------------------------

    def move_to(self, index: int, notify: bool = True) -> None:
        if index >= self._count and self._count_later is not None:
            self._complete_count()
        if not self._count:
            return
        index = max(0, min(index, self._count - 1))
        old, self.cursor = self.cursor, index
        self._refresh_index(old)
        self._refresh_index(index)
        self._keep_cursor_visible()
        if notify:
            self.post_message(self.Highlighted(self, index, self.current))

    def action_edge(self, end: int) -> None:
        if end and self._count_later is not None:
            self._complete_count()
        self.move_to(self._count - 1 if end else 0)

    def _keep_cursor_visible(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _refresh_index(self, index: int) -> None:
        y = index - round(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh_line(y)

    def on_click(self, event) -> None:  # noqa: ANN001 - textual event
        self.move_to(round(self.scroll_y) + event.y)

    def on_resize(self) -> None:
        set_virtual_height(self, self._count)  # the new width, without a second screen layout

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor
        hit = self._strips.get(row.lead_id)
        if hit is not None and hit[0] is row and hit[1] == cursor and hit[2] == width:
            return hit[3]
        if len(self._strips) > 4 * PAGE:
            self._strips.clear()
        strip = self._render_row(row, cursor, width)
        self._strips[row.lead_id] = (row, cursor, width, strip)
        return strip

    def _render_row(self, row: Any, cursor: bool, width: int) -> Strip:
        base = self.rich_style
        line_style = base + self.get_component_rich_style("queue-list--cursor") if cursor else base
        who = one_line(f"{row.name or row.email or '?'} · {row.company or ''}").rstrip(" ·")
        cells: list[tuple[str, int, Style | None]] = [
            (f"{row.priority:4.2f}", 5, self._style("queue-list--priority", cursor)),
            (who, max(16, min(30, width // 3)), None),
        ]
        segments = []
        used = 0
        for text, size, style in cells:
            size = min(size, max(0, width - used))
            if size <= 0:
                break
            segments.append(Segment(set_cell_size(text, size - 1) + " ", line_style + style if style else line_style))
            used += size
        rest = width - used
        if rest > 0:
            why = one_line(row.why or "")
            segments.append(
                Segment(set_cell_size(why, rest), line_style + self._style("queue-list--why", cursor))
            )
        return Strip(segments, width)

    def _style(self, component: str, cursor: bool) -> Style:
        style = self.get_component_rich_style(component)
        if cursor:  # the cursor's background wins over the column colours
            style = Style(color=style.color, bold=style.bold, italic=style.italic)
        return style
