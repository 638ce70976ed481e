"""Evaluate the reply classifier on a labeled folder (<id>.eml + labels.csv).

    python bench/eval_classifier.py [FOLDER ...] [--errors] [--repeat N]

Default folders: ../shared/corpus/replies-dev/ and tests/data/holdout/.
Prints, per folder: reply_class accuracy and macro-F1 per language and overall, primary-reason
accuracy on declines (not_interested / wrong_person / unsubscribe items with a labeled
reason), revisit exact-date rate (items with a labeled revisit_on), and throughput on one core
(parse + classify, messages/s) next to a baseline measured in the same run: the stdlib parse
alone (the floor any classifier pays). Targets (issue 4): class accuracy >= 0.90, reason
accuracy >= 0.75, revisit exact >= 0.80, >= 1,000 messages/s.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from triage.classify import CLASSIFIER_VERSION, classify  # noqa: E402
from triage.mail.parse import parse_bytes  # noqa: E402
from triage.taxonomy import load_taxonomy  # noqa: E402

TARGETS = {"class": 0.90, "reason": 0.75, "revisit": 0.80, "throughput": 1000.0}
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "corpus" / "replies-dev", ROOT / "tests" / "data" / "holdout"]


def load_labeled(folder: Path) -> list[tuple[dict, bytes]]:
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(row, (folder / f"{row['id']}.eml").read_bytes()) for row in rows]


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = {g for g, _ in pairs} | {p for _, p in pairs}
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        if tp + fp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def evaluate(folder: Path, taxonomy) -> dict:
    items = load_labeled(folder)
    results = []
    for row, raw in items:
        c = classify(parse_bytes(raw), taxonomy)
        results.append((row, c))
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row, c in results:
        by_lang[row["language"]].append((row["reply_class"], c.reply_class))
        by_lang["all"].append((row["reply_class"], c.reply_class))
    out = {"n": len(results), "class": {}, "errors": []}
    for lang, pairs in sorted(by_lang.items()):
        acc = sum(g == p for g, p in pairs) / len(pairs)
        out["class"][lang] = (len(pairs), acc, macro_f1(pairs))
    declines = [(row, c) for row, c in results if row["primary_reason"]]
    out["reason"] = (len(declines), sum(row["primary_reason"] == c.reason for row, c in declines) / max(1, len(declines)))
    dated = [(row, c) for row, c in results if row["revisit_on"]]
    out["revisit"] = (len(dated), sum(row["revisit_on"] == (c.revisit_on.isoformat() if c.revisit_on else "") for row, c in dated) / max(1, len(dated)))
    undated = [(row, c) for row, c in results if not row["revisit_on"]]
    out["revisit_spurious"] = sum(1 for _, c in undated if c.revisit_on)
    out["lang_acc"] = sum(row["language"] == c.language for row, c in results) / max(1, len(results))
    for row, c in results:
        wrong = []
        if row["reply_class"] != c.reply_class:
            wrong.append(f"class {row['reply_class']} -> {c.reply_class}")
        if row["primary_reason"] and row["primary_reason"] != c.reason:
            wrong.append(f"reason {row['primary_reason']} -> {c.reason}")
        got = c.revisit_on.isoformat() if c.revisit_on else ""
        if row["revisit_on"] != got:
            wrong.append(f"revisit {row['revisit_on'] or '-'} -> {got or '-'}")
        if row["language"] != c.language:
            wrong.append(f"language {row['language']} -> {c.language}")
        if wrong:
            out["errors"].append(f"{row['id']}: " + "; ".join(wrong) + f"   evidence={c.evidence[:4]}")
    return out


def throughput(raws: list[bytes], taxonomy, repeat: int) -> tuple[float, float]:
    """(baseline parse-only msg/s, parse+classify msg/s), best of `repeat` rounds each.

    Rounds alternate (baseline, full, baseline, full...) so that a change of machine load
    during the run affects both figures alike.
    """

    def one_round(fn) -> float:
        t0 = time.perf_counter()
        for raw in raws:
            fn(raw)
        return len(raws) / (time.perf_counter() - t0)

    def full(raw: bytes) -> None:
        classify(parse_bytes(raw), taxonomy)

    full(raws[0])  # warm caches (patterns and model loaded once)
    base = best = 0.0
    for _ in range(repeat):
        base = max(base, one_round(parse_bytes))
        best = max(best, one_round(full))
    return base, best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--errors", action="store_true", help="list every mistake")
    ap.add_argument("--repeat", type=int, default=5, help="timing rounds (best is kept)")
    args = ap.parse_args(argv)
    folders = args.folders or [f for f in DEFAULT_FOLDERS if (f / "labels.csv").exists()]
    if not folders:
        print("no labeled folder found (expected ../shared/corpus/replies-dev/)", file=sys.stderr)
        return 2
    tax = load_taxonomy()
    print(f"classifier {CLASSIFIER_VERSION}")
    ok = True
    all_raws: list[bytes] = []
    for folder in folders:
        res = evaluate(folder, tax)
        all_raws += [raw for _, raw in load_labeled(folder)]
        print(f"\n== {folder} ({res['n']} messages)")
        for lang, (n, acc, f1) in res["class"].items():
            print(f"  reply_class {lang:>3} (n={n:3d}): accuracy {acc:.3f}  macro-F1 {f1:.3f}")
        n, acc = res["reason"]
        print(f"  primary reason on declines (n={n}): accuracy {acc:.3f}")
        n, acc = res["revisit"]
        print(f"  revisit_on exact date (n={n}): {acc:.3f}   (dates given where none labeled: {res['revisit_spurious']})")
        print(f"  language accuracy: {res['lang_acc']:.3f}")
        ok &= res["class"]["all"][1] >= TARGETS["class"] and res["reason"][1] >= TARGETS["reason"]
        ok &= res["revisit"][1] >= TARGETS["revisit"]
        if args.errors and res["errors"]:
            print("  mistakes:")
            for line in res["errors"]:
                print("    " + line)
    base, full = throughput(all_raws, tax, args.repeat)
    print(f"\nthroughput on one core ({len(all_raws)} messages, best of {args.repeat}):")
    print(f"  baseline, stdlib parse only : {base:8.0f} msg/s")
    print(f"  parse + classify            : {full:8.0f} msg/s  (classifier alone ~{1e6 * (1 / full - 1 / base):.0f} µs/msg)")
    ok &= full >= TARGETS["throughput"]
    print(f"\ntargets (class >= {TARGETS['class']}, reason >= {TARGETS['reason']}, revisit >= {TARGETS['revisit']}, "
          f">= {TARGETS['throughput']:.0f} msg/s): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
