"""The panels around the queue: thread, classification, decision draft and reason counts.

Each panel is a plain widget that the screen updates with `show(...)` (attributes down); only the
panels whose content changed are repainted. Every piece of email text goes through
`triage.sanitise.as_text`, so markup and escape sequences show literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import set_cell_size
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from triage.sanitise import as_text, one_line, plain
from triage.taxonomy import Taxonomy
from triage.tui.draft import Draft
from triage.tui.i18n import tr


def _label(text: str, style: str = "bold") -> Text:
    return Text(text, style=style)


class ThreadView(VerticalScroll, can_focus=False):
    """The thread, newest message first; quoted history and signatures collapsed."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.expanded = False
        self._messages: Sequence[Any] = ()
        self._body = Static(id="thread-body", markup=False)

    def compose(self):  # noqa: ANN201
        yield self._body

    def show(self, messages: Sequence[Any] | None) -> None:
        self._messages = messages or ()
        self._body.update(self._render_thread())
        self.scroll_home(animate=False, immediate=True)

    def toggle(self) -> None:
        self.expanded = not self.expanded
        self._body.update(self._render_thread())

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
                    out.append(tr(key, lang, n=n) + "\n", style="dim italic")
        return out


class ClassificationPanel(Static):
    """Reply class, confidence, suggested status and reason, evidence phrase, revisit date."""

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.taxonomy = taxonomy
        self.lang = lang

    def show(self, draft: Draft | None, row: Any | None) -> None:
        tx, lang = self.taxonomy, self.lang
        if draft is None or row is None:
            self.update("")
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
        self.update(out)


class DecisionPanel(Static):
    """What Enter would save now; the clarifying question when the primary is Unknown."""

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.taxonomy = taxonomy
        self.lang = lang

    def show(self, draft: Draft | None, hint: str = "") -> None:
        tx, lang = self.taxonomy, self.lang
        if draft is None:
            self.update(Text(hint, style="bold") if hint else "")
            return
        out = Text()
        rows = [
            ("status", tx.status_label(draft.eff_status, lang), draft.status is not None),
            ("primary", tx.reason_label(draft.eff_primary, lang), draft.touched_reason),
            ("secondary", tx.reason_label(draft.eff_secondary, lang), bool(draft.secondary)),
        ]
        primary = draft.eff_primary
        sub = draft.eff_sub_reason
        if primary and tx.has_reason(primary) and sub:
            sr = tx.reason(primary).sub_reason(sub)
            rows.append(("sub_reason", sr.label.get(lang) if sr else sub, draft.touched_reason))
        if draft.note:
            rows.append(("note", draft.note, True))
        if draft.eff_revisit:
            rows.append(("revisit_on", draft.eff_revisit.isoformat(), draft.revisit_on is not None))
        for key, value, mine in rows:
            out.append(f"{tr(key, lang)}: ", style="bold")
            out.append_text(as_text(value, "bold" if mine else ""))
            out.append("\n")
        if primary == "unknown":
            out.append(tr("unknown_question", lang) + "\n", style="bold reverse")
        if hint:
            out.append_text(as_text(hint, "bold"))
        self.update(out)


class CountsPanel(Static):
    """Running reason counts (session, today, week; primary and secondary) and the pace."""

    def __init__(self, taxonomy: Taxonomy, lang: str, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.taxonomy = taxonomy
        self.lang = lang
        self._last: Text | None = None
        self._snapshot: Any | None = None
        self._remaining = 0

    def on_resize(self) -> None:
        self.show(self._snapshot, self._remaining)

    def show(self, snapshot: Any | None, remaining: int) -> None:
        self._snapshot, self._remaining = snapshot, remaining
        text = self._render_counts(snapshot, remaining)
        if self._last is not None and text.plain == self._last.plain:
            return  # nothing changed: no repaint
        self._last = text
        self.update(text)

    def _render_counts(self, snap: Any | None, remaining: int) -> Text:
        """`snap` is a triage.session_stats.StatsSnapshot (None until the first one arrives)."""
        tx, lang = self.taxonomy, self.lang
        out = Text()
        out.append(f"{tr('remaining', lang)}: ", style="bold")
        out.append(f"{remaining}\n")
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
