"""Calibration sessions: pick past decided leads, snapshot them blind, record reps' labels.

Nothing here writes to `decisions` or to a lead's state: labels live in their own tables.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from triage.store import Store
from triage.taxonomy import Taxonomy

DEFAULT_SIZE = 10
MAX_SIZE = 200
#: Longest body kept per message in the blind snapshot (characters).
BODY_MAX = 20_000
NO_REASON = "(none)"


class CalibrationError(ValueError):
    """A calibration request that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Session:
    id: int
    uid: str
    name: str
    created_at: str
    created_by: str | None
    taxonomy_version: str
    seed: int | None
    since: str | None
    origin: str
    size: int

    @classmethod
    def from_row(cls, row: dict) -> Session:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


# -- the blind snapshot -------------------------------------------------------------------


def blind_sha256(blind: dict) -> str:
    """A fingerprint of what reps see; the same on every database (packs are checked with it)."""
    text = json.dumps(blind, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def blind_view(store: Store, lead_id: int, until: str | None) -> dict:
    """What a rep needs to label a lead blind: profile and thread text, oldest message first.

    No classification, no status, no reason, no note: only what the prospect and we wrote,
    up to the moment of the decision being calibrated (`until`).
    """
    lead = store.lead(lead_id) or {}
    profile = {
        k: lead.get(k)
        for k in ("name", "company", "title", "persona", "industry", "company_size", "channel",
                  "language")
        if lead.get(k) not in (None, "")
    }
    rows = store.all(
        """SELECT direction, from_name, from_addr, subject, sent_at, body FROM messages
           WHERE lead_id = ? AND (? IS NULL OR sent_at IS NULL OR sent_at <= ?)
           ORDER BY sent_at, id""",
        (lead_id, until, until),
    )
    messages = [
        {
            "direction": r["direction"],
            "from": " ".join(x for x in (r["from_name"], f"<{r['from_addr']}>" if r["from_addr"]
                                         else None) if x),
            "sent_at": r["sent_at"],
            "subject": r["subject"] or "",
            "body": (r["body"] or "")[:BODY_MAX],
        }
        for r in rows
    ]
    return {"lead": profile, "messages": messages}


# -- picking leads ------------------------------------------------------------------------


def candidates(store: Store, since: date | None = None) -> list[dict]:
    """Leads whose latest effective decision is final or carries a reason, with a thread."""
    rows = store.all(
        """WITH last AS (SELECT lead_id, MAX(id) AS id FROM effective_decisions GROUP BY lead_id)
           SELECT d.id AS decision_id, d.lead_id, d.status, d.primary_reason,
                  d.secondary_reason, d.decided_at
           FROM last JOIN decisions d ON d.id = last.id
           WHERE (? IS NULL OR d.decided_at >= ?)
             AND EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = d.lead_id)
           ORDER BY d.lead_id""",
        (since.isoformat() if since else None, since.isoformat() if since else None),
    )
    tax = store.taxonomy
    return [
        r for r in rows
        if r["primary_reason"] or (tax.has_status(r["status"]) and tax.status(r["status"]).final)
    ]


def stratified_pick(rows: list[dict], size: int, seed: int, taxonomy: Taxonomy,
                    used: set[int] = frozenset()) -> list[dict]:
    """Round-robin over the canonical primary reasons, deterministic for a given seed.

    Each reason's leads are shuffled with the seed (leads never calibrated before come first);
    one lead is taken from each reason, most-used reasons first (ties in taxonomy order; leads
    without a reason last), again and again until `size`: a session smaller than the number
    of reasons covers the codes the team uses most. The picked leads are then shuffled again so the labelling order
    does not give the reasons away.
    """
    rng = random.Random(seed)
    strata: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        strata[taxonomy.canonical_reason(r["primary_reason"]) or NO_REASON].append(r)
    rank = {x.id: i for i, x in enumerate(taxonomy.reasons)}
    order = sorted((k for k in strata if k != NO_REASON),
                   key=lambda k: (-len(strata[k]), rank.get(k, len(rank)), k))
    order += [NO_REASON] if NO_REASON in strata else []
    queues = []
    for key in order:
        group = list(strata[key])
        rng.shuffle(group)
        group.sort(key=lambda r: r["lead_id"] in used)  # stable: unused first
        queues.append(group)
    picked: list[dict] = []
    while len(picked) < size and any(queues):
        for q in queues:
            if q and len(picked) < size:
                picked.append(q.pop(0))
    rng.shuffle(picked)
    return picked


def create_session(
    store: Store,
    size: int = DEFAULT_SIZE,
    name: str | None = None,
    since: date | None = None,
    seed: int | None = None,
    created_by: str | None = None,
) -> Session:
    """Pick `size` past decided leads stratified across reasons and store the session."""
    if not 2 <= size <= MAX_SIZE:
        raise CalibrationError(f"--size must be between 2 and {MAX_SIZE}, got {size}")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    rows = candidates(store, since)
    if len(rows) < 2:
        where = f" since {since.isoformat()}" if since else ""
        raise CalibrationError(
            f"only {len(rows)} decided lead(s){where} with a thread: calibration needs at least "
            "2 leads with a final status or a reason"
        )
    used = {r["lead_id"] for r in store.all("SELECT DISTINCT lead_id FROM calibration_items "
                                             "WHERE lead_id IS NOT NULL")}
    picked = stratified_pick(rows, size, seed, store.taxonomy, used)
    day = store.clock().date().isoformat()
    with store.write():
        cur = store.db.execute(
            """INSERT INTO calibration_sessions (uid, name, created_at, created_by,
                   taxonomy_version, seed, since, origin)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'local')""",
            (uuid.uuid4().hex, (name or "").strip() or f"Calibration {day}", store.now(),
             created_by, store.taxonomy.version, seed, since.isoformat() if since else None),
        )
        session_id = int(cur.lastrowid)
        for position, r in enumerate(picked, start=1):
            blind = blind_view(store, r["lead_id"], r["decided_at"])
            store.db.execute(
                """INSERT INTO calibration_items (session_id, position, lead_ref, lead_id,
                       original_decision_id, original_status, original_primary,
                       original_secondary, blind, blind_sha256)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (session_id, position, r["lead_id"], r["lead_id"], r["decision_id"], r["status"],
                 r["primary_reason"], r["secondary_reason"],
                 json.dumps(blind, ensure_ascii=False), blind_sha256(blind)),
            )
    return get_session(store, session_id)


# -- reading ------------------------------------------------------------------------------

_SESSION_SQL = """SELECT s.*, (SELECT COUNT(*) FROM calibration_items i
                               WHERE i.session_id = s.id) AS size
                  FROM calibration_sessions s"""


def get_session(store: Store, session_id: int) -> Session:
    row = store.one(_SESSION_SQL + " WHERE s.id = ?", (session_id,))
    if row is None:
        raise CalibrationError(f"no calibration session {session_id}")
    return Session.from_row(row)


def list_sessions(store: Store) -> list[dict]:
    """Every session, newest first, with its size and who labelled how many leads."""
    out = []
    for row in store.all(_SESSION_SQL + " ORDER BY s.created_at DESC, s.id DESC"):
        reps = store.all(
            """SELECT l.rep, COUNT(*) AS labelled FROM calibration_labels l
               JOIN calibration_items i ON i.id = l.item_id
               WHERE i.session_id = ? GROUP BY l.rep ORDER BY l.rep""",
            (row["id"],),
        )
        out.append({**row, "reps": {r["rep"]: r["labelled"] for r in reps}})
    return out


def resolve_session(store: Store, ref: str | int) -> Session:
    """A session by local id, uid (or a prefix of at least 4 characters) or exact name."""
    text = str(ref).strip()
    if text.isdigit():
        row = store.one("SELECT id FROM calibration_sessions WHERE id = ?", (int(text),))
        if row:
            return get_session(store, row["id"])
    rows = []
    if len(text) >= 4:
        rows = store.all("SELECT id FROM calibration_sessions WHERE uid LIKE ? || '%'", (text,))
    if not rows:
        rows = store.all("SELECT id FROM calibration_sessions WHERE name = ?", (text,))
    if len(rows) == 1:
        return get_session(store, rows[0]["id"])
    if len(rows) > 1:
        raise CalibrationError(f"{text!r} matches {len(rows)} sessions: use the session id")
    known = ", ".join(f"{s['id']} ({s['name']})" for s in list_sessions(store)[:5])
    hint = f"; sessions: {known}" if known else "; create one with `triage calibrate new`"
    raise CalibrationError(f"no calibration session {text!r}{hint}")


def items(store: Store, session_id: int) -> list[dict]:
    """The session's leads in labelling order, with the blind view decoded."""
    rows = store.all(
        "SELECT * FROM calibration_items WHERE session_id = ? ORDER BY position", (session_id,)
    )
    for r in rows:
        r["blind"] = json.loads(r["blind"])
    return rows


def labels(store: Store, session_id: int) -> list[dict]:
    return store.all(
        """SELECT l.*, i.position, i.lead_ref FROM calibration_labels l
           JOIN calibration_items i ON i.id = l.item_id
           WHERE i.session_id = ? ORDER BY i.position, l.rep""",
        (session_id,),
    )


def rep_labels(store: Store, session_id: int, rep: str) -> dict[int, dict]:
    """position -> this rep's label, for the labelling screen."""
    return {r["position"]: r for r in labels(store, session_id) if r["rep"] == rep}


# -- labelling ----------------------------------------------------------------------------


def check_label(taxonomy: Taxonomy, primary: str, secondary: str | None) -> None:
    for field, code in (("primary", primary), ("secondary", secondary)):
        if code is None:
            continue
        if not taxonomy.has_reason(code):
            retired = next((r for r in taxonomy.retired if r.id == code), None)
            if retired:
                raise CalibrationError(f"{field} {code!r} is retired; use "
                                       f"{retired.merged_into!r} instead")
            known = ", ".join(r.id for r in taxonomy.reasons)
            raise CalibrationError(f"unknown {field} reason {code!r} (known: {known})")
    if secondary is not None and secondary == primary:
        raise CalibrationError("the secondary reason cannot be the same as the primary")


def find_item(store: Store, session_id: int, lead: int | None = None,
              position: int | None = None) -> dict:
    if position is not None:
        row = store.one("SELECT * FROM calibration_items WHERE session_id = ? AND position = ?",
                        (session_id, position))
        what = f"position {position}"
    else:
        row = store.one("SELECT * FROM calibration_items WHERE session_id = ? AND lead_ref = ?",
                        (session_id, lead))
        what = f"lead {lead}"
    if row is None:
        raise CalibrationError(f"session {session_id} has no {what}")
    return row


def add_label(
    store: Store,
    session_id: int,
    rep: str,
    primary: str,
    secondary: str | None = None,
    *,
    lead: int | None = None,
    position: int | None = None,
    at: str | None = None,
) -> int:
    """Record (or change) one rep's label of one calibration lead. Returns the label id."""
    rep = (rep or "").strip()
    if not rep:
        raise CalibrationError("a label needs the rep's name (--rep)")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in rep) or len(rep) > 80:
        raise CalibrationError("a rep's name is one line of at most 80 printable characters")
    secondary = secondary or None
    check_label(store.taxonomy, primary, secondary)
    with store.write():
        item = find_item(store, session_id, lead=lead, position=position)
        store.db.execute(
            """INSERT INTO calibration_labels (item_id, rep, primary_reason, secondary_reason,
                   labelled_at, taxonomy_version)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (item_id, rep) DO UPDATE SET
                   primary_reason = excluded.primary_reason,
                   secondary_reason = excluded.secondary_reason,
                   labelled_at = excluded.labelled_at,
                   taxonomy_version = excluded.taxonomy_version""",
            (item["id"], rep, primary, secondary, at or store.now(), store.taxonomy.version),
        )
        return int(store.scalar(
            "SELECT id FROM calibration_labels WHERE item_id = ? AND rep = ?", (item["id"], rep)
        ))
