"""Train the naive Bayes second opinion (src/triage/data/reply_model.json) on labeled sets.

    python bench/train_reply_model.py [FOLDER ...]

Default: ../shared/corpus/replies-dev, tests/data/seen-holdout* and bench/data/replies-train.csv
(short replies written for training, text only); never tests/data/holdout,
which stays unseen for measuring. Features are the stemmed words and word pairs of each reply's
new text (quoted history and signature removed), exactly as the classifier sees them.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from triage.classify.bayes import features, train  # noqa: E402
from triage.classify.quotes import split_reply  # noqa: E402
from triage.dates import fold  # noqa: E402
from triage.mail.parse import parse_bytes  # noqa: E402

EXTRA = ROOT / "bench" / "data" / "replies-train.csv"  # short written replies, text only
DEFAULT = [ROOT.parent / "shared" / "corpus" / "replies-dev",
           *sorted((ROOT / "tests" / "data").glob("seen-holdout*"))]
OUT = ROOT / "src" / "triage" / "data" / "reply_model.json"


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [f for f in DEFAULT if (f / "labels.csv").exists()]
    if any(f.resolve() == (ROOT / "tests" / "data" / "holdout").resolve() for f in folders):
        print("refusing to train on tests/data/holdout: it measures unseen replies", file=sys.stderr)
        return 2
    class_docs, reason_docs = [], []
    for folder in folders:
        with (folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                mail = parse_bytes((folder / f"{row['id']}.eml").read_bytes())
                feats = features(fold(split_reply(mail.text)[0]))
                class_docs.append((row["reply_class"], feats))
                if row["reply_class"] == "not_interested" and row["primary_reason"]:
                    reason_docs.append((row["primary_reason"], feats))
    if not argv and EXTRA.exists():
        with EXTRA.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                feats = features(fold(row["text"]))
                class_docs.append((row["reply_class"], feats))
                if row["reply_class"] == "not_interested" and row["primary_reason"]:
                    reason_docs.append((row["primary_reason"], feats))
        folders = [*folders, EXTRA]
    model = {
        "trained_on": [str(f.relative_to(ROOT.parent)) if f.is_relative_to(ROOT.parent) else str(f) for f in folders],
        "models": {"class": train(class_docs), "reason": train(reason_docs)},
    }
    OUT.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(class_docs)} replies, {len(reason_docs)} declines with a reason")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
