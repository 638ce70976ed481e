"""The panels around the queue: thread, classification, decision draft and reason counts.

Each panel is a plain widget that the screen updates with `show(...)` (attributes down); only the
panels whose content changed are repainted. Every piece of email text goes through
`triage.sanitise.as_text`, so markup and escape sequences show literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from triage.sanitise import as_text, one_line, plain
from triage.taxonomy import Taxonomy
from triage.tui.draft import Draft
from triage.tui.i18n import tr
from triage.tui.widgets.queue_list import set_virtual_height


def changed_lines(old: Sequence[Strip], new: Sequence[Strip]) -> list[tuple[int, int]]:
    """(first line, line count) runs where `new` differs from `old` (a missing line = blank)."""
    runs: list[tuple[int, int]] = []
    start = -1
    for y in range(max(len(old), len(new)) + 1):
        same = y >= len(old) and y >= len(new) or (
            y < len(old) and y < len(new) and old[y] == new[y]
        )
        if not same and start < 0:
            start = y
        elif same and start >= 0:
            runs.append((start, y - start))
            start = -1
    return runs


class BaseStyle:
    """The widget's own Rich style, computed once per style update instead of once per line
    (`Widget.rich_style` walks every ancestor). Style updates of the widget or an ancestor
    (theme, pseudo-classes) call `notify_style_update` on it, which forgets the cached one."""

    _base_style: Style | None = None

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style  # type: ignore[attr-defined]
        return self._base_style

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()  # type: ignore[misc]


class TextPanel(BaseStyle, Widget):
    """One line of Rich Text (the title bar, the message line) through the Line API, cut with
    an ellipsis when it is too long. `set_text` repaints this widget only (its size comes from
    the stylesheet, so no screen layout), and nothing at all when the text did not change."""

    DEFAULT_CSS = "TextPanel { height: 1; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._strip: Strip | None = None

    @property
    def text(self) -> Text:
        return self._text

    def render(self) -> Text:  # str(widget.render()) in tests; drawing uses render_line
        return self._text

    def set_text(self, text: Text | str) -> None:
        if isinstance(text, str):
            text = Text(text)
        if text.plain == self._text.plain and text.spans == self._text.spans:
            return
        self._text = text
        self._strip = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self.base_style
        if y > 0 or width <= 0:
            return Strip.blank(width, base)
        if self._strip is None or self._strip.cell_length != width:
            line = self._text.split("\n")[0] if self._text.plain else Text()
            line.truncate(width, overflow="ellipsis", pad=True)
            console = self.app.console
            self._strip = Strip(list(line.render(console)), width)
        return self._strip.apply_style(base)


class ThreadView(BaseStyle, ScrollView, can_focus=False):
    """The thread, newest message first; quoted history and signatures collapsed.

    Line API: the thread is wrapped once per lead and drawn line by line, so showing the next
    lead repaints this widget only (no screen layout)."""

    DEFAULT_CSS = "ThreadView { overflow-x: hidden; }"

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.expanded = False
        self._messages: Sequence[Any] = ()
        self._text = Text()
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._width = 0

    @property
    def text(self) -> Text:
        """The whole thread as shown (for tests)."""
        return self._text

    def show(self, messages: Sequence[Any] | None) -> None:
        self._messages = messages or ()
        self._rebuild(only_changed=self.scroll_offset.y == 0)
        self.scroll_to(0, 0, animate=False, immediate=True)

    def toggle(self) -> None:
        self.expanded = not self.expanded
        self._rebuild()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def _rebuild(self, only_changed: bool = False) -> None:
        """Wrap the thread again; repaint the lines on screen that changed (`only_changed`, when
        the view is at the top and as wide as before) or the whole view. Lines are turned into
        strips when first drawn: a long thread costs only the lines that are looked at."""
        self._text = self._render_thread()
        old_width = self._width
        height = self.size.height
        old = [self._strip(i) for i in range(min(height, len(self._lines)))]
        width = self._width = self.scrollable_content_region.width
        self._strips = {}
        if width <= 0:
            self._lines = []
        else:
            self._lines = list(self._text.wrap(self.app.console, width, no_wrap=False))
        set_virtual_height(self, len(self._lines))
        if only_changed and width == old_width and width > 0:
            new = [self._strip(i) for i in range(min(height, len(self._lines)))]
            self.refresh(*(Region(0, y, width, n) for y, n in changed_lines(old, new)))
        else:
            self.refresh()

    def _strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            strip = self._strips[index] = Strip(list(line.render(self.app.console)), line.cell_len)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.base_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        return self._strip(index).adjust_cell_length(width).apply_style(base)

    def _render_thread(self) -> Text:
        """`triage.thread.ThreadMessage`s, newest first, as one literal Text."""
        out = Text()
        lang = self.lang
        for i, m in enumerate(self._messages):
            if i:
                out.append("\n")
            inbound = m.direction == "in"
            out.append(f" {tr('inbound' if inbound else 'outbound', lang)} ",
                       style="bold reverse" if inbound else "bold dim reverse")
            out.append(" ")
            out.append_text(as_text(" ".join(m.header.split()), "bold" if inbound else "dim"))
            out.append("\n")
            out.append_text(as_text(m.new_text.rstrip("\n"), "" if inbound else "dim"))
            out.append("\n")
            for part, key in ((m.signature, "signature_hidden"), (m.quoted, "quoted_hidden")):
                if not part.strip():
                    continue
                if self.expanded:
                    out.append_text(as_text(part.rstrip("\n"), "dim"))
                    out.append("\n")
                else:
                    n = len(part.strip().splitlines())
                    lines = tr("line" if n == 1 else "lines", lang)
                    out.append(tr(key, lang, n=n, lines=lines) + "\n", style="dim italic")
        return out


def classification_text(tx: Taxonomy, lang: str, draft: Draft | None, row: Any | None) -> Text:
    """Reply class, confidence, suggested status and reason, evidence phrase, revisit date."""
    if draft is None or row is None:
        return Text()
    s = draft.suggestion
    out = Text()
    out.append_text(as_text(plain(row.name or row.email or "?"), "bold"))
    if row.company:
        out.append(" · ")
        out.append_text(as_text(row.company))
    out.append("\n")
    segment = " · ".join(
        plain(str(v)) for v in (row.channel, row.persona, row.industry, row.company_size) if v
    )
    if segment:
        out.append(segment + "\n", style="dim")
    detail = getattr(row, "detail", "")
    if detail:  # the priority as its sum: "2.61 = intent 1.50 + fit 0.40 + recency 0.71"
        out.append(one_line(detail) + "\n", style="dim")
    cls = tx.reply_class(s.reply_class).label.get(lang) if s.reply_class else tr("none", lang)
    out.append(cls, style="bold")
    if s.confidence is not None:
        out.append(f" {s.confidence:.0%}", style="dim")
    out.append(f" → {tx.status_label(s.status, lang)}")
    if s.reason:
        out.append(" / " + tx.reason_label(s.reason, lang))
    out.append("\n")
    if s.evidence:
        out.append_text(as_text(f"“{one_line(s.evidence[0], 120)}”", "italic"))
        out.append("\n")
    if s.revisit_on:
        out.append(f"{tr('revisit_on', lang)}: ", style="bold")
        out.append(s.revisit_on.isoformat() + "\n")
    return out


def decision_text(tx: Taxonomy, lang: str, draft: Draft | None, empty: str = "") -> Text:
    """What Enter would save now (status; reason › sub-reason + secondary; note; revisit) and
    the clarifying question when the primary is Unknown."""
    if draft is None:
        return Text(empty, style="bold") if empty else Text()
    out = Text()
    out.append(f"{tr('status', lang)}: ", style="bold")
    out.append(tx.status_label(draft.eff_status, lang), "bold" if draft.status else "")
    out.append("\n")
    primary = draft.eff_primary
    out.append(f"{tr('primary', lang)}: ", style="bold")
    out.append(tx.reason_label(primary, lang), "bold" if draft.touched_reason else "")
    sub = draft.eff_sub_reason
    if primary and tx.has_reason(primary) and sub:
        sr = tx.reason(primary).sub_reason(sub)
        out.append(f" › {sr.label.get(lang) if sr else sub}")
    if draft.eff_secondary:
        out.append(f"  + {tx.reason_label(draft.eff_secondary, lang)}",
                   "bold" if draft.secondary else "")
    out.append("\n")
    extra = []
    if draft.note:
        extra.append(f"{tr('note', lang)}: {draft.note}")
    if draft.eff_revisit:
        extra.append(f"{tr('revisit_on', lang)}: {draft.eff_revisit.isoformat()}")
    out.append_text(as_text(" · ".join(extra)))
    out.append("\n")
    if primary == "unknown":
        out.append(tr("unknown_question", lang), style="bold reverse")
    return out


def picker_text(title: str, options: Sequence[str], index: int, width: int, height: int) -> Text:
    """The sub-reason picker in a `width` x `height` box; the options scroll when the box is
    too short for all of them."""
    width = max(width, 1)
    title_lines = -(-cell_len(title) // width)
    rows = max(1, (height or 5) - title_lines)
    out = Text()
    out.append(title + "\n", style="bold reverse")
    top = max(0, min(index - rows + 1, len(options) - rows)) if index >= rows else 0
    for i, label in enumerate(options[top : top + rows], start=top):
        mark = "▶ " if i == index else "  "
        out.append(mark + label + ("\n" if i < top + rows - 1 else ""),
                   style="bold reverse" if i == index else "")
    return out


def counts_text(
    tx: Taxonomy, lang: str, snap: Any | None, remaining: int | None, width: int
) -> Text:
    """Running reason counts (session, today, week; primary and secondary) and the pace.
    `snap` is a triage.session_stats.StatsSnapshot (None until the first one arrives)."""
    out = Text()
    out.append(f"{tr('remaining', lang)}: ", style="bold")
    out.append(f"{'…' if remaining is None else remaining}\n")  # None: being counted
    if snap is None:
        return out
    windows = [snap.session, snap.today, snap.week]
    width = width or 40
    col = 8 if width >= 36 else 7
    label_w = max(6, min(15, width - 3 * col))
    out.append(" " * label_w)
    for w in ("session", "today", "week"):
        word = tr(w, lang)
        word = word if len(word) < col else tr(f"{w}_short", lang)
        out.append(f"{word:>{col}}", style="bold")
    out.append("\n")
    for r in tx.reasons:
        cells = [(win.primary.get(r.id, 0), win.secondary.get(r.id, 0)) for win in windows]
        if not any(p or s for p, s in cells):
            continue
        style = "bold" if r.id == "unknown" else ""
        out.append(set_cell_size(r.label.get(lang), label_w), style=style)
        for p, s in cells:
            out.append(f"{p:>{col - 3}}" + (f"+{s:<2}" if s else "   "), style=style)
        out.append("\n")
    out.append(f"{tr('decisions', lang)}: ", style="bold")
    out.append(" / ".join(str(win.total) for win in windows) + "\n")
    share = snap.session.unknown_share
    out.append(f"{tr('unknown_share', lang)}: ", style="bold")
    out.append(
        f"{share:.0%} ({snap.week.unknown_share:.0%} {tr('week', lang)})\n",
        style="bold reverse" if share > 0.2 else "",
    )
    rate = snap.decisions_per_hour
    out.append(f"{tr('per_hour', lang)}: ", style="bold")
    out.append(f"{rate:.0f}\n" if rate is not None else "—\n")
    out.append("(+n = " + tr("secondary", lang).lower() + ")", style="dim")
    return out


#: the side panel's boxes, top to bottom, with their outer heights (None = the rest)
SECTIONS: tuple[tuple[str, int | None], ...] = (
    ("classification", 8), ("decision", 7), ("counts", None),
)


class SidePanel(BaseStyle, Widget):
    """The classification, the decision draft (or the sub-reason picker) and the reason counts:
    three boxes drawn by one Line-API widget.

    One widget instead of three bordered panels in a container: every frame after a decision
    repaints the whole side, and Textual's per-widget cost of a frame (styles, borders, clips)
    is paid once instead of four times. Each box's lines are built when its text changes;
    only the lines that changed are repainted."""

    COMPONENT_CLASSES = {"side-panel--border", "side-panel--title"}
    DEFAULT_CSS = """
    SidePanel > .side-panel--border { color: $primary-darken-2; }
    SidePanel > .side-panel--title { color: $text-accent; }
    """

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.taxonomy = taxonomy
        self.lang = lang
        self.titles = {name: tr(name, lang) for name, _ in SECTIONS}
        self._texts: dict[str, Text] = {name: Text() for name, _ in SECTIONS}
        self._counts: tuple[Any | None, int | None] = (None, 0)
        self._lines: list[Strip] = []
        self._drawn_for = (-1, -1)
        self._styles: dict[str, Style] = {}
        #: drawn box lines by (text line, styles, width): most survive a decision
        self._row_strips: dict[object, Strip] = {}

    # -- what the screen calls ---------------------------------------------------------------
    def text(self, section: str) -> Text:
        """A box's text as shown (tests, and `str()` for a quick look)."""
        return self._texts[section]

    def show_classification(self, draft: Draft | None, row: Any | None) -> None:
        self._set("classification", classification_text(self.taxonomy, self.lang, draft, row))

    def show_decision(self, draft: Draft | None, empty: str = "") -> None:
        self._set("decision", decision_text(self.taxonomy, self.lang, draft, empty))

    def show_picker(self, title: str, options: Sequence[str], index: int) -> None:
        """The sub-reason picker, drawn in the decision box (no screen switch, no focus
        change)."""
        _y, height = self._box("decision")
        text = picker_text(title, options, index, self.inner_width, height - 2)
        self._set("decision", text)

    def show_remaining(self, remaining: int | None) -> None:
        self.show_counts(self._counts[0], remaining)

    def show_counts(self, snapshot: Any | None, remaining: int | None) -> None:
        """`remaining` is None while the queue is being counted (shown as "…")."""
        self._counts = (snapshot, remaining)
        self._set("counts", counts_text(self.taxonomy, self.lang, snapshot, remaining,
                                        self.inner_width))  # same counts: no repaint (_set)

    # -- geometry ------------------------------------------------------------------------------
    @property
    def inner_width(self) -> int:
        """Width of a box's text: inside its border and one column of padding each side."""
        return max(self.content_region.width - 4, 0)

    def _box(self, section: str) -> tuple[int, int]:
        """(first line, outer height) of a box; the last box takes the rest."""
        y, height = 0, self.content_region.height
        for name, rows in SECTIONS:
            h = rows if rows is not None else max(height - y, 0)
            h = min(h, max(height - y, 0))
            if name == section:
                return y, h
            y += h
        raise KeyError(section)

    # -- drawing ---------------------------------------------------------------------------------
    def _set(self, section: str, text: Text) -> None:
        old = self._texts[section]
        if text.plain == old.plain and text.spans == old.spans:
            return
        self._texts[section] = text
        size = (self.content_region.width, self.content_region.height)
        if size != self._drawn_for or size[0] <= 0:
            self._drawn_for = (-1, -1)
            self.refresh()
            return
        y, height = self._box(section)
        new = self._draw_box(section, height)
        before = self._lines[y : y + height]
        self._lines[y : y + height] = new
        width = size[0]
        self.refresh(*(Region(0, y + dy, width, n) for dy, n in changed_lines(before, new)))

    def _draw_all(self) -> None:
        self._drawn_for = (self.content_region.width, self.content_region.height)
        lines: list[Strip] = []
        for name, _rows in SECTIONS:
            lines.extend(self._draw_box(name, self._box(name)[1]))
        self._lines = lines

    def _draw_box(self, section: str, height: int) -> list[Strip]:
        """The box's lines: a rounded border titled like Textual's, the text inside with one
        column of padding, cut with an ellipsis (classification) or wrapped. A text line
        already drawn (same text, styles and width) is reused: a decision changes a few lines
        of each box."""
        width = self.content_region.width
        st = self._box_styles()
        if height <= 0 or width < 4:
            return [Strip.blank(width, st["blank"])] * max(height, 0)
        inner = width - 4
        label = self.titles[section]
        title = set_cell_size(f" {label} ", min(cell_len(label) + 2, width - 4))
        lines = [Strip([Segment("╭─", st["border"]), Segment(title, st["title"]),
                        Segment("─" * (width - 3 - cell_len(title)) + "╮", st["border"])], width)]
        rows = self._rows(self._texts[section], inner, cut=section == "classification")
        for i in range(height - 2):
            lines.append(self._boxed(rows[i] if i < len(rows) else None, inner, width, st))
        if height >= 2:
            lines.append(Strip([Segment("╰" + "─" * (width - 2) + "╯", st["border"])], width))
        return lines

    def _rows(self, text: Text, inner: int, cut: bool) -> list[Text]:
        """The text's lines at `inner` cells: cut with an ellipsis, or wrapped (a line that
        fits is not handed to the wrapper)."""
        rows: list[Text] = []
        for line in text.split("\n", allow_blank=not cut):
            if cut:
                line.truncate(inner, overflow="ellipsis")
                rows.append(line)
            elif line.cell_len <= inner:
                rows.append(line)
            else:
                rows.extend(line.wrap(self.app.console, inner))
        return rows

    def _boxed(self, row: Text | None, inner: int, width: int, st: dict[str, Style]) -> Strip:
        """One line inside a box: border, padding, the text line, padding, border."""
        key = (row.plain, tuple(row.spans), str(row.style), inner) if row is not None else inner
        hit = self._row_strips.get(key)
        if hit is not None:
            return hit
        base = st["base"]
        if row is None:
            body = Strip.blank(inner, base)
        else:
            body = Strip(list(row.render(self.app.console)), row.cell_len)
            body = body.crop_extend(0, inner, None).apply_style(base)
        side, pad = Segment("│", st["border"]), Segment(" ", st["blank"])
        strip = Strip([side, pad, *body, pad, side], width)
        if len(self._row_strips) > 256:
            self._row_strips.clear()
        self._row_strips[key] = strip
        return strip

    def _box_styles(self) -> dict[str, Style]:
        """The styles of the boxes, computed once per style update (component styles walk
        the widget's ancestors)."""
        if not self._styles:
            base = self.base_style
            self._styles = {
                "base": base,
                "blank": Style(bgcolor=base.bgcolor),  # padding: the background only, as Textual
                "border": base + self.get_component_rich_style("side-panel--border", partial=True),
                "title": base + self.get_component_rich_style("side-panel--title", partial=True),
            }
        return self._styles

    def on_resize(self) -> None:
        snapshot, remaining = self._counts
        self._texts["counts"] = counts_text(
            self.taxonomy, self.lang, snapshot, remaining, self.inner_width
        )
        self._drawn_for = (-1, -1)
        self.refresh()

    def notify_style_update(self) -> None:
        # colours changed (theme): draw the boxes again
        self._drawn_for = (-1, -1)
        self._styles = {}
        self._row_strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        if (self.content_region.width, self.content_region.height) != self._drawn_for:
            self._draw_all()
        if y >= len(self._lines):
            return Strip.blank(self._drawn_for[0], self.base_style)
        return self._lines[y]

    def render(self) -> Text:  # str(widget.render()) for a quick look; drawing uses render_line
        return Text("\n").join(self._texts[name] for name, _ in SECTIONS)
