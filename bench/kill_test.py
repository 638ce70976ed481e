"""SIGKILL a process applying decisions at random points, many rounds on one database file;
after each kill: every reported decision is present, PRAGMA integrity_check is ok and the lead
state equals what the decision log implies.

    .venv/bin/python bench/kill_test.py [--rounds 50] [--max-delay 0.5] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.harness import kill_rounds  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--max-delay", type=float, default=0.5, help="seconds, random in [0, max]")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        stats = kill_rounds(Path(tmp) / "kill.db", args.rounds, seed, args.max_delay)
        elapsed = time.perf_counter() - t0
    print(f"seed {seed}: {stats['rounds']} kill rounds in {elapsed:.1f}s, "
          f"{stats['killed_mid_run']} killed while writing, "
          f"{stats['reported']} decisions/undos reported done and all found")
    for f in stats["failures"][:20]:
        print("FAILURE:", f)
    print("ok" if not stats["failures"] else "FAILED")
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
