"""The SQLite store (WAL, append-only decision log, schema migrations)."""

from typing import TYPE_CHECKING

from triage.store.connection import StoreError
from triage.store.decisions import DecisionError
from triage.store.schema import SCHEMA_VERSION, SchemaTooNewError
from triage.store.store import Store

if TYPE_CHECKING:
    from triage.store.decision_in import DecisionIn


def __getattr__(name: str):
    # pydantic (~45 ms) loads with the first decision, not with the store
    if name == "DecisionIn":
        from triage.store.decision_in import DecisionIn

        return DecisionIn
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "SCHEMA_VERSION",
    "DecisionError",
    "DecisionIn",
    "SchemaTooNewError",
    "Store",
    "StoreError",
]
