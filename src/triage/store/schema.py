"""The SQLite schema, as numbered migrations applied in order (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: leads, messages, classifications, the append-only decision log
    """
    CREATE TABLE leads (
        id INTEGER PRIMARY KEY,
        email TEXT UNIQUE,                 -- lowercased address; NULL for CRM rows without one
        external_id TEXT UNIQUE,           -- CRM id, when the lead came from a CSV export
        name TEXT, company TEXT, title TEXT,
        persona TEXT, industry TEXT, company_size TEXT,
        channel TEXT,                      -- cold_email / inbound / referral / ...
        owner TEXT, language TEXT,
        fit REAL CHECK (fit IS NULL OR (fit >= 0 AND fit <= 1)),
        created_at TEXT NOT NULL,
        last_outbound_at TEXT,
        last_inbound_at TEXT,
        last_inbound_pk INTEGER,           -- newest inbound message
        -- current state: a cache of the decision log, rewritten in the same transaction
        status TEXT, status_final INTEGER NOT NULL DEFAULT 0,
        primary_reason TEXT, secondary_reason TEXT, sub_reason TEXT,
        note TEXT, revisit_on TEXT,
        last_decision_id INTEGER, last_decision_at TEXT,
        decided_inbound_pk INTEGER         -- newest inbound message the last decision had seen
    );
    CREATE INDEX leads_revisit ON leads(revisit_on) WHERE revisit_on IS NOT NULL;
    CREATE INDEX leads_inbound ON leads(last_inbound_pk);

    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        lead_id INTEGER REFERENCES leads(id),
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        from_addr TEXT, from_name TEXT, to_addrs TEXT,
        subject TEXT, sent_at TEXT,
        in_reply_to TEXT, refs TEXT,
        body TEXT, body_from_html INTEGER NOT NULL DEFAULT 0,
        headers TEXT, content_type TEXT,
        raw_sha256 TEXT, source TEXT, imported_at TEXT NOT NULL
    );
    CREATE INDEX messages_lead ON messages(lead_id, sent_at);

    CREATE TABLE classifications (
        id INTEGER PRIMARY KEY,
        message_pk INTEGER NOT NULL REFERENCES messages(id),
        reply_class TEXT NOT NULL, confidence REAL NOT NULL,
        reason TEXT, secondary_reason TEXT, sub_reason TEXT,
        revisit_on TEXT, language TEXT, evidence TEXT,
        classifier_version TEXT NOT NULL, created_at TEXT NOT NULL,
        UNIQUE (message_pk, classifier_version)
    );

    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id),
        rep TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'decision' CHECK (kind IN ('decision', 'undo')),
        status TEXT, primary_reason TEXT, secondary_reason TEXT, sub_reason TEXT,
        note TEXT, revisit_on TEXT,
        taxonomy_version TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('manual', 'auto', 'bulk', 'calibration', 'import')),
        undoes INTEGER REFERENCES decisions(id),
        message_pk INTEGER REFERENCES messages(id),
        classification_id INTEGER REFERENCES classifications(id),
        CHECK (kind = 'decision' OR undoes IS NOT NULL),
        CHECK (secondary_reason IS NULL OR secondary_reason != primary_reason)
    );
    CREATE INDEX decisions_lead ON decisions(lead_id, id);
    CREATE INDEX decisions_time ON decisions(decided_at);
    CREATE UNIQUE INDEX decisions_undone ON decisions(undoes) WHERE undoes IS NOT NULL;
    CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record an undo instead'); END;
    CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record an undo instead'); END;

    -- decisions that count: not undo events, and not undone
    CREATE VIEW effective_decisions AS
        SELECT d.* FROM decisions d
        WHERE d.kind = 'decision'
          AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes = d.id);
    """,
    # 2: key/value metadata, the newest reply's class on the lead (queue filter/sort),
    #    indexes for the side panel, reports and taxonomy checks
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    ALTER TABLE leads ADD COLUMN last_reply_class TEXT;
    CREATE INDEX leads_reply_class ON leads(last_reply_class);
    CREATE INDEX decisions_rep_time ON decisions(rep, decided_at);
    CREATE INDEX decisions_primary ON decisions(primary_reason);
    CREATE INDEX decisions_secondary ON decisions(secondary_reason);
    CREATE INDEX classifications_message ON classifications(message_pk);
    """,
    # 3: calibration sessions: past leads labelled blind by several reps (never decisions)
    """
    CREATE TABLE calibration_sessions (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,          -- the same session on every database (packs)
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        taxonomy_version TEXT NOT NULL,
        seed INTEGER, since TEXT,
        origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'pack'))
    );
    CREATE TABLE calibration_items (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES calibration_sessions(id),
        position INTEGER NOT NULL,         -- 1..n, the order reps label in
        lead_ref INTEGER NOT NULL,         -- the lead's id in the database that made the session
        lead_id INTEGER REFERENCES leads(id),  -- same lead here; NULL when it came in a pack
        original_decision_id INTEGER REFERENCES decisions(id),
        original_status TEXT, original_primary TEXT, original_secondary TEXT,
        blind TEXT NOT NULL,               -- JSON: what a rep sees (thread text, no decision)
        blind_sha256 TEXT NOT NULL,
        UNIQUE (session_id, position),
        UNIQUE (session_id, lead_ref)
    );
    CREATE TABLE calibration_labels (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES calibration_items(id),
        rep TEXT NOT NULL,
        primary_reason TEXT NOT NULL,
        secondary_reason TEXT,
        labelled_at TEXT NOT NULL,
        taxonomy_version TEXT NOT NULL,
        UNIQUE (item_id, rep),
        CHECK (secondary_reason IS NULL OR secondary_reason != primary_reason)
    );
    CREATE INDEX calibration_items_lead ON calibration_items(lead_id);
    """,
    # 4: the experiments log (report helper): one dated change for one audience, and the
    #    reason code it is expected to move. IF NOT EXISTS: safe if migrations are renumbered.
    """
    CREATE TABLE IF NOT EXISTS experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        audience TEXT NOT NULL,            -- JSON {lead field: [accepted values]}
        change TEXT NOT NULL,              -- the one change being tested
        expects TEXT NOT NULL,             -- reason code it should move
        direction TEXT NOT NULL DEFAULT 'down' CHECK (direction IN ('down', 'up')),
        start_on TEXT NOT NULL,            -- first day of the change (inclusive, UTC)
        end_on TEXT NOT NULL,              -- last day (inclusive)
        created_by TEXT, created_at TEXT NOT NULL,
        CHECK (end_on >= start_on)
    );
    """,
    # 5: the queue's first page without ranking every lead (triage.queue.Queue.first_page
    #    reads each tier newest first and stops at a bound): replies waiting for a decision
    #    by class and time (covering: fit and the two ids of the condition; a fresh process
    #    reads no table row for them), outbound time of the leads that can go stale, revisit
    #    dates (1)
    """
    CREATE INDEX IF NOT EXISTS leads_pending_reply ON leads(
        last_reply_class, last_inbound_at, fit, last_inbound_pk, decided_inbound_pk)
        WHERE last_inbound_pk > COALESCE(decided_inbound_pk, 0);
    CREATE INDEX IF NOT EXISTS leads_outbound ON leads(last_outbound_at) WHERE status_final = 0;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION; each migration in its own transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"this database has schema version {current}, newer than this triage "
            f"({SCHEMA_VERSION}): upgrade triage"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-check under the write lock: another process may have migrated meanwhile
            if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would COMMIT on its own)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return [s for s in out if _code(s)]


def _code(statement: str) -> str:
    return "\n".join(ln for ln in statement.splitlines() if not ln.strip().startswith("--")).strip()
