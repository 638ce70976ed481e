"""The targets of issue 4 on the labeled sets: dev corpus (../shared) and the local held-out set."""

import csv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from triage.classify import classify
from triage.mail.parse import parse_bytes

DEV = SHARED / "corpus" / "replies-dev"
HOLDOUT = ROOT / "tests" / "data" / "holdout"
SEEN = sorted((ROOT / "tests" / "data").glob("seen-holdout*"))


def _score(folder: Path):
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ok_class = ok_reason = n_reason = ok_date = n_date = 0
    for row in rows:
        c = classify(parse_bytes((folder / f"{row['id']}.eml").read_bytes()))
        ok_class += c.reply_class == row["reply_class"]
        if row["primary_reason"]:
            n_reason += 1
            ok_reason += c.reason == row["primary_reason"]
        if row["revisit_on"]:
            n_date += 1
            ok_date += (c.revisit_on.isoformat() if c.revisit_on else "") == row["revisit_on"]
    return ok_class / len(rows), ok_reason / max(1, n_reason), ok_date / max(1, n_date), len(rows)


def _assert_targets(folder: Path) -> None:
    cls, reason, revisit, n = _score(folder)
    assert n >= 30
    assert cls >= 0.90, f"reply_class accuracy {cls:.3f}"
    assert reason >= 0.75, f"reason accuracy {reason:.3f}"
    assert revisit >= 0.80, f"revisit exact {revisit:.3f}"


def test_dev_corpus_targets():
    if not (DEV / "labels.csv").exists():
        pytest.skip("../shared/corpus/replies-dev is not there")
    _assert_targets(DEV)


@pytest.mark.parametrize("folder", SEEN, ids=lambda p: p.name)
def test_seen_labeled_sets(folder):
    """Held-out sets already used to fix gaps: the targets must keep holding there."""
    _assert_targets(folder)


def test_holdout_targets():
    """tests/data/holdout is never used to train the model (bench/train_reply_model.py refuses)
    and was written after the last change to phrases, model and training data.

    First (and current) run: class 0.967, reason 0.769, revisit 1.000 (n=30).
    """
    _assert_targets(HOLDOUT)


def test_real_mta_bounces_and_auto_replies():
    """Real bounces from many mail servers (sisimai, flufl.bounce test data) are bounces."""
    index = SHARED / "corpus" / "real" / "index.csv"
    if not index.exists():
        pytest.skip("../shared/corpus/real is not there")
    from triage.mail.parse import MailParseError

    with index.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["category"] in ("bounce", "auto_reply")]
    got = {"bounce": [0, 0], "auto_reply": [0, 0]}
    for row in rows:
        try:
            mail = parse_bytes((index.parent / row["path"]).read_bytes())
        except MailParseError:
            continue
        c = classify(mail)  # must never raise
        expected = "bounce" if row["category"] == "bounce" else "out_of_office"
        got[row["category"]][0] += c.reply_class == expected
        got[row["category"]][1] += 1
    assert got["bounce"][0] / got["bounce"][1] >= 0.95
    assert got["auto_reply"][0] == got["auto_reply"][1]
