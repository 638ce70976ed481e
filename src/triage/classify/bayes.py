"""A small naive Bayes model over the words of the new text: the classifier's second opinion.

The phrase lists decide when they match; when they say nothing (or little), wording they do not
know still resembles labeled replies: "the owner makes all purchasing decisions" shares words
with decision-maker declines. The model is trained by `bench/train_reply_model.py` on the
labeled sets (never on tests/data/holdout) and shipped as src/triage/data/reply_model.json:
per label, document counts of stemmed words and word pairs. Prediction is a multinomial naive
Bayes with binary features and add-alpha smoothing; it returns posterior probabilities.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

from triage.classify.patterns import tokens

ALPHA = 0.5
MIN_KNOWN = 2  # fewer known words and pairs than this: no opinion
MIN_KNOWN_SHARE = 0.3  # nor when less than this share of them was seen in training
MAX_FEATURES = 400  # words of a reply considered (a long reply is mostly about one thing)


def features(folded: str) -> set[str]:
    words = [t for t, _, _ in tokens(folded) if t.isalpha() and len(t) > 1]
    feats = set(words[:MAX_FEATURES])
    feats.update(f"{a}_{b}" for a, b in zip(words, words[1:MAX_FEATURES]))
    return feats


class Model:
    """Naive Bayes with the log-probabilities precomputed: scoring is one dict probe a feature."""

    def __init__(self, labels: dict[str, dict], vocab: int) -> None:
        self.labels = list(labels)
        n_docs = sum(v["docs"] for v in labels.values()) or 1
        self._base = []  # per label: log prior, log P(unseen feature)
        index: dict[str, list[tuple[int, float]]] = {}
        for i, (_label, v) in enumerate(labels.items()):
            denom = math.log(v["total"] + ALPHA * max(vocab, 1))
            self._base.append((math.log(v["docs"] / n_docs), math.log(ALPHA) - denom))
            for f, c in v["counts"].items():
                index.setdefault(f, []).append((i, math.log(c + ALPHA) - math.log(ALPHA)))
        self._index = index

    def posteriors(self, feats: set[str]) -> dict[str, float]:
        """Label probabilities; {} when the text is mostly words never seen in training
        (another language, lorem ipsum, a log dump): the model has no opinion on those."""
        if not self.labels or not feats:
            return {}
        index = self._index
        known = [index[f] for f in feats if f in index]
        if len(known) < MIN_KNOWN or len(known) < MIN_KNOWN_SHARE * len(feats):
            return {}
        n = len(feats)
        scores = [prior + n * unseen for prior, unseen in self._base]
        for hits in known:
            for i, delta in hits:
                scores[i] += delta
        top = max(scores)
        exp = [math.exp(x - top) for x in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp)}


def train(docs: list[tuple[str, set[str]]]) -> dict:
    """docs: (label, features) -> the JSON-able model."""
    labels: dict[str, dict] = {}
    vocab: set[str] = set()
    for label, feats in docs:
        entry = labels.setdefault(label, {"docs": 0, "total": 0, "counts": {}})
        entry["docs"] += 1
        for f in feats:
            entry["counts"][f] = entry["counts"].get(f, 0) + 1
            entry["total"] += 1
        vocab.update(feats)
    return {"labels": labels, "vocab": len(vocab)}


_CACHE: dict[str, dict[str, Model]] = {}


def default_model_path() -> Path:
    return Path(str(resources.files("triage") / "data" / "reply_model.json"))


def load_models(path: str | Path | None = None) -> dict[str, Model]:
    """{"class": Model, "reason": Model}; empty models if the file is missing or unreadable."""
    key = str(path or "")
    if key not in _CACHE:
        p = Path(path) if path else default_model_path()
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            _CACHE[key] = {name: Model(m["labels"], m["vocab"]) for name, m in data["models"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            _CACHE[key] = {}
    return _CACHE[key]
