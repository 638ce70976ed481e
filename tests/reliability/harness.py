"""Kill and concurrency harnesses shared by tests/reliability, tests/stress and bench/."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.util import ROOT, seed_leads
from triage.store import Store
from triage.store.consistency import check


@dataclass
class Reported:
    decisions: dict[int, int] = field(default_factory=dict)  # decision id -> lead id
    undos: dict[int, int] = field(default_factory=dict)  # undo id -> undone decision id
    done_seconds: float | None = None
    stderr: str = ""

    def absorb(self, stdout: str) -> None:
        # a line cut by the kill has no newline: it was not reported
        for line in stdout.splitlines(keepends=True):
            if not line.endswith("\n"):
                break
            kind, *rest = line.split()
            if kind == "D":
                self.decisions[int(rest[0])] = int(rest[1])
            elif kind == "U":
                self.undos[int(rest[0])] = int(rest[1])
            elif kind == "DONE":
                self.done_seconds = float(rest[0])


def prepare(db: Path, leads: int = 50) -> None:
    with Store.open(db) as store:
        if not store.scalar("SELECT COUNT(*) FROM leads"):
            seed_leads(store, leads)


def spawn(db: Path, rep: str, seed: int, count: int = 0) -> subprocess.Popen:
    """A writer process; its stderr goes to a file next to the database (see `finish`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    err_path = db.with_name(f"{db.name}.{rep}.{seed}.stderr")
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", str(db), rep, str(seed), str(count)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
            text=True,
        )
    proc.err_path = err_path  # type: ignore[attr-defined]
    return proc


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    """Read the rest of stdout (the same buffered reader wait_ready used), wait, get stderr."""
    out = proc.stdout.read()
    proc.wait()
    if proc.stdin and not proc.stdin.closed:
        proc.stdin.close()
    proc.stdout.close()
    err_path: Path = proc.err_path  # type: ignore[attr-defined]
    err = err_path.read_text(errors="replace")
    err_path.unlink()
    return out, err


def wait_ready(proc: subprocess.Popen, timeout: float = 60) -> str:
    """Block until the writer printed READY; returns that line."""
    deadline = time.monotonic() + timeout
    line = proc.stdout.readline()
    if line != "READY\n":
        proc.kill()
        raise RuntimeError(f"writer did not start: {line!r} {proc.stderr.read()}")
    if time.monotonic() > deadline:
        raise RuntimeError("writer took too long to start")
    return line


def verify(db: Path, reported: Reported) -> list[str]:
    """Everything the writers reported as done is in the database, and it is consistent."""
    failures: list[str] = []
    with Store.open(db) as store:
        rows = {
            r["id"]: r
            for r in store.all("SELECT id, lead_id, kind, undoes FROM decisions")
        }
        for did, lead in reported.decisions.items():
            row = rows.get(did)
            if row is None or row["kind"] != "decision" or row["lead_id"] != lead:
                failures.append(f"reported decision {did} (lead {lead}) is missing: {row}")
        for uid, target in reported.undos.items():
            row = rows.get(uid)
            if row is None or row["kind"] != "undo" or row["undoes"] != target:
                failures.append(f"reported undo {uid} of {target} is missing: {row}")
        failures += [str(p) for p in check(store)]
    return failures


def kill_rounds(db: Path, rounds: int, seed: int, max_delay: float = 0.4) -> dict:
    """Start a writer, SIGKILL it after a random delay, verify; `rounds` times on one file."""
    rng = random.Random(seed)
    prepare(db)
    total = Reported()
    stats = {"rounds": 0, "reported": 0, "killed_mid_run": 0, "failures": []}
    for i in range(rounds):
        proc = spawn(db, f"rep{i % 3}", rng.randrange(1 << 30))
        wait_ready(proc)
        time.sleep(rng.uniform(0, max_delay))
        if proc.poll() is None:
            stats["killed_mid_run"] += 1
        proc.send_signal(signal.SIGKILL)
        out, err = finish(proc)
        if proc.returncode != -signal.SIGKILL:
            stats["failures"].append(f"round {i}: writer exited {proc.returncode}: {err[-2000:]}")
        round_reported = Reported()
        round_reported.absorb(out)
        total.decisions.update(round_reported.decisions)
        total.undos.update(round_reported.undos)
        stats["reported"] += len(round_reported.decisions) + len(round_reported.undos)
        stats["failures"] += [f"round {i}: {f}" for f in verify(db, total)]
        stats["rounds"] += 1
        if stats["failures"]:
            break
    return stats


def concurrent_writers(db: Path, writers: int, per_writer: int, seed: int = 1) -> dict:
    """`writers` processes each write `per_writer` decisions at once; verify every one."""
    prepare(db)
    procs = [spawn(db, f"rep{i}", seed * 1000 + i, per_writer) for i in range(writers)]
    for p in procs:
        wait_ready(p)
    started = time.perf_counter()
    for p in procs:
        p.stdin.write("GO\n")
        p.stdin.close()
    total = Reported()
    failures = []
    for i, p in enumerate(procs):
        out, err = finish(p)
        r = Reported()
        r.absorb(out)
        total.decisions.update(r.decisions)
        total.undos.update(r.undos)
        if p.returncode != 0 or r.done_seconds is None:
            failures.append(f"writer {i} exited {p.returncode}: {err.strip()[-2000:]}")
        if "locked" in err.lower() or "busy" in err.lower():
            failures.append(f"writer {i} saw a lock error: {err.strip()[-500:]}")
    elapsed = time.perf_counter() - started
    written = len(total.decisions) + len(total.undos)
    failures += verify(db, total)
    expected = writers * per_writer
    if written != expected:
        failures.append(f"{written} writes reported, {expected} expected")
    return {"writes": written, "seconds": elapsed, "failures": failures}
