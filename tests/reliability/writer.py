"""A rep's process for the kill and concurrency tests: applies random decisions (and some undos)
through Store.record_decision / Store.undo and prints each id *after* the call returned.

    python -m tests.reliability.writer DB REP SEED [COUNT]

Output lines: ``READY`` (with COUNT, then waits for a line on stdin), then ``D <decision id> <lead id>`` / ``U <undo id> <undone id>``,
then ``DONE <seconds>`` when COUNT decisions were written (COUNT 0 = until killed).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from tests.reliability.util import random_decision
    from triage.store import Store

    db, rep, seed = Path(argv[0]), argv[1], int(argv[2])
    count = int(argv[3]) if len(argv) > 3 else 0
    rng = random.Random(seed)
    store = Store.open(db)
    # checkpoint often, so kills also land in the middle of WAL checkpoints
    store.db.execute("PRAGMA wal_autocheckpoint = 20")
    leads = [r[0] for r in store.db.execute("SELECT id FROM leads").fetchall()]
    mine: list[int] = []
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    if count:  # a measured run: all writers start together on GO
        sys.stdin.readline()
    started = time.perf_counter()
    written = 0
    while count == 0 or written < count:
        if mine and rng.random() < 0.15:
            target = mine.pop(rng.randrange(len(mine)))
            undo_id = store.undo(target, rep=rep)
            out.write(f"U {undo_id} {target}\n")
        else:
            d = random_decision(rng, leads, rep)
            decision_id = store.record_decision(d)
            mine.append(decision_id)
            out.write(f"D {decision_id} {d.lead_id}\n")
        out.flush()
        written += 1
    out.write(f"DONE {time.perf_counter() - started:.6f}\n")
    out.flush()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
