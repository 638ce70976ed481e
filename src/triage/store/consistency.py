"""Check a database against itself: SQLite integrity, and the lead state cache re-derived from
the decision log (`effective_decisions`). Used by `triage db check` and the reliability tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.store.store import Store

#: Lead columns that cache the newest effective decision, and the decision column each mirrors.
STATE_COLUMNS: dict[str, str] = {
    "status": "status",
    "primary_reason": "primary_reason",
    "secondary_reason": "secondary_reason",
    "sub_reason": "sub_reason",
    "note": "note",
    "revisit_on": "revisit_on",
    "last_decision_id": "id",
    "last_decision_at": "decided_at",
    "decided_inbound_pk": "message_pk",
}


@dataclass(frozen=True)
class Problem:
    kind: str  # integrity | foreign_key | lead_state | decision_log
    message: str
    lead_id: int | None = None

    def __str__(self) -> str:
        where = f"lead {self.lead_id}: " if self.lead_id is not None else ""
        return f"{self.kind}: {where}{self.message}"


def check(store: Store, limit: int = 200) -> list[Problem]:
    """Every inconsistency found (at most `limit` of each kind); an empty list means ok."""
    problems: list[Problem] = []
    problems += _integrity(store, limit)
    problems += _foreign_keys(store, limit)
    problems += _decision_log(store, limit)
    problems += _lead_state(store, limit)
    return problems


def expected_state(store: Store, decision: dict[str, Any] | None) -> dict[str, Any]:
    """The lead columns the newest effective decision implies (all empty when there is none)."""
    if decision is None:
        return {**dict.fromkeys(STATE_COLUMNS), "status_final": 0}
    tax = store.taxonomy
    status = decision["status"]
    final = tax.has_status(status) and tax.status(status).final
    state = {col: decision[src] for col, src in STATE_COLUMNS.items()}
    state["status_final"] = int(final)
    return state


def rebuild_lead_state(store: Store) -> int:
    """Rewrite every lead's state cache from the decision log, in one transaction.
    Returns the number of leads whose cache changed."""
    before = {p.lead_id for p in _lead_state(store, limit=10**9)}
    with store.write():
        for (lead_id,) in store.db.execute("SELECT id FROM leads").fetchall():
            store._refresh_lead_state(lead_id)
    return len(before)


def _integrity(store: Store, limit: int) -> list[Problem]:
    rows = store.db.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    messages = [str(r[0]) for r in rows]
    if messages == ["ok"]:
        return []
    return [Problem("integrity", m) for m in messages]


def _foreign_keys(store: Store, limit: int) -> list[Problem]:
    rows = store.db.execute("PRAGMA foreign_key_check").fetchall()
    return [
        Problem("foreign_key", f"{table} row {rowid} points to a missing {parent} row")
        for table, rowid, parent, _ in rows[:limit]
    ]


def _decision_log(store: Store, limit: int) -> list[Problem]:
    out = []
    bad_undo = store.all(
        """SELECT u.id, u.lead_id, u.undoes, d.kind AS target_kind, d.lead_id AS target_lead
           FROM decisions u LEFT JOIN decisions d ON d.id = u.undoes
           WHERE u.kind = 'undo'
             AND (d.id IS NULL OR d.kind != 'decision' OR d.lead_id != u.lead_id)
           LIMIT ?""",
        (limit,),
    )
    for r in bad_undo:
        out.append(
            Problem(
                "decision_log",
                f"undo event {r['id']} points to {r['undoes']}, which is not a decision "
                "of the same lead",
                r["lead_id"],
            )
        )
    return out


def _lead_state(store: Store, limit: int) -> list[Problem]:
    newest = {
        row["lead_id"]: row
        for row in store.all(
            """SELECT e.* FROM effective_decisions e
               JOIN (SELECT lead_id, MAX(id) AS id FROM effective_decisions GROUP BY lead_id) m
                 ON m.id = e.id"""
        )
    }
    cols = ", ".join(["id", "status_final", *STATE_COLUMNS])
    out: list[Problem] = []
    for lead in store.all(f"SELECT {cols} FROM leads ORDER BY id"):
        want = expected_state(store, newest.get(lead["id"]))
        diffs = [
            f"{col} is {lead[col]!r}, the decision log implies {want[col]!r}"
            for col in want
            if lead[col] != want[col]
        ]
        if diffs:
            out.append(Problem("lead_state", "; ".join(diffs), lead["id"]))
            if len(out) >= limit:
                break
    return out
