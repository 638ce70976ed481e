"""Opening the SQLite file: WAL, busy timeout, durable commits, one write transaction helper."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlite_utils

#: How long a writer waits for another rep's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000

T = TypeVar("T")


class Database:
    """The store's connection, spoken to as sqlite-utils' `Database` (`db.execute`, `db.conn`)
    without importing sqlite-utils, which costs ~40 ms (its plugin system, dateutil) on every
    `triage` command. Anything else (`db.atomic()`, tables, ...) is sqlite-utils' own, built
    on first use. The connection is in autocommit mode (isolation_level=None), so `execute`
    is the connection's, exactly as sqlite-utils' own execute behaves there."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite_utils.Database(conn) sets

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    def close(self) -> None:
        self.conn.close()

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils' Database on the same connection (imported on first use)."""
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._utils

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "_utils"):
            raise AttributeError(name)
        return getattr(self.utils, name)


class StoreError(RuntimeError):
    """The database cannot be used; the message says why, in the user's words."""


def connect(path: str | Path) -> Database:
    """Open (creating if needed) a database file ready for several concurrent processes."""
    if str(path) != ":memory:":
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {path}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        # FULL: a decision reported as saved survives a crash or a power cut, not only a kill
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a usable SQLite database: {exc}") from None
    if str(path) != ":memory:" and str(mode).lower() != "wal":
        raise StoreError(f"{path}: cannot switch to WAL mode (got {mode!r}); is it on a read-only disk?")
    return Database(conn)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One atomic write. Takes the write lock up front (BEGIN IMMEDIATE) so concurrent reps queue
    on the busy timeout instead of failing on a lock upgrade; nested use becomes a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            _retry(lambda: conn.execute("COMMIT"))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _retry(op: Callable[[], T], attempts: int = 5) -> T:
    """Retry an operation SQLite reports as busy/locked beyond the busy timeout, then explain."""
    for attempt in range(attempts):
        try:
            return op()
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if "locked" not in msg and "busy" not in msg:
                raise
            if attempt == attempts - 1:
                raise StoreError(
                    "the database stayed busy for too long (another rep holds a long write); "
                    "nothing was saved, try again"
                ) from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
