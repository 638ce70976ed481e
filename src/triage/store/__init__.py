"""The SQLite store (WAL, append-only decision log, schema migrations)."""

from triage.store.connection import StoreError
from triage.store.decisions import DecisionError, DecisionIn
from triage.store.schema import SCHEMA_VERSION, SchemaTooNewError
from triage.store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "DecisionError",
    "DecisionIn",
    "SchemaTooNewError",
    "Store",
    "StoreError",
]
