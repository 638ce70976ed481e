"""Can this database be used with that taxonomy? Codes recorded in the database must stay
readable: each one is either defined by the taxonomy or mapped through `retired.merged_into`.

Removing a code that decisions (or calibration labels) still use, without a mapping, is refused
with the codes, their counts and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from triage.store.connection import StoreError

if TYPE_CHECKING:
    from triage.store.store import Store
    from triage.taxonomy import Taxonomy

#: (table, column, kind) of every column holding a taxonomy code. Tables that do not exist in
#: this database (e.g. calibration before its migration) are skipped.
CODE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("decisions", "primary_reason", "reason"),
    ("decisions", "secondary_reason", "reason"),
    ("decisions", "status", "status"),
    ("calibration_labels", "primary_reason", "reason"),
    ("calibration_labels", "secondary_reason", "reason"),
    ("calibration_items", "original_primary", "reason"),
    ("calibration_items", "original_secondary", "reason"),
    ("calibration_items", "original_status", "status"),
    ("experiments", "expects", "reason"),
)


@dataclass(frozen=True)
class UnmappedCode:
    kind: str  # reason | status
    code: str
    uses: tuple[tuple[str, int], ...]  # ("decisions.primary_reason", 12), ...

    @property
    def count(self) -> int:
        return sum(n for _, n in self.uses)

    def describe(self) -> str:
        where = ", ".join(f"{n} in {col}" for col, n in self.uses)
        return f"{self.kind} {self.code!r} is used {self.count} time(s) ({where})"


class TaxonomyIncompatibleError(StoreError):
    """The taxonomy drops codes the database still uses."""

    def __init__(self, taxonomy_version: str, unmapped: list[UnmappedCode]) -> None:
        self.unmapped = unmapped
        super().__init__(explain(taxonomy_version, unmapped))


def explain(taxonomy_version: str, unmapped: list[UnmappedCode]) -> str:
    lines = [
        f"taxonomy {taxonomy_version} no longer defines codes this database uses:",
        *(f"  - {u.describe()}" for u in unmapped),
    ]
    reasons = [u.code for u in unmapped if u.kind == "reason"]
    if reasons:
        example = reasons[0]
        lines.append(
            "fix: keep each reason code, or move it to `retired:` with the code it is merged "
            f"into, e.g.\n  retired:\n    - id: {example}\n      label: {{en: ..., fr: ...}}\n"
            "      merged_into: <an active reason id>"
        )
    if any(u.kind == "status" for u in unmapped):
        lines.append("fix: statuses cannot be retired; keep every status that decisions use")
    return "\n".join(lines)


def used_codes(store: Store) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """{(kind, code): [(table.column, count), ...]} for every code recorded in the database."""
    tables = {
        r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for table, column, kind in CODE_COLUMNS:
        if table not in tables or column not in _columns(store, table):
            continue
        rows = store.db.execute(
            f"SELECT {column}, COUNT(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY {column}"
        ).fetchall()
        for code, count in rows:
            out.setdefault((kind, str(code)), []).append((f"{table}.{column}", int(count)))
    return out


def unmapped_codes(store: Store, taxonomy: Taxonomy) -> list[UnmappedCode]:
    """Codes in the database that `taxonomy` neither defines nor maps to an active reason."""
    out = []
    for (kind, code), uses in sorted(used_codes(store).items()):
        if kind == "status":
            known = taxonomy.has_status(code)
        else:
            known = taxonomy.has_reason(taxonomy.canonical_reason(code) or "")
        if not known:
            out.append(UnmappedCode(kind, code, tuple(uses)))
    return out


def ensure_compatible(store: Store, taxonomy: Taxonomy) -> None:
    """Raise TaxonomyIncompatibleError when `taxonomy` would orphan recorded codes."""
    unmapped = unmapped_codes(store, taxonomy)
    if unmapped:
        raise TaxonomyIncompatibleError(taxonomy.version, unmapped)


def _columns(store: Store, table: str) -> set[str]:
    return {r[1] for r in store.db.execute(f"PRAGMA table_info({table})")}
