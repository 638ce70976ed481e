"""The bundled demo: raw mail and CSV files imported by the real importers into a fresh DB.

    stats = build_demo(db_path, now)

All dates (Date headers, date phrases in bodies, decision and revisit dates) are moved by the
same amount so that the newest activity in the data set is `now`.
"""

from __future__ import annotations

import csv
import io
import json
import mailbox
import re
import tempfile
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from pathlib import Path

from triage.demo.dates import PhraseShifter


def demo_data_dir() -> Path:
    return Path(str(resources.files("triage") / "data" / "demo"))


def manifest() -> dict:
    return json.loads((demo_data_dir() / "manifest.json").read_text(encoding="utf-8"))


_DATE_HEADER = re.compile(rb"^Date:[ \t]*(.*?)\r?$", re.MULTILINE | re.IGNORECASE)


def shift_message(raw: bytes, delta: timedelta, phrases: PhraseShifter) -> bytes:
    """Move a message's top-level Date header by `delta` and its recorded date phrases."""
    split = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[: split.start()], raw[split.start():]) if split else (raw, b"")

    def new_date(m: re.Match) -> bytes:
        try:
            at = parsedate_to_datetime(m.group(1).decode("ascii", "replace"))
        except (TypeError, ValueError):
            return m.group(0)
        end = b"\r" if m.group(0).endswith(b"\r") else b""
        return b"Date: " + format_datetime(at + delta).encode("ascii") + end

    head = _DATE_HEADER.sub(new_date, head, count=1)
    return head + phrases(body)


def _shift_iso(text: str, delta: timedelta) -> str:
    if not text:
        return text
    return (datetime.fromisoformat(text) + delta).isoformat(timespec="seconds")


def _shift_day(text: str, delta: timedelta) -> str:
    if not text:
        return text
    return (datetime.fromisoformat(text) + delta).date().isoformat()


def prepare_files(dest: Path, now: datetime) -> list[Path]:
    """Copy the bundled data into `dest`, moved in time; returns the paths to import."""
    src = demo_data_dir()
    info = manifest()
    delta = now - datetime.fromisoformat(info["base"])
    phrases = PhraseShifter(info["phrases"], delta)
    paths: list[Path] = []
    for name in ("crm-leads-en.csv", "export-crm-fr.csv"):
        (dest / name).write_bytes((src / name).read_bytes())
        paths.append(dest / name)
    for name in ("outbound.mbox", "replies.mbox"):
        out = mailbox.mbox(dest / name)
        box = mailbox.mbox(src / name, create=False)
        for key in box.iterkeys():
            out.add(shift_message(box.get_bytes(key), delta, phrases))
        out.flush()
        out.close()
        box.close()
        paths.append(dest / name)
    (dest / "bounces").mkdir()
    for eml in sorted((src / "bounces").glob("*.eml")):
        (dest / "bounces" / eml.name).write_bytes(
            shift_message(eml.read_bytes(), delta, phrases)
        )
    paths.append(dest / "bounces")
    text = (src / "decisions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        row["decided at"] = _shift_iso(row["decided at"], delta)
        row["undone at"] = _shift_iso(row["undone at"], delta)
        row["revisit on"] = _shift_day(row["revisit on"], delta)
        writer.writerow(row)
    (dest / "decisions.csv").write_text(buf.getvalue(), encoding="utf-8")
    paths.append(dest / "decisions.csv")
    return paths


def build_demo(db_path: str | Path, now: datetime, taxonomy=None, classify=None) -> dict:
    """A fresh demo database at `db_path` (replaced if it exists); returns its counts."""
    from triage.ingest import Identity, import_paths
    from triage.store import Store

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    info = manifest()
    store = Store.open(db_path, taxonomy, clock=lambda: now)
    try:
        with tempfile.TemporaryDirectory(prefix="triage-demo-") as tmp:
            paths = prepare_files(Path(tmp), now)
            identity = Identity(domains=set(info["our_domains"]))
            report = import_paths(
                store, paths, identity=identity, classify=classify, source_root=Path(tmp)
            )
        from triage.demo.review import add_demo_calibration, add_demo_experiment

        add_demo_calibration(store, list(info["reps"]), now)
        add_demo_experiment(store, now)
        store.set_meta("demo", "1")
        store.set_meta("demo_built_at", now.isoformat())
        stats = demo_stats(store, now)
        stats["in_queue"] = _queue_count(store, now)
        stats["import_errors"] = len(report.errors)
        stats["import_error_items"] = [f"{e.source}: {e.reason}" for e in report.errors]
        return stats
    finally:
        store.close()


def _queue_count(store, now: datetime) -> int | None:
    """Leads in the default queue at `now` (None when the queue module is not there)."""
    try:
        from triage.queue import Queue
    except ImportError:
        return None
    try:
        return Queue(store, now=now).count()
    except Exception:  # the queue is another area's code: the demo still builds without it
        return None


def demo_stats(store, now: datetime) -> dict:
    from triage.timeutil import iso

    stale_before = iso(now - timedelta(days=7))
    return {
        "leads": store.scalar("SELECT count(*) FROM leads"),
        "messages": store.scalar("SELECT count(*) FROM messages"),
        "inbound": store.scalar("SELECT count(*) FROM messages WHERE direction = 'in'"),
        "outbound": store.scalar("SELECT count(*) FROM messages WHERE direction = 'out'"),
        "classifications": store.scalar("SELECT count(*) FROM classifications"),
        "decisions": store.scalar("SELECT count(*) FROM decisions WHERE kind = 'decision'"),
        "undos": store.scalar("SELECT count(*) FROM decisions WHERE kind = 'undo'"),
        "effective_decisions": store.scalar("SELECT count(*) FROM effective_decisions"),
        "awaiting_decision": store.scalar(
            """SELECT count(*) FROM leads WHERE last_inbound_pk IS NOT NULL
               AND status_final = 0
               AND (decided_inbound_pk IS NULL OR decided_inbound_pk < last_inbound_pk)"""
        ),
        "stale": store.scalar(
            """SELECT count(*) FROM leads WHERE last_inbound_at IS NULL AND status IS NULL
               AND last_outbound_at < ?""",
            (stale_before,),
        ),
        "languages": dict(
            store.db.execute(
                "SELECT language, count(*) FROM leads GROUP BY language ORDER BY language"
            ).fetchall()
        ),
    }


__all__ = ["build_demo", "demo_data_dir", "manifest", "prepare_files"]
