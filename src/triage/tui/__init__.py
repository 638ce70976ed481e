"""The Textual user interface (thin over the core: store, queue, classify, report).

Nothing heavy is imported here: `run` and `make_app` import the app when called.
"""

from __future__ import annotations

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


def run(db_path: Path, settings: Any, taxonomy: Any) -> None:
    """Open the queue screen on `db_path` until the rep quits."""
    app = make_app(db_path, settings, taxonomy)
    try:
        app.run()
    finally:
        app.store.close()


__all__ = ["make_app", "run"]
