"""Import speed: `triage import` machinery vs a bare stdlib parse + raw sqlite3 insert baseline.

    .venv/bin/python bench/import_speed.py [N]      (default N = 2000 messages)

Both sides read the same synthetic mbox (N/2 outbound + N/2 replies, FR/EN, some windows-1252
and quoted-printable, a few HTML-only and DSN bounces). The baseline parses each message with
the stdlib (email.message_from_bytes, get_payload(decode=True)) and inserts one row per message
in a single transaction: it does no lead linking, no classification, no per-item transaction.
Figures are printed; nothing is asserted (speed never gates the tests).
"""

from __future__ import annotations

import email
import mailbox
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from triage.ingest import Identity, batches, import_paths
from triage.store import Store


def synth_mbox(path: Path, n: int) -> None:
    box = mailbox.mbox(path)
    leads = max(1, n // 2)
    for i in range(leads):
        fr = i % 2 == 0
        lead = f"lead{i}@client{i % 97}.{'fr' if fr else 'com'}"
        out_id = f"out{i}@acme-sales.io"
        box.add(
            f"From: Julie Martin <julie@acme-sales.io>\nTo: <{lead}>\n"
            f"Subject: Relay for client {i}\nDate: Mon, 02 Nov 2026 09:{i % 60:02d}:00 +0000\n"
            f"Message-ID: <{out_id}>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\nHello, 15 minutes next week?\n".encode()
        )
        if 2 * i + 1 >= n:
            break
        body = ("Bonjour, pas le bon moment, recontactez-moi en janvier. Merci"
                if fr else "Sounds good, can we talk Tuesday?")
        if i % 10 == 3:  # HTML-only
            ctype, payload = "text/html; charset=utf-8", f"<html><body><p>{body}</p></body></html>"
            raw_body = payload.encode()
        elif fr and i % 4 == 0:  # windows-1252 8-bit
            ctype, raw_body = "text/plain; charset=windows-1252", body.encode("cp1252")
        else:
            ctype, raw_body = "text/plain; charset=utf-8", body.encode()
        head = (
            f"From: Client {i} <{lead}>\nTo: Julie Martin <julie@acme-sales.io>\n"
            f"Subject: Re: Relay for client {i}\nDate: Tue, 03 Nov 2026 10:{i % 60:02d}:00 +0000\n"
            f"Message-ID: <re{i}@client.example>\nIn-Reply-To: <{out_id}>\n"
            f"References: <{out_id}>\nMIME-Version: 1.0\nContent-Type: {ctype}\n"
            "Content-Transfer-Encoding: 8bit\n\n"
        )
        box.add(head.encode() + raw_body + b"\n")
    box.flush()
    box.close()


def baseline(mbox_path: Path, db_path: Path) -> int:
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE m (message_id TEXT UNIQUE, sender TEXT, subject TEXT, body TEXT)")
    n = 0
    with con:
        for _key, raw in _raw_items(mbox_path):
            msg = email.message_from_bytes(raw)
            part = next((p for p in msg.walk() if not p.is_multipart()), msg)
            data = part.get_payload(decode=True) or b""
            body = data.decode(part.get_content_charset() or "utf-8", "replace")
            con.execute("INSERT OR IGNORE INTO m VALUES (?, ?, ?, ?)",
                        (msg["message-id"], msg["from"], msg["subject"], body))
            n += 1
    con.close()
    return n


def _raw_items(mbox_path: Path):
    box = mailbox.mbox(mbox_path, create=False)
    for key in box.iterkeys():
        yield key, box.get_bytes(key)
    box.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mbox_path = tmp / "synth.mbox"
        synth_mbox(mbox_path, n)
        t0 = time.perf_counter()
        count = baseline(mbox_path, tmp / "baseline.db")
        base_s = time.perf_counter() - t0

        store = Store.open(tmp / "triage.db")
        t0 = time.perf_counter()
        report = import_paths(store, [mbox_path], Identity(domains={"acme-sales.io"}))
        triage_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = import_paths(store, [mbox_path], Identity(domains={"acme-sales.io"}))
        reimport_s = time.perf_counter() - t0
        store.close()

        # the same import committing every message on its own (BATCH_ITEMS = 1)
        batches.BATCH_ITEMS = 1
        store = Store.open(tmp / "strict.db")
        t0 = time.perf_counter()
        strict = import_paths(store, [mbox_path], Identity(domains={"acme-sales.io"}))
        strict_s = time.perf_counter() - t0
        store.close()

    assert report.errors == [] and again.imported == 0
    print(f"messages: {count}")
    print(f"baseline (stdlib parse + raw sqlite3, one transaction): {count / base_s:8.0f} msg/s"
          f"  ({base_s:.2f} s)")
    print(f"triage import (parse, link, classify; a savepoint per item, batched commits): "
          f"{report.messages / triage_s:8.0f} msg/s  ({triage_s:.2f} s)  "
          f"= {triage_s / base_s:.1f}x the baseline time")
    print(f"same, one commit (fsync) per message:   {strict.messages / strict_s:8.0f} msg/s"
          f"  ({strict_s:.2f} s)")
    print(f"re-import (all skipped):                {count / reimport_s:8.0f} msg/s"
          f"  ({reimport_s:.2f} s)")


if __name__ == "__main__":
    main()
