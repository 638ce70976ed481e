"""Start-up cost of the taxonomy with a warm cache (an unchanged taxonomy.yaml), fresh processes.

    .venv/bin/python bench/taxonomy_start.py [-n RUNS] [SRC ...]

Each run is a fresh `python -c` doing `import textual.app; import triage.taxonomy;
triage.taxonomy.load_taxonomy()`; the variants (`textual` alone, the installed triage, and the
triage of every SRC folder given, e.g. another checkout's src/ for a before/after) alternate,
each with its own cache folder, warmed first. Printed: medians of the process's wall time, of
the taxonomy part (import + load, from inside the process), and which of pydantic / yaml the
process imported. Nothing is asserted (speed never gates the tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODE = """
import sys, time
import textual.app
t0 = time.perf_counter()
if {load!r}:
    import triage.taxonomy
    triage.taxonomy.load_taxonomy()
t1 = time.perf_counter()
print(t1 - t0, 'pydantic' in sys.modules, 'yaml' in sys.modules)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("src", nargs="*", type=Path)
    args = parser.parse_args()
    variants: list[tuple[str, str | None, bool]] = [("textual.app only", None, False)]
    variants += [("installed triage", None, True)]
    variants += [(str(src), str(src.resolve()), True) for src in args.src]
    caches = tempfile.mkdtemp(prefix="triage-bench-cache-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once(i: int) -> tuple[float, float, str]:
        name, src, load = variants[i]
        run_env = {**env, "XDG_CACHE_HOME": os.path.join(caches, str(i))}
        if src:
            run_env["PYTHONPATH"] = src
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CODE.format(load=load)],
            capture_output=True, text=True, check=True, env=run_env,
        ).stdout.split()
        wall = time.perf_counter() - start
        imported = " ".join(m for m, flag in zip(("pydantic", "yaml"), out[1:]) if flag == "True")
        return wall, float(out[0]), imported or "-"

    for i in range(len(variants)):  # byte-code and the taxonomy cache written
        once(i), once(i)
    results: list[list[tuple[float, float, str]]] = [[] for _ in variants]
    for _ in range(args.runs):
        for i in range(len(variants)):
            results[i].append(once(i))
    print(f"{'variant':40} {'wall ms':>8} {'taxonomy ms':>12}  imported")
    for (name, _, _), runs in zip(variants, results):
        wall = statistics.median(r[0] for r in runs) * 1000
        part = statistics.median(r[1] for r in runs) * 1000
        print(f"{name[-40:]:40} {wall:8.1f} {part:12.1f}  {runs[-1][2]}")


if __name__ == "__main__":
    main()
