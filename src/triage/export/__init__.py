"""Exports for CRM re-import: leads with their current state, and decisions.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
prefixed with an apostrophe (OWASP "CSV injection"); `triage import` removes it again, so an
export re-imports unchanged. JSON is written as it is.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

LEAD_COLUMNS = [
    "triage_id", "external_id", "email", "name", "company", "title", "persona", "industry",
    "company_size", "channel", "owner", "language", "fit", "status", "status_final",
    "primary_reason", "secondary_reason", "sub_reason", "note", "revisit_on",
    "last_decision_at", "last_reply_class", "last_inbound_at", "last_outbound_at", "created_at",
]
DECISION_COLUMNS = [
    "id", "lead_email", "lead_external_id", "rep", "decided_at", "status", "primary_reason",
    "secondary_reason", "sub_reason", "note", "revisit_on", "taxonomy_version", "source",
]
UNDO_COLUMNS = ["undone_at", "undone_by"]


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet will show as text, never evaluate. A value that already looks
    neutralised ("'=x") gets one more apostrophe, so the import's unquoting gives it back."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def lead_rows(store) -> list[dict]:  # noqa: ANN001 - triage.store.Store
    cols = ", ".join("id AS triage_id" if c == "triage_id" else c for c in LEAD_COLUMNS)
    return store.all(f"SELECT {cols} FROM leads ORDER BY id")


def decision_rows(store, include_undone: bool = False) -> list[dict]:  # noqa: ANN001
    """Effective decisions; with include_undone, every decision with when/who undid it."""
    source = "decisions d" if include_undone else "effective_decisions d"
    rows = store.all(
        f"""SELECT d.id, l.email AS lead_email, l.external_id AS lead_external_id, d.rep,
                   d.decided_at, d.status, d.primary_reason, d.secondary_reason, d.sub_reason,
                   d.note, d.revisit_on, d.taxonomy_version, d.source,
                   u.decided_at AS undone_at, u.rep AS undone_by
            FROM {source}
            JOIN leads l ON l.id = d.lead_id
            LEFT JOIN decisions u ON u.undoes = d.id
            WHERE d.kind = 'decision'
            ORDER BY d.id"""
    )
    if not include_undone:
        for r in rows:
            r.pop("undone_at")
            r.pop("undone_by")
    return rows


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise("" if row.get(k) is None else row.get(k)) for k in columns})
    return buf.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def export_text(store, what: str, fmt: str, include_undone: bool = False) -> str:  # noqa: ANN001
    if what == "leads":
        rows, columns = lead_rows(store), LEAD_COLUMNS
    elif what == "decisions":
        rows = decision_rows(store, include_undone)
        columns = DECISION_COLUMNS + (UNDO_COLUMNS if include_undone else [])
    else:
        raise ValueError(f"unknown export {what!r}: leads or decisions")
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown format {fmt!r}: csv or json")


__all__ = ["decision_rows", "export_text", "lead_rows", "neutralise", "to_csv", "to_json"]
