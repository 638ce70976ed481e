"""Speed of the queue screen against the Textual framework floor, measured in the same run.

    python bench/bench_tui.py                 # 1k and 100k leads (databases cached in bench/out/)
    python bench/bench_tui.py --sizes 1000 --decisions 40

1. CPU time per decision: the app (headless, 120x36) takes D decisions with real keypresses
   ("n Esc l" = Not interested, no sub-reason, Closed-lost; "Enter" = accept; "t Esc g" = Timing, Nurturing), each committed
   to SQLite before the next lead shows. The floor is a minimal Textual app (a Static and a
   Footer updated on each key) receiving the same keypresses. Target: app <= 2x the floor,
   flat from 1k to 100k leads.
2. Time to first lead: a fresh process opens the database and shows the first lead (settings,
   taxonomy, store, queue, widgets, first paint), against a fresh process showing a minimal
   Textual app's first paint. Median of R runs, after warm-up runs of both (OS file cache,
   byte-code caches written as a second start of an installed app finds them). Target: <= 1.5x.

CPU is `time.process_time()` (all threads of the process, so the side panel's worker counts).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

T0 = time.perf_counter()  # first thing: the child measures from here

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SIZE = (120, 36)
#: one decision = these keys; the mix covers a reason + a status, and Enter (accept)
DECISION_KEYS = (("n", "escape", "l"), ("enter",), ("t", "escape", "g"), ("enter",))


def _keys(decisions: int) -> list[str]:
    keys: list[str] = []
    for i in range(decisions):
        keys.extend(DECISION_KEYS[i % len(DECISION_KEYS)])
    return keys


def ensure_db(n: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"synth-{n}.db"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from synth import build  # bench/synth.py (services helper)

        print(f"building {path.name} ...", flush=True)
        build(path, n)
    from triage.store import Store

    Store.open(path).close()  # a cached database gets the newer migrations once, not per copy
    return path


def fresh_copy(path: Path) -> Path:
    """Each measured run decides on a copy, so every run sees the same queue."""
    import shutil
    import sqlite3

    copy = path.with_suffix(".run.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(path)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.close()
    shutil.copyfile(path, copy)
    return copy


# -- the apps ------------------------------------------------------------------------------------


def make_triage(db: Path):  # noqa: ANN201
    """The app as `triage open` builds it: settings read by `load_settings` (here from
    variables only: no config file), the taxonomy by `load_taxonomy`."""
    from datetime import UTC, datetime

    from triage.settings import load_settings
    from triage.taxonomy import load_taxonomy
    from triage.tui import make_app

    settings = load_settings(environ={"TRIAGE_CONFIG": os.devnull, "TRIAGE_LANGUAGE": "en",
                                      "TRIAGE_REP": "bench"})
    now = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    return make_app(db, settings, load_taxonomy(settings.taxonomy), clock=lambda: now)


def make_minimal(keys: set[str]):  # noqa: ANN201
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Static

    class Minimal(App[None]):
        BINDINGS = [Binding(k, f"key('{k}')", k, show=i < 6) for i, k in enumerate(sorted(keys))]

        def compose(self) -> ComposeResult:
            yield Static("first", id="s")
            yield Footer()

        def on_mount(self) -> None:
            self.n = 0
            self.call_after_refresh(self.first_paint)

        def first_paint(self) -> None:
            self.first_lead_at = time.perf_counter()
            if getattr(self, "on_first_lead", None):
                self.on_first_lead()

        def action_key(self, key: str) -> None:
            self.n += 1
            self.query_one("#s", Static).update(f"{key} pressed, {self.n} keys")

    return Minimal()


async def cpu_run(app, keys: list[str]) -> tuple[float, float]:  # noqa: ANN001
    """(CPU seconds, wall seconds) for pressing `keys` once the app is ready."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        gc.collect()  # garbage of the previous runs in this process is not this run's cost
        c0, w0 = time.process_time(), time.perf_counter()
        for key in keys:
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        return time.process_time() - c0, time.perf_counter() - w0


def per_decision(n: int, decisions: int, repeats: int) -> dict[str, float]:
    db = ensure_db(n)
    keys = _keys(decisions)
    app_cpu, floor_cpu, walls, floor_walls = [], [], [], []
    for _ in range(repeats):
        run_db = fresh_copy(db)
        app = make_triage(run_db)
        before = app.store.scalar("SELECT COUNT(*) FROM decisions WHERE kind = 'decision'")
        cpu, wall = asyncio.run(cpu_run(app, keys))
        saved = app.store.scalar("SELECT COUNT(*) FROM decisions WHERE kind = 'decision'") - before
        app.store.close()
        if saved != decisions:
            raise SystemExit(f"expected {decisions} decisions, {saved} saved")
        app_cpu.append(cpu / decisions)
        walls.append(wall / decisions)
        floor, floor_wall = asyncio.run(cpu_run(make_minimal(set(keys)), keys))
        floor_cpu.append(floor / decisions)
        floor_walls.append(floor_wall / decisions)
    return {
        "app_ms": statistics.median(app_cpu) * 1000,
        "floor_ms": statistics.median(floor_cpu) * 1000,
        "wall_ms": statistics.median(walls) * 1000,
        "floor_wall_ms": statistics.median(floor_walls) * 1000,
    }


# -- time to first lead (fresh processes) ----------------------------------------------------


def child(kind: str, db: str) -> None:
    """Runs in a fresh process: print seconds from process start to the first lead painted,
    and from the start of building the app (imports of the core done) to the same moment."""
    if kind == "app":  # what `triage open` does before it builds the app
        from triage.tui import pause_gc

        pause_gc()  # no cyclic GC until the first frame (the app resumes it)
        import triage.settings  # noqa: F401
        import triage.store  # noqa: F401
        import triage.taxonomy  # noqa: F401
    import textual.app  # noqa: F401

    t1 = time.perf_counter()
    app = make_triage(Path(db)) if kind == "app" else make_minimal({"x"})

    def done() -> None:
        print(f"FIRST {app.first_lead_at - T0:.4f} {app.first_lead_at - t1:.4f}", flush=True)
        app.exit()

    app.on_first_lead = done
    app.run(headless=True, size=SIZE)


def first_lead(n: int, repeats: int) -> dict[str, float]:
    db = fresh_copy(ensure_db(n))

    # a second start of an installed app finds its byte-code cached (pip compiles it at install,
    # Python writes it at the first import): let the warm-up runs write it even where the
    # environment says PYTHONDONTWRITEBYTECODE, or every run compiles ~70 modules again
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once(kind: str) -> tuple[float, float]:
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(db)],
            capture_output=True, text=True, timeout=120, check=True, env=env,
        ).stdout
        line = next(ln for ln in out.splitlines() if ln.startswith("FIRST "))
        total, start = line.split()[1:]
        return float(total), float(start)

    once("app"), once("minimal")  # warm the OS file cache
    app = [once("app") for _ in range(repeats)]
    floor = [once("minimal") for _ in range(repeats)]
    return {
        "app_s": statistics.median(a for a, _ in app),
        "floor_s": statistics.median(a for a, _ in floor),
        "app_start_s": statistics.median(b for _, b in app),
        "floor_start_s": statistics.median(b for _, b in floor),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--decisions", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    rows = []
    for n in args.sizes:
        d = per_decision(n, args.decisions, args.repeats)
        f = first_lead(n, max(args.repeats, 5))
        rows.append((n, d, f))
    print("\nCPU per decision (process time, all threads; keys per decision: "
          f"{len(_keys(args.decisions)) / args.decisions:.1f})")
    print(f"{'leads':>8} {'app ms':>8} {'floor ms':>9} {'ratio':>6} {'app wall ms':>12}"
          f" {'floor wall ms':>14}")
    for n, d, _ in rows:
        print(f"{n:>8} {d['app_ms']:>8.2f} {d['floor_ms']:>9.2f} "
              f"{d['app_ms'] / d['floor_ms']:>6.2f} {d['wall_ms']:>12.1f} {d['floor_wall_ms']:>14.1f}")
    print("(wall = with the test Pilot's pauses between keys; CPU is the comparison)")
    print("\nTime to first lead (fresh process; median)")
    print(f"{'leads':>8} {'app s':>7} {'floor s':>8} {'ratio':>6} │ {'app build→lead':>15}"
          f" {'floor build→paint':>18} {'ratio':>6}")
    for n, _, f in rows:
        print(f"{n:>8} {f['app_s']:>7.3f} {f['floor_s']:>8.3f} {f['app_s'] / f['floor_s']:>6.2f} │ "
              f"{f['app_start_s']:>15.3f} {f['floor_start_s']:>18.3f} "
              f"{f['app_start_s'] / f['floor_start_s']:>6.2f}")
    print("\ntargets: per decision <= 2x floor, flat 1k -> 100k; first lead <= 1.5x floor")
    print("(build→lead: from building the app, after the imports every `triage` command pays)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
