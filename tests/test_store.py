from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from triage.store import DecisionError, DecisionIn, Store
from triage.store.schema import SCHEMA_VERSION


def lead(store: Store, email: str = "ana@acme.io") -> int:
    lead_id, _ = store.upsert_lead({"email": email, "name": "Ana"})
    return lead_id


def test_open_sets_wal_and_schema(store: Store):
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
    assert store.scalar("PRAGMA busy_timeout") == 30000


def test_upsert_lead_is_idempotent_and_fills_gaps(store: Store):
    a, created = store.upsert_lead({"email": "Ana@Acme.io", "name": "Ana"})
    b, created_again = store.upsert_lead({"email": "ana@acme.io", "name": "Other", "company": "Acme"})
    assert (a, created, created_again) == (b, True, False)
    row = store.lead(a)
    assert row["name"] == "Ana" and row["company"] == "Acme"
    with pytest.raises(ValueError):
        store.upsert_lead({"name": "no address"})


def test_decision_updates_lead_state(store: Store):
    lid = lead(store)
    did = store.record_decision(
        DecisionIn(lead_id=lid, rep="julie", status="closed_lost", primary_reason="timing",
                   secondary_reason="budget", sub_reason="contract_locked",
                   note="renewal\n in May", revisit_on=date(2027, 3, 1))
    )
    row = store.lead(lid)
    assert row["status"] == "closed_lost" and row["status_final"] == 1
    assert row["primary_reason"] == "timing" and row["secondary_reason"] == "budget"
    assert row["note"] == "renewal in May" and row["revisit_on"] == "2027-03-01"
    assert row["last_decision_id"] == did
    logged = store.decision(did)
    assert logged["taxonomy_version"] == store.taxonomy.version
    assert logged["decided_at"] == "2026-11-16T09:00:00+00:00"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": "closed_lost"}, "choose a reason"),
        ({"status": "closed_lost", "primary_reason": "fit", "secondary_reason": "fit"}, "same as the primary"),
        ({"status": "interested", "secondary_reason": "fit"}, "needs a primary"),
        ({"status": "closed_lost", "primary_reason": "fit", "sub_reason": "contract_locked"}, "not a sub-reason of 'fit'"),
        ({"status": "closed_lost", "primary_reason": "price"}, "retired; use 'budget'"),
        ({"status": "won"}, "unknown status"),
    ],
)
def test_invalid_decisions_are_refused_and_nothing_is_written(store: Store, fields, message):
    lid = lead(store)
    with pytest.raises(DecisionError, match=message):
        store.record_decision(DecisionIn(lead_id=lid, rep="julie", **fields))
    assert store.scalar("SELECT COUNT(*) FROM decisions") == 0
    assert store.lead(lid)["status"] is None


def test_active_status_needs_no_reason(store: Store):
    lid = lead(store)
    store.record_decision(DecisionIn(lead_id=lid, rep="julie", status="interested"))
    assert store.lead(lid)["status"] == "interested"


def test_undo_is_recorded_and_multi_level(store: Store, clock):
    lid = lead(store)
    first = store.record_decision(DecisionIn(lead_id=lid, rep="j", status="interested"))
    clock.now += timedelta(minutes=1)
    second = store.record_decision(
        DecisionIn(lead_id=lid, rep="j", status="closed_lost", primary_reason="fit")
    )
    store.undo(second, rep="j")
    assert store.lead(lid)["status"] == "interested"
    store.undo(first, rep="j")
    assert store.lead(lid)["status"] is None
    log = store.decisions_for(lid)
    assert [d["kind"] for d in log] == ["decision", "decision", "undo", "undo"]
    assert [d["undoes"] for d in log[2:]] == [second, first]
    assert store.scalar("SELECT COUNT(*) FROM effective_decisions") == 0
    with pytest.raises(DecisionError, match="already undone"):
        store.undo(second, rep="j")


def test_decision_log_is_append_only(store: Store):
    lid = lead(store)
    store.record_decision(DecisionIn(lead_id=lid, rep="j", status="interested"))
    for sql in ("UPDATE decisions SET status = 'x'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(sql)


def test_failed_transaction_writes_nothing(store: Store):
    lid = lead(store)
    with pytest.raises(RuntimeError):
        with store.write():
            store.record_decision(DecisionIn(lead_id=lid, rep="j", status="interested"))
            raise RuntimeError("crash in the middle")
    assert store.scalar("SELECT COUNT(*) FROM decisions") == 0
    assert store.lead(lid)["status"] is None


def test_reopen_keeps_data_and_schema(tmp_path, taxonomy):
    path = tmp_path / "x.db"
    with Store.open(path, taxonomy) as s:
        lid = lead(s)
        s.record_decision(DecisionIn(lead_id=lid, rep="j", status="interested"))
    with Store.open(path, taxonomy) as s:
        assert s.lead(lid)["status"] == "interested"


def test_newer_schema_is_refused(tmp_path, taxonomy):
    from triage.store import SchemaTooNewError

    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="upgrade triage"):
        Store.open(path, taxonomy)


def test_not_a_database(tmp_path, taxonomy):
    from triage.store import StoreError

    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store.open(path, taxonomy)


def test_meta_round_trip(store: Store):
    assert store.meta("demo") is None and store.meta("demo", "no") == "no"
    store.set_meta("demo", "yes")
    store.set_meta("demo", "2")
    assert store.meta("demo") == "2"


def test_lead_caches_the_newest_reply_class(store: Store):
    from triage.mail.parse import parse_bytes

    lid = lead(store)

    def reply(n: int):
        raw = (
            f"From: Ana <ana@acme.io>\r\nTo: me@us.io\r\nMessage-ID: <m{n}@acme.io>\r\n"
            f"Date: Mon, 1{n} Nov 2026 10:00:00 +0000\r\nSubject: re\r\n\r\nbody {n}\r\n"
        ).encode()
        return parse_bytes(raw)

    first, _ = store.add_message(reply(1), lid, "in")
    store.add_classification(first, {"reply_class": "out_of_office", "confidence": 0.9}, "t")
    assert store.lead(lid)["last_reply_class"] == "out_of_office"
    second, _ = store.add_message(reply(2), lid, "in")
    assert store.lead(lid)["last_reply_class"] is None  # newer reply, not yet classified
    store.add_classification(second, {"reply_class": "interested", "confidence": 0.8}, "t")
    # classifying an older message does not overwrite the newest reply's class
    store.add_classification(first, {"reply_class": "bounce", "confidence": 0.9}, "t2")
    assert store.lead(lid)["last_reply_class"] == "interested"
