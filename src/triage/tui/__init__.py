"""The Textual user interface (thin over the core: store, queue, classify, report).

Nothing heavy is imported here: `run` and `make_app` import the app when called.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.tui.app import TriageApp


def make_app(
    db: Path | str | Any,
    settings: Any,
    taxonomy: Any,
    clock: Callable[[], datetime] | None = None,
) -> TriageApp:
    """The app on a database path (or an open Store); shared by the CLI, tests and bench."""
    from triage.store import Store
    from triage.timeutil import utcnow
    from triage.tui.app import TriageApp

    clock = clock or utcnow
    store = db if isinstance(db, Store) else Store.open(db, taxonomy, clock)
    return TriageApp(store, settings, taxonomy, clock=clock)


def run(db: Path | Any, settings: Any, taxonomy: Any) -> None:
    """Open the queue screen on `db` (a path, or a Store the caller opened: it is closed when
    the rep quits) until the rep quits."""
    pause_gc()
    try:
        app = make_app(db, settings, taxonomy)
        try:
            app.run()
        finally:
            app.store.close()
    finally:
        resume_gc()  # if the app never showed a frame


_gc_paused = False


def pause_gc() -> None:
    """No cyclic garbage collection until the app's first frame (`triage open` calls this first).

    Start-up builds ~70k objects that live as long as the process (modules, classes, models,
    widgets); the collector walked them a dozen times before the first lead, once fully (~25 ms
    of CPU). The app resumes collection at its first frame (`resume_gc`). Does nothing when the
    collector is already off.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc(freeze: bool = False) -> None:
    """Undo `pause_gc` (once; a no-op otherwise). The app's first frame passes `freeze`: what
    start-up built is moved out of the collector's reach first (`gc.freeze`; it lives as long
    as the process anyway), so the next collections are not the full walk `pause_gc` avoided."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        if freeze:
            gc.freeze()
        gc.enable()


__all__ = ["make_app", "pause_gc", "resume_gc", "run"]
