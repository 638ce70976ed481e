"""Reading effective decisions for a time window, and the counting unit shared by reports.

Counting unit: **the latest effective decision per lead in the window** (by decided_at, then
id). A lead re-decided three times in a week is one lead with one reason, its final word for
that week; counting every decision would weigh a lead by how often it was touched (a rep who
corrects a reason twice would triple-count it). Undone decisions and undo events never count
(the `effective_decisions` view); calibration labels never count. Retired reason codes are
counted under the code they were merged into (`Taxonomy.canonical_reason`).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from triage.store import Store
from triage.timeutil import iso

#: Lead columns a report can slice by (and an experiment audience can filter on).
SEGMENT_FIELDS = ("channel", "persona", "industry", "company_size")
AUDIENCE_FIELDS = (*SEGMENT_FIELDS, "owner", "language")

COUNTING_UNIT = (
    "latest effective decision per lead in the period (undone decisions excluded; "
    "retired codes counted under the code they were merged into)"
)


class Row(NamedTuple):
    """One effective decision joined with its lead's profile."""

    id: int
    lead_id: int
    rep: str
    decided_at: str
    status: str | None
    reason: str | None  # canonical primary reason
    channel: str | None
    persona: str | None
    industry: str | None
    company_size: str | None
    owner: str | None
    language: str | None

    def field(self, name: str) -> str | None:
        return getattr(self, name)


def effective_rows(
    store: Store,
    start: datetime,
    end: datetime,
    audience: dict[str, list[str]] | None = None,
) -> list[Row]:
    """Effective decisions with start <= decided_at < end, oldest first.

    `audience` maps a lead field (AUDIENCE_FIELDS) to accepted values (case-insensitive).
    """
    where = ["d.decided_at >= ?", "d.decided_at < ?", "d.source != 'calibration'"]
    params: list[object] = [iso(start), iso(end)]
    for field, values in (audience or {}).items():
        if field not in AUDIENCE_FIELDS:
            raise ValueError(f"unknown lead field {field!r}")
        marks = ", ".join("?" for _ in values)
        where.append(f"lower(l.{field}) IN ({marks})")
        params.extend(v.lower() for v in values)
    sql = f"""
        SELECT d.id, d.lead_id, d.rep, d.decided_at, d.status, d.primary_reason,
               l.channel, l.persona, l.industry, l.company_size, l.owner, l.language
        FROM effective_decisions d JOIN leads l ON l.id = d.lead_id
        WHERE {" AND ".join(where)}
        ORDER BY d.decided_at, d.id"""
    canonical: dict[str | None, str | None] = {}
    out = []
    for r in store.db.execute(sql, params).fetchall():
        reason = r[5]
        if reason not in canonical:
            canonical[reason] = store.taxonomy.canonical_reason(reason)
        out.append(Row(r[0], r[1], r[2], r[3], r[4], canonical[reason], *r[6:]))
    return out


def latest_per_lead(rows: list[Row]) -> list[Row]:
    """The counting unit: each lead's latest decision among `rows` (sorted oldest first)."""
    latest: dict[int, Row] = {}
    for row in rows:
        latest[row.lead_id] = row  # rows are ordered by (decided_at, id): the last one wins
    return sorted(latest.values(), key=lambda r: (r.decided_at, r.id))
