"""The panels around the queue: thread, classification, decision draft and reason counts.

Each panel is a plain widget that the screen updates with `show(...)` (attributes down); only the
panels whose content changed are repainted. Every piece of email text goes through
`triage.sanitise.as_text`, so markup and escape sequences show literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
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
    """A panel showing one Rich Text through the Line API: the text is wrapped into strips once
    when it changes; `set_text` repaints only this widget (its size comes from the stylesheet,
    so no screen layout), only the lines that changed, and nothing at all when the text did
    not change."""

    DEFAULT_CSS = "TextPanel { height: 1; }"
    #: cut each line with an ellipsis instead of wrapping it
    no_wrap = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._strips: list[Strip] = []
        self._width = -1

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
        width = self.content_region.width
        if width <= 0 or width != self._width:
            self._width = -1
            self.refresh()
            return
        old, self._strips = self._strips, self._wrap(width)
        # a decision changes a few lines of a panel (counts, the draft): repaint just those
        self.refresh(*(Region(0, y, width, n) for y, n in changed_lines(old, self._strips)))

    def _wrap(self, width: int) -> list[Strip]:
        console = self.app.console
        if width <= 0:
            lines = []
        elif self.no_wrap:
            lines = self._text.split("\n")
            for line in lines:
                line.truncate(width, overflow="ellipsis")
        else:
            lines = self._text.wrap(console, width)
        return [Strip(list(line.render(console)), line.cell_len) for line in lines]

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        if width != self._width:
            self._width = width
            self._strips = self._wrap(width)
        base = self.base_style
        if y >= len(self._strips):
            return Strip.blank(width, base)
        return self._strips[y].crop_extend(0, width, None).apply_style(base)


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
        self._lines: list[Strip] = []
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
        the view is at the top and as wide as before) or the whole view."""
        self._text = self._render_thread()
        old_width = self._width
        old = self._lines[: self.size.height]
        width = self._width = self.scrollable_content_region.width
        if width <= 0:
            self._lines = []
        else:
            console = self.app.console
            self._lines = [
                Strip(list(line.render(console)), line.cell_len)
                for line in self._text.wrap(console, width, no_wrap=False)
            ]
        set_virtual_height(self, len(self._lines))
        if only_changed and width == old_width and width > 0:
            new = self._lines[: self.size.height]
            self.refresh(*(Region(0, y, width, n) for y, n in changed_lines(old, new)))
        else:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.base_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        return self._lines[index].adjust_cell_length(width).apply_style(base)

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


class ClassificationPanel(TextPanel):
    """Reply class, confidence, suggested status and reason, evidence phrase, revisit date."""

    no_wrap = True

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.taxonomy = taxonomy
        self.lang = lang

    def show(self, draft: Draft | None, row: Any | None) -> None:
        tx, lang = self.taxonomy, self.lang
        if draft is None or row is None:
            self.set_text("")
            return
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
        self.set_text(out)


class DecisionPanel(TextPanel):
    """What Enter would save now (status; reason › sub-reason + secondary; note; revisit), the
    clarifying question when the primary is Unknown, or the sub-reason picker while it is open."""

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.taxonomy = taxonomy
        self.lang = lang

    def show(self, draft: Draft | None, empty: str = "") -> None:
        tx, lang = self.taxonomy, self.lang
        if draft is None:
            self.set_text(Text(empty, style="bold") if empty else "")
            return
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
        self.set_text(out)

    def show_picker(self, title: str, options: Sequence[str], index: int) -> None:
        """The sub-reason picker, drawn in this panel (no screen switch, no focus change); the
        options scroll when the panel is too short for all of them."""
        width = max(self.content_region.width, 1)
        title_lines = -(-cell_len(title) // width)
        rows = max(1, (self.content_region.height or 5) - title_lines)
        out = Text()
        out.append(title + "\n", style="bold reverse")
        top = max(0, min(index - rows + 1, len(options) - rows)) if index >= rows else 0
        for i, label in enumerate(options[top : top + rows], start=top):
            mark = "▶ " if i == index else "  "
            out.append(mark + label + ("\n" if i < top + rows - 1 else ""),
                       style="bold reverse" if i == index else "")
        self.set_text(out)


class CountsPanel(TextPanel):
    """Running reason counts (session, today, week; primary and secondary) and the pace."""

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.taxonomy = taxonomy
        self.lang = lang
        self._last: Text | None = None
        self._snapshot: Any | None = None
        self._remaining: int | None = 0

    def on_resize(self) -> None:
        self.show(self._snapshot, self._remaining)

    def set_remaining(self, remaining: int | None) -> None:
        self.show(self._snapshot, remaining)

    def show(self, snapshot: Any | None, remaining: int | None) -> None:
        """`remaining` is None while the queue is being counted (shown as "…")."""
        self._snapshot, self._remaining = snapshot, remaining
        text = self._render_counts(snapshot, remaining)
        if self._last is not None and text.plain == self._last.plain:
            return  # nothing changed: no repaint
        self._last = text
        self.set_text(text)

    def _render_counts(self, snap: Any | None, remaining: int | None) -> Text:
        """`snap` is a triage.session_stats.StatsSnapshot (None until the first one arrives)."""
        tx, lang = self.taxonomy, self.lang
        out = Text()
        out.append(f"{tr('remaining', lang)}: ", style="bold")
        out.append(f"{'…' if remaining is None else remaining}\n")
        if snap is None:
            return out
        windows = [snap.session, snap.today, snap.week]
        width = self.content_size.width or 40
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

