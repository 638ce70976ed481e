"""A synthetic triage database of N leads, built fast for benches (not through the importers).

    python bench/synth.py 100000 /tmp/synth-100k.db

Every lead has one outbound message; ~45% replied (a classified inbound message); half of those
were already decided (status and reason the class suggests, some with a revisit date); some
silent leads were put in nurturing. Rows go in with executemany in one transaction, with the
lead-state cache columns (status, decided_inbound_pk, last_reply_class...) filled consistently,
so the queue sees the same thing the importers + decisions would have produced.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from triage.store import Store
from triage.taxonomy import load_taxonomy
from triage.timeutil import iso

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

FIRST = ["Ann", "Bob", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules",
         "Karim", "Léa", "Marc", "Nina", "Omar", "Paul", "Quentin", "Rose", "Sami", "Théo"]
LAST = ["Archer", "Bernard", "Dubois", "Durand", "Garcia", "Lefèvre", "Martin", "Moreau",
        "Petit", "Roux", "Smith", "Stone", "Thomas", "Weber"]
COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent", "Vandelay", "Stark",
           "Wayne", "Tyrell", "Cyberdyne", "Wonka", "Société Générique", "Dupont & Fils"]
CHANNELS = ["cold_email"] * 6 + ["inbound"] * 3 + ["referral"]
PERSONAS = ["CTO", "CFO", "Head of Sales", "VP Marketing", "Ops Manager"]
INDUSTRIES = ["SaaS", "Retail", "Manufacturing", "Finance", "Healthcare", "Logistics"]
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
CLASSES = [("interested", 15), ("info_request", 15), ("not_interested", 25),
           ("out_of_office", 20), ("unsubscribe", 8), ("bounce", 10), ("wrong_person", 7)]
REPS = ["julie", "marc", "sophie", "tom", "lina"]


def build(path: str | Path, n: int, now: datetime = NOW, seed: int = 0) -> dict[str, int]:
    """Create `path` (replacing it) with `n` leads; returns row counts."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    taxonomy = load_taxonomy()
    rnd = random.Random(seed)
    classes = [c for c, _ in CLASSES]
    class_weights = [w for _, w in CLASSES]
    created = iso(now - timedelta(days=90))

    leads, messages, classifications, decisions = [], [], [], []
    msg_pk = cls_pk = dec_pk = 0
    for i in range(1, n + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        company = f"{rnd.choice(COMPANY)} {i % 997}"
        email = f"{first.lower()}.{last.lower()}.{i}@c{i % 5003}.test"
        fit = None if rnd.random() < 0.1 else round(rnd.random(), 2)
        out_at = now - timedelta(days=rnd.uniform(1, 40))
        msg_pk += 1
        messages.append((msg_pk, f"synth-{i}-out@bench", i, "out", "rep@vendor.test", "Julie",
                         f'["{email}"]', f"Quick question for {company}", iso(out_at),
                         f"Hi {first},\nwould a 15-minute call work next week?\n-- Julie",
                         created))
        lead = dict(id=i, email=email, name=f"{first} {last}", company=company,
                    persona=rnd.choice(PERSONAS), industry=rnd.choice(INDUSTRIES),
                    company_size=rnd.choice(SIZES), channel=rnd.choice(CHANNELS), fit=fit,
                    created_at=created, last_outbound_at=iso(out_at), last_inbound_at=None,
                    last_inbound_pk=None, last_reply_class=None, status=None, status_final=0,
                    primary_reason=None, revisit_on=None, last_decision_id=None,
                    last_decision_at=None, decided_inbound_pk=None)
        if rnd.random() < 0.45:  # replied
            in_at = min(out_at + timedelta(hours=rnd.uniform(1, 24 * 10)), now)
            cls = rnd.choices(classes, class_weights)[0]
            msg_pk += 1
            messages.append((msg_pk, f"synth-{i}-in@bench", i, "in", email, f"{first} {last}",
                             '["rep@vendor.test"]', f"Re: Quick question for {company}",
                             iso(in_at), _body(cls, first), created))
            revisit = None
            if cls == "out_of_office":
                revisit = (in_at + timedelta(days=rnd.randint(2, 30))).date().isoformat()
            cls_pk += 1
            classifications.append((cls_pk, msg_pk, cls, round(rnd.uniform(0.5, 1.0), 2),
                                    revisit, "en", "synth-1", created))
            lead.update(last_inbound_at=iso(in_at), last_inbound_pk=msg_pk, last_reply_class=cls)
            if rnd.random() < 0.5:  # already decided
                suggestion = taxonomy.reply_class(cls)
                status = taxonomy.status(suggestion.status)
                reason = suggestion.reason
                if status.requires_reason and not reason:
                    reason = "unknown"
                at = min(in_at + timedelta(hours=rnd.uniform(0.5, 48)), now)
                dec_pk += 1
                decisions.append((dec_pk, i, rnd.choice(REPS), iso(at), status.id, reason,
                                  revisit, taxonomy.version, "manual", msg_pk))
                lead.update(status=status.id, status_final=int(status.final),
                            primary_reason=reason, revisit_on=revisit, last_decision_id=dec_pk,
                            last_decision_at=iso(at), decided_inbound_pk=msg_pk)
        elif rnd.random() < 0.15:  # silent, put in nurturing after the outbound
            at = min(out_at + timedelta(days=rnd.uniform(0.5, 3)), now)
            dec_pk += 1
            decisions.append((dec_pk, i, rnd.choice(REPS), iso(at), "nurturing", None, None,
                              taxonomy.version, "manual", None))
            lead.update(status="nurturing", last_decision_id=dec_pk, last_decision_at=iso(at))
        leads.append(lead)

    store = Store.open(path, taxonomy)
    db = store.db
    try:
        with store.write():
            cols = list(leads[0])
            db.conn.executemany(
                f"INSERT INTO leads ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [tuple(row[c] for c in cols) for row in leads],
            )
            db.conn.executemany(
                """INSERT INTO messages (id, message_id, lead_id, direction, from_addr, from_name,
                       to_addrs, subject, sent_at, body, imported_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                messages,
            )
            db.conn.executemany(
                """INSERT INTO classifications (id, message_pk, reply_class, confidence,
                       revisit_on, language, classifier_version, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                classifications,
            )
            db.conn.executemany(
                """INSERT INTO decisions (id, lead_id, rep, decided_at, status, primary_reason,
                       revisit_on, taxonomy_version, source, message_pk)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                decisions,
            )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave the file at rest, as after a day
    finally:
        store.close()
    return {"leads": len(leads), "messages": len(messages),
            "classifications": len(classifications), "decisions": len(decisions)}


def _body(cls: str, first: str) -> str:
    return {
        "interested": "Sounds interesting, can we talk Thursday?",
        "info_request": "How does pricing work for a team of 20?",
        "not_interested": "No thanks, not for us.",
        "out_of_office": "I am out of the office until the end of the month.",
        "unsubscribe": "Please remove me from your list.",
        "bounce": "Delivery to the following recipient failed permanently.",
        "wrong_person": "I'm not the right person, try our head of sales.",
    }[cls] + f"\n\nOn Mon, Julie wrote:\n> Hi {first},\n> would a 15-minute call work?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = build(args.path, args.n, seed=args.seed)
    print(f"{args.path}: {counts} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
