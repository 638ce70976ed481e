"""The queue screen: queue list, thread, classification, decision draft and reason counts.

Keys come from taxonomy.yaml: a reason letter sets the primary reason, Shift+letter the
secondary, a status letter saves with that status, Enter accepts the suggestion. Each decision is
committed (store.record_decision returned) before the next lead is shown.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from triage.sanitise import one_line
from triage.store import DecisionError
from triage.tui.draft import Draft, suggest
from triage.tui.i18n import tr
from triage.tui.widgets.key_bar import KeyBar
from triage.tui.widgets.panels import SidePanel, TextPanel, ThreadView
from triage.tui.widgets.queue_list import PAGE, QueueList

if TYPE_CHECKING:
    from triage.tui.app import TriageApp


def static_bindings(lang: str) -> list[Binding]:
    """The app's own keys (reserved letters j k a v z s h, and non-letters)."""

    def b(keys: str, action: str, name: str, show: bool = True, key_display: str | None = None):
        return Binding(
            keys, action, tr(f"b_{name}", lang), show=show, id=f"queue.{name}",
            tooltip=tr(f"b_{name}_tip", lang), key_display=key_display,
        )

    return [
        b("enter", "accept", "accept", key_display="⏎"),
        b("j,down", "next", "next", key_display="j/↓"),
        b("k,up", "previous", "prev", key_display="k/↑"),
        b("a", "note", "note"),
        b("v", "revisit", "revisit"),
        b("z,ctrl+z", "undo", "undo"),
        b("s", "search", "search"),
        b("ctrl+f", "filter", "filter", show=False),
        b("ctrl+b", "bulk", "bulk", show=False),
        b("space", "toggle_quoted", "quoted", show=False),
        b("pagedown", "scroll_thread(1)", "thread_down", show=False, key_display="PgDn"),
        b("pageup", "scroll_thread(-1)", "thread_up", show=False, key_display="PgUp"),
        b("escape", "clear", "clear", show=False),
        b("h,f1", "help", "help"),
        b("f3", "report", "report", show=False),
        b("f4", "calibration", "calibration", show=False),
    ]


def taxonomy_bindings(taxonomy, lang: str) -> list[Binding]:  # noqa: ANN001
    """One binding per reason (primary), Shift+reason (secondary) and status letter."""
    out: list[Binding] = []
    for r in taxonomy.reasons:
        label = r.label.get(lang)
        out.append(Binding(
            r.key, f"primary('{r.id}')", label, show=False, id=f"reason.{r.id}",
            tooltip=tr("b_primary_tip", lang, label=label),
        ))
        out.append(Binding(
            f"{r.key.upper()},shift+{r.key}", f"secondary('{r.id}')", f"+{label}", show=False,
            id=f"secondary.{r.id}", tooltip=tr("b_secondary_tip", lang, label=label),
            key_display=r.key.upper(),
        ))
    for s in taxonomy.statuses:
        label = s.label.get(lang)
        out.append(Binding(
            s.key, f"status('{s.id}')", label, show=False, id=f"status.{s.id}",
            tooltip=tr("b_status_tip", lang, label=label),
        ))
    return out


class QueueScreen(Screen[None]):
    """The main screen. Widgets post messages up; this screen updates them (attributes down)."""

    app: TriageApp
    AUTO_FOCUS = "#queue"

    def __init__(self) -> None:
        super().__init__(id="queue-screen")
        app = self.app
        self.tx = app.taxonomy
        self.lang = app.settings.language
        for binding in Binding.make_bindings(
            static_bindings(self.lang) + taxonomy_bindings(self.tx, self.lang)
        ):
            self._bindings._add_binding(binding)
        self.filter = app.new_filter()
        self.draft: Draft | None = None
        self.row: Any | None = None
        self.undo_stack: list[list[int]] = []
        #: the open sub-reason picker: (lead id, reason id, [(sub id, label)], highlighted)
        self.picking: tuple[int, str, list[tuple[str, str]], int] | None = None
        self.session_decisions = 0
        self._confirmation = False  # the message line shows a confirmation (see _say)
        # the first query runs before any widget is built: the first lead shows at once; the
        # first page is a bounded top-N search, the whole queue is ranked in a worker after the
        # first paint (any use of the queue before that ranks it first, under the queue's
        # lock). On a big table the count waits for the ranking: "1/…" until then
        self.queue = app.new_queue(self.filter, rank=False)
        self._count: int | None
        self._count, self._first_page = self.queue.first_page(PAGE)

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # a grid on the screen, no containers: a frame after a decision repaints the widgets
        # that changed and the screen behind them, nothing else (see styles/triage.tcss)
        yield TextPanel(id="title")
        yield QueueList(id="queue")
        yield SidePanel(self.tx, self.lang, id="side")
        yield ThreadView(self.lang, id="thread")
        yield TextPanel(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        ql = self.query_one(QueueList)
        if self._count is None:
            ql.set_source(self.queue.page, len(self._first_page), 0, self._first_page,
                          count_later=self.queue.count)
        else:
            ql.set_source(self.queue.page, self._count, 0, self._first_page)
        self._show_current()
        self._update_title()
        self.query_one(SidePanel).show_counts(None, self._count)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.rank_queue()
        self.refresh_counts()
        self.warm_up_decisions()

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm_up_decisions(self) -> None:
        """Load pydantic and build the decision model while the rep reads the first lead: ~45 ms
        the first Enter would otherwise wait for (the first frame does not need them)."""
        from triage.store.decision_in import DecisionIn

        DecisionIn(lead_id=0, rep="warm-up", status="interested")

    @work(thread=True, exclusive=True, group="rank", exit_on_error=False)
    def rank_queue(self) -> None:
        """Rank the whole queue (the first page came from a top-N search); then show the
        count if it was left for now."""
        queue = self.queue
        queue.rank_now()
        if self._count is None:
            self.app.call_from_thread(self._ranked, queue)

    def _ranked(self, queue: Any) -> None:
        ql = self.query_one(QueueList)
        if queue is not self.queue or ql.count_known:
            return  # a reload since has set the count
        count = queue.count()
        ql.set_count(count)
        self._set_count(count)

    @on(QueueList.Counted, "#queue")
    def _counted(self, event: QueueList.Counted) -> None:
        self._set_count(event.count)

    def _set_count(self, count: int) -> None:
        self._count = count
        self._update_title()
        self.query_one(SidePanel).show_remaining(count)

    # -- showing a lead ----------------------------------------------------------------------
    @on(QueueList.Highlighted, "#queue")
    def _highlighted(self, event: QueueList.Highlighted) -> None:
        self._show_current()

    def _show_current(self, message: str = "", confirm: bool = False) -> None:
        """Load the lead under the cursor and update the panels that depend on it."""
        ql = self.query_one(QueueList)
        row = ql.current
        self.row = row
        self.picking = None
        if row is None:
            self.draft = None
            self.query_one(ThreadView).show(())
            side = self.query_one(SidePanel)
            side.show_classification(None, None)
            side.show_decision(None, tr("no_lead", self.lang) + "\n" + tr("no_lead_hint", self.lang))
        else:
            store = self.app.store
            lead = store.lead(row.lead_id) or {}
            classification = store.latest_classification(row.lead_id) if lead.get("last_inbound_pk") else None
            self.draft = Draft(
                lead_id=row.lead_id,
                suggestion=suggest(self.tx, lead, classification, row.reason_in_queue),
            )
            self.query_one(ThreadView).show(self.app.thread_of(row.lead_id))
            side = self.query_one(SidePanel)
            side.show_classification(self.draft, row)
            side.show_decision(self.draft)
        self._say(message, confirm)
        self.app.lead_shown(row)

    def _say(self, message: str, confirm: bool = False) -> None:
        """Show `message` on the message line. A confirmation ("Saved …", "Undone …") stays
        until another message replaces it; a hint or warning goes with the rep's next key."""
        if not message and self._confirmation:
            return
        self._confirmation = confirm
        self.query_one("#message", TextPanel).set_text(message)

    def _update_title(self) -> None:
        lang = self.lang
        parts = [f"triage · {one_line(self.app.settings.rep)}"]
        f = self.filter
        active = [
            one_line(str(v)) for v in (f.reply_class, f.channel, f.segment) if v
        ]
        if active:
            parts.append(f"{tr('filter_label', lang)}: {', '.join(active)}")
        if f.search:
            parts.append(f"{tr('search_label', lang)}: {one_line(f.search, 30)}")
        ql = self.query_one(QueueList)
        position = f"{ql.cursor + 1 if ql.count else 0}/{ql.count if ql.count_known else '…'}"
        parts.append(position)
        self.query_one("#title", TextPanel).set_text("  ·  ".join(parts))

    def _redraft(self, draft: Draft, hint: str = "") -> None:
        self.draft = draft
        if self.picking is None:
            self.query_one(SidePanel).show_decision(draft)
        self._say(hint)

    # -- the sub-reason picker (drawn in the decision panel: no screen switch) --------------------
    def _open_picker(self, reason_id: str) -> None:
        assert self.draft is not None
        reason = self.tx.reason(reason_id)
        options = [(s.id, s.label.get(self.lang)) for s in reason.sub_reasons]
        self.picking = (self.draft.lead_id, reason_id, options, 0)
        self._draw_picker()

    def _draw_picker(self) -> None:
        assert self.picking is not None
        _lead, reason_id, options, index = self.picking
        title = tr("sub_reason_title", self.lang, label=self.tx.reason_label(reason_id, self.lang))
        self.query_one(SidePanel).show_picker(title, [label for _, label in options], index)

    def _move_picker(self, step: int) -> None:
        assert self.picking is not None
        lead, reason_id, options, index = self.picking
        self.picking = (lead, reason_id, options, max(0, min(len(options) - 1, index + step)))
        self._draw_picker()

    def _close_picker(self, choose: bool) -> None:
        """Close the picker: with the highlighted sub-reason, or none (Esc, or another key)."""
        if self.picking is None:
            return
        lead, _reason, options, index = self.picking
        self.picking = None
        if self.draft is not None and self.draft.lead_id == lead:
            draft = self.draft.with_sub_reason(options[index][0]) if choose else self.draft
            hint = tr("unknown_question", self.lang) if draft.eff_primary == "unknown" else ""
            self._redraft(draft, hint)

    # -- queue refresh -------------------------------------------------------------------------
    def reload_queue(self, cursor: int = 0, new_filter: bool = False) -> None:
        """Re-read the queue (it keeps itself in step with the store) and place the cursor."""
        if new_filter:
            self.queue = self.app.new_queue(self.filter)
        count = self.queue.count()
        ql = self.query_one(QueueList)
        cursor = max(0, min(cursor, count - 1)) if count else 0
        ql.set_source(self.queue.page, count, cursor)
        self._count = count
        self._update_title()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def refresh_counts(self) -> None:
        """Recompute the side panel's counts in a thread; post the result to the UI."""
        snapshot = self.app.counts_snapshot()
        self.app.call_from_thread(self._show_counts, snapshot)

    def _show_counts(self, snapshot: Any) -> None:
        self.query_one(SidePanel).show_counts(snapshot, self._count)

    def update_counts(self) -> None:
        """After a decision: recount at once (one indexed read), painted in the same frame as
        the next lead instead of a second frame from a worker."""
        self._show_counts(self.app.counts_snapshot(self.app.store))

    # -- actions: decisions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_lead = {
            "accept", "primary", "secondary", "status", "note", "revisit", "next", "previous",
            "toggle_quoted", "clear", "scroll_thread",
        }
        if action in needs_lead and self.row is None:
            return None
        if action == "undo" and not self.undo_stack:
            return None
        return True

    def action_primary(self, reason_id: str) -> None:
        self._close_picker(False)
        if self.draft is None:
            return
        draft = self.draft.with_primary(reason_id)
        hint = tr("unknown_question", self.lang) if reason_id == "unknown" else ""
        self._redraft(draft, hint)
        if self.tx.reason(reason_id).sub_reasons:
            self._open_picker(reason_id)

    def action_secondary(self, reason_id: str) -> None:
        self._close_picker(False)
        if self.draft is None:
            return
        try:
            draft = self.draft.with_secondary(reason_id)
        except ValueError as exc:
            if str(exc) == "same":
                label = self.tx.reason_label(reason_id, self.lang)
                self._redraft(self.draft, tr("same_as_primary", self.lang, label=label))
            else:
                self._redraft(self.draft, tr("secondary_needs_primary", self.lang))
            return
        self._redraft(draft)

    def action_status(self, status_id: str) -> None:
        self._close_picker(False)
        self._save(status_id)

    def action_accept(self) -> None:
        if self.picking is not None:
            self._close_picker(True)
            return
        self._save(None)

    def action_clear(self) -> None:
        if self.picking is not None:
            self._close_picker(False)
            return
        if self.draft is not None:
            self._redraft(Draft(lead_id=self.draft.lead_id, suggestion=self.draft.suggestion))

    def _save(self, status_id: str | None) -> None:
        draft, row = self.draft, self.row
        if draft is None or row is None:
            return
        status = status_id or draft.eff_status
        if not status:
            self._redraft(draft, tr("help_statuses", self.lang))
            return
        st = self.tx.status(status)
        if st.requires_reason and not draft.eff_primary:
            # rule 4: a final status needs a reason; nothing is saved
            msg = tr("final_needs_reason", self.lang, status=st.label.get(self.lang))
            self._redraft(draft, msg)
            return
        try:
            decision = draft.decision(self.app.settings.rep, status)
            decision_id = self.app.store.record_decision(decision, at=self.app.clock())
        except (DecisionError, ValueError) as exc:
            self._redraft(draft, tr("error", self.lang, msg=str(exc)))
            return
        # committed: only now does the next lead show
        self.undo_stack.append([decision_id])
        self.session_decisions += 1
        reason = (" · " + self.tx.reason_label(decision.primary_reason, self.lang)
                  if decision.primary_reason else "")
        saved = tr("saved", self.lang, name=one_line(row.name or row.email or "?", 40),
                   status=st.label.get(self.lang), reason=reason)
        self._move_after(row.lead_id)
        self._show_current(saved.strip(), confirm=True)
        if len(self.undo_stack) == 1:
            self.refresh_bindings()
        self.update_counts()

    def _move_after(self, lead_id: int) -> None:
        """After a decision: the lead that followed the decided one (it left the queue)."""
        next_id = self.queue.next_after(lead_id)
        index = self.queue.index_of(next_id) if next_id is not None else None
        if index is None:
            index = self.queue.count() - 1
        self.reload_queue(index)

    def action_undo(self) -> None:
        self._close_picker(False)
        if not self.undo_stack:
            self._say(tr("nothing_to_undo", self.lang))
            return
        ids = self.undo_stack.pop()
        store = self.app.store
        lead_ids = []
        with store.write():
            for decision_id in reversed(ids):
                d = store.decision(decision_id)
                if d is not None and not store.is_undone(decision_id):
                    store.undo(decision_id, self.app.settings.rep, at=self.app.clock())
                    lead_ids.append(d["lead_id"])
        self.session_decisions -= len(lead_ids)
        # one decision: back on that lead; a bulk: stay where the rep is
        index = self.queue.index_of(lead_ids[0]) if len(lead_ids) == 1 else None
        self.reload_queue(self.query_one(QueueList).cursor if index is None else index)
        row = self.query_one(QueueList).current
        single = row is not None and len(lead_ids) == 1 and row.lead_id == lead_ids[0]
        self._show_current(
            tr("undone", self.lang, name=row.name if single else str(len(lead_ids))), confirm=True
        )
        if not self.undo_stack:
            self.refresh_bindings()
        self.update_counts()

    # -- actions: moving --------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.picking is not None:
            self._move_picker(1)
            return
        ql = self.query_one(QueueList)
        if ql.has_row(ql.cursor + 1):
            ql.move_to(ql.cursor + 1)
            self._update_title()

    def action_previous(self) -> None:
        if self.picking is not None:
            self._move_picker(-1)
            return
        ql = self.query_one(QueueList)
        if ql.cursor > 0:
            ql.move_to(ql.cursor - 1)
            self._update_title()

    def action_scroll_thread(self, direction: int) -> None:
        thread = self.query_one(ThreadView)
        step = max(1, thread.scrollable_content_region.height - 2)
        thread.scroll_to(y=thread.scroll_y + direction * step, animate=False)

    def action_toggle_quoted(self) -> None:
        self._close_picker(False)
        self.query_one(ThreadView).toggle()

    # -- actions: note, revisit, search, filter, bulk -------------------------------------------
    def action_note(self) -> None:
        self._close_picker(False)
        if self.draft is None:
            return
        from triage.store.decisions import NOTE_MAX
        from triage.tui.screens.pickers import LineInput

        lead_id = self.draft.lead_id

        def done(text: str | None) -> None:
            if text is None or self.draft is None or self.draft.lead_id != lead_id:
                return
            note = " ".join(one_line(text).split()) or None
            from dataclasses import replace

            self._redraft(replace(self.draft, note=note))

        self.app.push_screen(
            LineInput(tr("note_prompt", self.lang), self.draft.note or "", NOTE_MAX), done
        )

    def action_revisit(self) -> None:
        self._close_picker(False)
        if self.draft is None:
            return
        from triage.tui.screens.pickers import ValidatedLineInput

        lead_id = self.draft.lead_id
        today = self.app.clock().date()

        def check(text: str) -> str | None:
            if not text.strip():
                return None
            day = parse_revisit(text, today, self.lang)
            if day is None:
                return tr("revisit_bad", self.lang, text=one_line(text, 40))
            if day <= today:  # "2s" read as two seconds, a past date: not a revisit
                return tr("revisit_not_future", self.lang, text=one_line(text, 40),
                          day=day.isoformat())
            return None

        def done(text: str | None) -> None:
            if text is None or self.draft is None or self.draft.lead_id != lead_id:
                return
            from dataclasses import replace

            day = parse_revisit(text, today, self.lang) if text.strip() else None
            hint = tr("revisit_set", self.lang, day=day.isoformat()) if day else ""
            self._redraft(replace(self.draft, revisit_on=day), hint)

        current = self.draft.revisit_on.isoformat() if self.draft.revisit_on else ""
        self.app.push_screen(ValidatedLineInput(tr("revisit_prompt", self.lang), check, current), done)

    def action_search(self) -> None:
        self._close_picker(False)
        from triage.tui.screens.pickers import LineInput

        def done(text: str | None) -> None:
            if text is None:
                return
            self.set_filter(search=text.strip() or None)

        self.app.push_screen(LineInput(tr("search_prompt", self.lang), self.filter.search or ""), done)

    def set_filter(self, **changes: Any) -> None:
        from dataclasses import replace

        self.filter = replace(self.filter, **changes)
        self.reload_queue(0, new_filter=True)
        self._show_current()

    def action_filter(self) -> None:
        self._close_picker(False)
        from triage.tui.screens.pickers import FilterPicker

        lang = self.lang
        choices: list[tuple[str, str | None, str]] = [("clear", None, f"✕ {tr('clear_filters', lang)}")]
        choices.append(("header", None, f"— {tr('filter_class', lang)} —"))
        for c in self.tx.reply_classes:
            mark = "● " if self.filter.reply_class == c.id else "  "
            choices.append(("reply_class", c.id, mark + c.label.get(lang)))
        choices.append(("header", None, f"— {tr('filter_channel', lang)} —"))
        for value in self.app.distinct_values(("channel",)):
            mark = "● " if self.filter.channel == value else "  "
            choices.append(("channel", value, mark + one_line(value, 40)))
        choices.append(("header", None, f"— {tr('filter_segment', lang)} —"))
        for value in self.app.distinct_values(("persona", "industry", "company_size")):
            mark = "● " if self.filter.segment == value else "  "
            choices.append(("segment", value, mark + one_line(value, 40)))

        def done(choice: tuple[str, str | None] | None) -> None:
            if choice is None:
                return
            kind, value = choice
            if kind == "clear":
                self.set_filter(reply_class=None, channel=None, segment=None, search=None)
            else:
                current = getattr(self.filter, kind)
                self.set_filter(**{kind: None if current == value else value})

        self.app.push_screen(FilterPicker(tr("filter_title", lang), choices), done)

    def action_bulk(self) -> None:
        self._close_picker(False)
        from triage.bulk import bulk_candidates
        from triage.tui.screens.pickers import Confirm

        items = bulk_candidates(self.app.store, self.queue)
        if not items:
            self._say(tr("bulk_none", self.lang))
            return

        def done(ok: bool | None) -> None:
            if ok:
                self._say(tr("bulk_progress", self.lang, n=0, total=len(items)))
                self.run_bulk(items)

        self.app.push_screen(Confirm(tr("bulk_confirm", self.lang, n=len(items)), self.lang), done)

    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def run_bulk(self, items: list) -> None:
        """Thousands of items = thousands of durable commits: in a thread, with progress."""
        from triage.bulk import apply_bulk

        app = self.app
        store = app.open_worker_store()

        def progress(done: int, total: int) -> None:
            if done % 25 == 0:
                app.call_from_thread(self._say, tr("bulk_progress", self.lang, n=done, total=total))

        try:
            ids = apply_bulk(store, app.settings.rep, items, progress=progress)
        finally:
            if store is not app.store:
                store.close()
        app.call_from_thread(self._bulk_done, ids)

    def _bulk_done(self, ids: list[int]) -> None:
        if ids:
            self.undo_stack.append(list(ids))
            self.session_decisions += len(ids)
        self.reload_queue(0)
        self._show_current(tr("bulk_done", self.lang, n=len(ids)), confirm=True)
        self.refresh_bindings()
        self.update_counts()

    # -- actions: other screens ---------------------------------------------------------------------
    def action_help(self) -> None:
        self._close_picker(False)
        from triage.tui.screens.help import HelpScreen

        keys = []
        seen = set()
        # the screen's own keys first, then the list's, then the app's; reason and status
        # letters have their own sections in the help (with definitions)
        chain = [*self._bindings, *self.query_one(QueueList)._bindings, *self.app._bindings]
        for _key, b in chain:
            if b.id in seen or not b.description:
                continue
            if b.id and b.id.startswith(("reason.", "secondary.", "status.")):
                continue
            seen.add(b.id)
            keys.append((self.app.get_key_display(b), b.description, b.tooltip or ""))
        keys.append(("^p", tr("b_palette", self.lang), tr("b_palette_tip", self.lang)))
        self.app.push_screen(HelpScreen(self.tx, self.lang, keys))

    def action_report(self) -> None:
        self._reload_on_resume = True
        self.app.open_other("report")

    def action_calibration(self) -> None:
        self._reload_on_resume = True
        self.app.open_other("calibration")

    def on_screen_resume(self) -> None:
        """Back from the review or calibration screens: other decisions may have landed."""
        if getattr(self, "_reload_on_resume", False):
            self._reload_on_resume = False
            self.reload_queue(self.query_one(QueueList).cursor)
            self._show_current()
            self.update_counts()


def parse_revisit(text: str, today: date, lang: str | None = None) -> date | None:
    """A revisit date from a phrase (+90d, 2026-09-15, septembre, Q3…): the classifier's parser."""
    from triage.dates import parse_when

    return parse_when(text, today, lang)
