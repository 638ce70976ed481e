"""The Store: every read and write of triage's SQLite file goes through here."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.store.connection import Database, connect, write_transaction
from triage.store.decisions import DecisionError, validate_decision
from triage.store.schema import migrate
from triage.taxonomy import Taxonomy, load_taxonomy
from triage.timeutil import Clock, iso, utcnow

if TYPE_CHECKING:
    from triage.mail.parse import ParsedMail  # the mail parser is not needed to open a store
    from triage.store.decision_in import DecisionIn  # nor pydantic

#: Lead fields an import may set (state fields come only from decisions).
LEAD_PROFILE_FIELDS = (
    "email",
    "external_id",
    "name",
    "company",
    "title",
    "persona",
    "industry",
    "company_size",
    "channel",
    "owner",
    "language",
    "fit",
)


class Store:
    """A triage database. Cheap to open; one per process (or per thread with its own Store)."""

    def __init__(
        self, db: Database, taxonomy: Taxonomy, clock: Clock = utcnow
    ) -> None:
        self.db = db
        self.taxonomy = taxonomy
        self.clock = clock
        # one connection, possibly used from worker threads: one write transaction at a time
        # (otherwise another thread's statements silently join, or roll back with, this one)
        self._write_lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: str | Path,
        taxonomy: Taxonomy | None = None,
        clock: Clock | None = None,
        check_taxonomy: bool = False,
    ) -> Store:
        """Open (creating and migrating if needed). With `check_taxonomy`, refuse a taxonomy
        that drops codes the database uses (store.compat.TaxonomyIncompatibleError)."""
        db = connect(path)
        try:
            migrate(db.conn)
            store = cls(db, taxonomy or load_taxonomy(), clock or utcnow)
            if check_taxonomy:
                from triage.store.compat import ensure_compatible

                ensure_compatible(store, store.taxonomy)
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """An atomic write transaction (nested calls join it; other threads wait for it)."""
        with self._write_lock, write_transaction(self.db) as db:
            yield db

    def now(self) -> str:
        return iso(self.clock())

    def one(self, sql: str, params: Any = ()) -> dict | None:
        cur = self.db.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row))

    def all(self, sql: str, params: Any = ()) -> list[dict]:
        cur = self.db.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- metadata ---------------------------------------------------------------------------

    def meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- leads ------------------------------------------------------------------------------

    def lead(self, lead_id: int) -> dict | None:
        return self.one("SELECT * FROM leads WHERE id = ?", (lead_id,))

    def lead_id_by_email(self, address: str) -> int | None:
        return self.scalar("SELECT id FROM leads WHERE email = ?", (address.strip().lower(),))

    def upsert_lead(self, fields: dict[str, Any]) -> tuple[int, bool]:
        """Find the lead by email, then external_id; fill in missing profile fields.

        Returns (lead id, created). Existing non-empty values are kept, so a re-import is a no-op.
        """
        data = {
            k: v for k, v in fields.items() if k in LEAD_PROFILE_FIELDS and v not in (None, "")
        }
        if "email" in data:
            data["email"] = str(data["email"]).strip().lower()
        if not data.get("email") and not data.get("external_id"):
            raise ValueError("a lead needs an email address or an external id")
        with self.write():
            existing = None
            if data.get("email"):
                existing = self.one("SELECT * FROM leads WHERE email = ?", (data["email"],))
            if existing is None and data.get("external_id"):
                existing = self.one(
                    "SELECT * FROM leads WHERE external_id = ?", (data["external_id"],)
                )
            if existing is None:
                data["created_at"] = self.now()
                cols = ", ".join(data)
                marks = ", ".join("?" for _ in data)
                cur = self.db.execute(
                    f"INSERT INTO leads ({cols}) VALUES ({marks})", list(data.values())
                )
                return int(cur.lastrowid), True
            missing = {k: v for k, v in data.items() if existing.get(k) in (None, "")}
            if missing:
                sets = ", ".join(f"{k} = ?" for k in missing)
                self.db.execute(
                    f"UPDATE leads SET {sets} WHERE id = ?", [*missing.values(), existing["id"]]
                )
            return int(existing["id"]), False

    # -- messages ---------------------------------------------------------------------------

    def message_pk(self, message_id: str) -> int | None:
        return self.scalar("SELECT id FROM messages WHERE message_id = ?", (message_id,))

    def lead_for_thread(self, message_ids: list[str]) -> int | None:
        """The lead of the first known message among `message_ids` (In-Reply-To, References)."""
        for mid in message_ids:
            lead_id = self.scalar(
                "SELECT lead_id FROM messages WHERE message_id = ? AND lead_id IS NOT NULL", (mid,)
            )
            if lead_id is not None:
                return int(lead_id)
        return None

    def add_message(
        self, mail: ParsedMail, lead_id: int | None, direction: str, source: str = ""
    ) -> tuple[int, bool]:
        """Store a message once (keyed by Message-ID); returns (pk, created)."""
        with self.write():
            pk = self.message_pk(mail.message_id)
            if pk is not None:
                return pk, False
            sent_at = iso(mail.date) if mail.date else None
            cur = self.db.execute(
                """INSERT INTO messages (message_id, lead_id, direction, from_addr, from_name,
                       to_addrs, subject, sent_at, in_reply_to, refs, body, body_from_html,
                       headers, content_type, raw_sha256, source, imported_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    mail.message_id, lead_id, direction, mail.from_addr, mail.from_name,
                    json.dumps(mail.to_addrs), mail.subject, sent_at, mail.in_reply_to,
                    json.dumps(mail.references), mail.text, int(mail.body_from_html),
                    json.dumps(mail.headers), mail.content_type, mail.raw_sha256, source,
                    self.now(),
                ),
            )
            pk = int(cur.lastrowid)
            if lead_id is not None:
                self._touch_lead(lead_id, direction, sent_at or self.now(), pk)
            return pk, True

    def _touch_lead(self, lead_id: int, direction: str, at: str, pk: int) -> None:
        if direction == "out":
            self.db.execute(
                """UPDATE leads SET last_outbound_at = ?
                   WHERE id = ? AND (last_outbound_at IS NULL OR last_outbound_at < ?)""",
                (at, lead_id, at),
            )
        else:
            self.db.execute(
                """UPDATE leads SET
                       last_inbound_at = CASE WHEN last_inbound_at IS NULL
                           OR last_inbound_at < ? THEN ? ELSE last_inbound_at END,
                       last_reply_class = CASE WHEN COALESCE(last_inbound_pk, 0) < ?
                           THEN NULL ELSE last_reply_class END,
                       last_inbound_pk = MAX(COALESCE(last_inbound_pk, 0), ?)
                   WHERE id = ?""",
                (at, at, pk, pk, lead_id),
            )

    def touch_outbound(self, lead_id: int, at: datetime) -> bool:
        """Record an outbound contact known only from a CRM/outbound-tool export (no message):
        moves `last_outbound_at` forward, never back. Returns whether it changed."""
        stamp = iso(at)
        with self.write():
            cur = self.db.execute(
                """UPDATE leads SET last_outbound_at = ?
                   WHERE id = ? AND (last_outbound_at IS NULL OR last_outbound_at < ?)""",
                (stamp, lead_id, stamp),
            )
            return cur.rowcount > 0

    def thread(self, lead_id: int) -> list[dict]:
        """A lead's messages, newest first."""
        return self.all(
            "SELECT * FROM messages WHERE lead_id = ? ORDER BY sent_at DESC, id DESC", (lead_id,)
        )

    # -- classifications --------------------------------------------------------------------

    def add_classification(self, message_pk: int, result: dict[str, Any], version: str) -> int:
        """Store a classifier result for a message once per classifier version."""
        with self.write():
            existing = self.scalar(
                "SELECT id FROM classifications WHERE message_pk = ? AND classifier_version = ?",
                (message_pk, version),
            )
            if existing is not None:
                return int(existing)
            cur = self.db.execute(
                """INSERT INTO classifications (message_pk, reply_class, confidence, reason,
                       secondary_reason, sub_reason, revisit_on, language, evidence,
                       classifier_version, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    message_pk, result["reply_class"], float(result["confidence"]),
                    result.get("reason"), result.get("secondary_reason"),
                    result.get("sub_reason"), result.get("revisit_on"),
                    result.get("language"), json.dumps(result.get("evidence") or []),
                    version, self.now(),
                ),
            )
            # the lead's newest reply class is cached on the lead for the queue
            self.db.execute(
                "UPDATE leads SET last_reply_class = ? WHERE last_inbound_pk = ?",
                (result["reply_class"], message_pk),
            )
            return int(cur.lastrowid)

    def latest_classification(self, lead_id: int) -> dict | None:
        """The classification of the lead's newest inbound message."""
        row = self.one(
            """SELECT c.* FROM classifications c
               JOIN messages m ON m.id = c.message_pk
               WHERE m.lead_id = ? AND m.direction = 'in'
               ORDER BY m.sent_at DESC, m.id DESC, c.id DESC LIMIT 1""",
            (lead_id,),
        )
        if row is not None:
            row["evidence"] = json.loads(row["evidence"] or "[]")
        return row

    # -- decisions --------------------------------------------------------------------------

    def record_decision(
        self,
        decision: DecisionIn,
        at: datetime | None = None,
        historical: bool = False,
        taxonomy_version: str | None = None,
    ) -> int:
        """Append a decision and update the lead's state, in one committed transaction.

        `historical` (a past decision being imported): a code retired since but mapped by the
        taxonomy is accepted as recorded, and `taxonomy_version` (the version it was made
        under) is kept; a decision made now must use an active code of the current version."""
        validate_decision(decision, self.taxonomy, historical=historical)
        with self.write():
            lead = self.lead(decision.lead_id)
            if lead is None:
                raise DecisionError(f"no lead with id {decision.lead_id}")
            message_pk = decision.message_pk or lead["last_inbound_pk"]
            cur = self.db.execute(
                """INSERT INTO decisions (lead_id, rep, decided_at, kind, status, primary_reason,
                       secondary_reason, sub_reason, note, revisit_on, taxonomy_version, source,
                       message_pk, classification_id)
                   VALUES (?, ?, ?, 'decision', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    decision.lead_id, decision.rep, iso(at) if at else self.now(),
                    decision.status, decision.primary_reason, decision.secondary_reason,
                    decision.sub_reason, decision.note,
                    decision.revisit_on.isoformat() if decision.revisit_on else None,
                    (historical and taxonomy_version) or self.taxonomy.version,
                    decision.source, message_pk,
                    decision.classification_id,
                ),
            )
            decision_id = int(cur.lastrowid)
            self._refresh_lead_state(decision.lead_id)
        return decision_id

    def undo(self, decision_id: int, rep: str, at: datetime | None = None) -> int:
        """Record that a decision is withdrawn (itself an event); the lead reverts."""
        with self.write():
            target = self.one("SELECT * FROM decisions WHERE id = ?", (decision_id,))
            if target is None or target["kind"] != "decision":
                raise DecisionError(f"no decision with id {decision_id} to undo")
            if self.scalar("SELECT 1 FROM decisions WHERE undoes = ?", (decision_id,)):
                raise DecisionError(f"decision {decision_id} is already undone")
            cur = self.db.execute(
                """INSERT INTO decisions (lead_id, rep, decided_at, kind, taxonomy_version,
                       source, undoes)
                   VALUES (?, ?, ?, 'undo', ?, ?, ?)""",
                (
                    target["lead_id"], rep, iso(at) if at else self.now(),
                    self.taxonomy.version, target["source"], decision_id,
                ),
            )
            self._refresh_lead_state(target["lead_id"])
            return int(cur.lastrowid)

    def _refresh_lead_state(self, lead_id: int) -> None:
        last = self.one(
            "SELECT * FROM effective_decisions WHERE lead_id = ? ORDER BY id DESC LIMIT 1",
            (lead_id,),
        )
        if last is None:
            self.db.execute(
                """UPDATE leads SET status = NULL, status_final = 0, primary_reason = NULL,
                       secondary_reason = NULL, sub_reason = NULL, note = NULL, revisit_on = NULL,
                       last_decision_id = NULL, last_decision_at = NULL,
                       decided_inbound_pk = NULL
                   WHERE id = ?""",
                (lead_id,),
            )
            return
        status = last["status"]
        final = self.taxonomy.has_status(status) and self.taxonomy.status(status).final
        self.db.execute(
            """UPDATE leads SET status = ?, status_final = ?, primary_reason = ?,
                   secondary_reason = ?, sub_reason = ?, note = ?, revisit_on = ?,
                   last_decision_id = ?, last_decision_at = ?, decided_inbound_pk = ?
               WHERE id = ?""",
            (
                status, int(final), last["primary_reason"], last["secondary_reason"],
                last["sub_reason"], last["note"], last["revisit_on"], last["id"],
                last["decided_at"], last["message_pk"], lead_id,
            ),
        )

    def decision(self, decision_id: int) -> dict | None:
        return self.one("SELECT * FROM decisions WHERE id = ?", (decision_id,))

    def decisions_for(self, lead_id: int) -> list[dict]:
        """The whole log for a lead (decisions and undo events), oldest first."""
        return self.all("SELECT * FROM decisions WHERE lead_id = ? ORDER BY id", (lead_id,))

    def is_undone(self, decision_id: int) -> bool:
        return bool(self.scalar("SELECT 1 FROM decisions WHERE undoes = ?", (decision_id,)))
