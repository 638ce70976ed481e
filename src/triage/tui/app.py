"""The triage Textual app: owns the store, the settings and the clock; the queue is its screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from triage.store import Store
from triage.taxonomy import Taxonomy
from triage.timeutil import utcnow
from triage.tui.i18n import localize_bindings

STARTED = time.perf_counter()


class TriageCommands(Provider):
    """Command palette: every action of the queue screen, calling the same methods as the keys."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(name, help, callback) for every binding of the screen the palette was opened on."""
        screen = self.screen
        out = []
        seen = set()
        bindings = [*screen._bindings, *self.app._bindings]
        for _key, b in bindings:
            if b.id in seen or not b.description or b.id is None:
                continue
            seen.add(b.id)
            node = self.app if b.id.startswith("app.") else screen
            key = self.app.get_key_display(b)
            out.append((f"{b.description} ({key})", b.tooltip or "", partial(node.run_action, b.action)))
        return out

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


class TriageApp(App[None]):
    """Keyboard-first queue of lead replies. Build it with `make_app` (CLI and tests alike)."""

    CSS_PATH = "../styles/triage.tcss"
    TITLE = "triage"
    COMMANDS = App.COMMANDS | {TriageCommands}
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit triage", show=False),
    ]

    def __init__(
        self,
        store: Store,
        settings: Any,
        taxonomy: Taxonomy,
        clock: Callable[[], datetime] = utcnow,
        session_started_at: datetime | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.taxonomy = taxonomy
        self.clock = clock
        self.session_started_at = session_started_at or clock()
        self.first_lead_at: float | None = None
        self.on_first_lead: Callable[[], None] | None = None
        self._first_lead_pending = False
        self._stats_store: Store | None = None
        localize_bindings(self, settings.language)
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))

    def get_default_screen(self):  # noqa: ANN201
        from triage.tui.screens.queue import QueueScreen

        return QueueScreen()

    # -- services the screen uses --------------------------------------------------------------
    def new_filter(self, **kwargs: Any):  # noqa: ANN201
        from triage.queue import QueueFilter

        return QueueFilter(**kwargs)

    def new_queue(self, queue_filter: Any, rank: bool = True):  # noqa: ANN201
        from triage.queue import Queue

        return Queue(
            self.store, self.settings, self.clock(), filter=queue_filter,
            lang=self.settings.language, rank=rank,
        )

    def thread_of(self, lead_id: int) -> list:
        from triage.thread import thread_view

        return thread_view(self.store, lead_id, self.settings.language)

    def counts_snapshot(self, store: Store | None = None) -> Any:
        """Reason counts for the side panel: on `store`, or (from a worker thread) on a
        connection of its own."""
        from triage.session_stats import ReasonCounts

        if store is not None:
            return ReasonCounts(
                store, self.settings.rep, self.session_started_at, self.clock()
            ).snapshot()
        if self._stats_store is None:
            self._stats_store = self.open_worker_store()
        store = self._stats_store
        return ReasonCounts(
            store, self.settings.rep, self.session_started_at, self.clock()
        ).snapshot()

    def open_worker_store(self) -> Store:
        """A connection of its own for a worker thread (the main store if in memory)."""
        path = self.store.db.execute("PRAGMA database_list").fetchone()[2]
        return Store.open(path, self.taxonomy, self.clock) if path else self.store

    def distinct_values(self, columns: tuple[str, ...], limit: int = 40) -> list[str]:
        values: set[str] = set()
        for col in columns:
            rows = self.store.db.execute(
                f"SELECT DISTINCT {col} FROM leads WHERE {col} IS NOT NULL AND {col} != '' "
                f"ORDER BY 1 LIMIT {limit}"
            ).fetchall()
            values.update(str(r[0]) for r in rows)
        return sorted(values)

    def on_ready(self) -> None:
        from triage.tui import resume_gc

        resume_gc(freeze=True)  # the first frame is on screen (`triage open` paused the GC)
        self.log.info(f"triage ready {time.perf_counter() - STARTED:.3f}s after importing the app")

    def lead_shown(self, row: Any) -> None:
        if not self._first_lead_pending and self.first_lead_at is None:
            self._first_lead_pending = True
            self.call_after_refresh(self._first_lead_painted)

    def _first_lead_painted(self) -> None:
        """The first lead is on screen (painted, as the bench's minimal app measures it)."""
        self.first_lead_at = time.perf_counter()
        if self.on_first_lead is not None:
            self.on_first_lead()

    # -- the review and calibration screens (imported when first opened) -----------------------
    def open_other(self, name: str) -> None:
        """F3 / F4: the weekly review or the calibration screen on the same store."""
        if name == "report":
            from triage.tui.screens.report import ReportScreen as screen_cls
        else:
            from triage.tui.screens.calibration import CalibrationScreen as screen_cls
        self.push_screen(screen_cls(self.store, self.settings))

    def on_unmount(self) -> None:
        if self._stats_store is not None and self._stats_store is not self.store:
            self._stats_store.close()
