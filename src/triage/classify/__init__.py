"""Automatic reply classification (EN/FR): reply class, reason, revisit date, evidence.

Interface shared by the importer, the TUI and `triage classify`:

    classify(mail: ParsedMail, taxonomy: Taxonomy | None = None) -> Classification
    CLASSIFIER_VERSION: str   (stored with each classification)

How it decides: classify/engine.py (headers first, then phrases on the new text only);
the phrases live in src/triage/data/reply_patterns.yaml; quoted history and signatures are
removed by classify/quotes.py; dates come from triage/dates.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triage.classify.engine import Explanation, classify, classify_explained
    from triage.classify.model import Classification

CLASSIFIER_VERSION = "1.0"


def __getattr__(name: str):
    # the engine (patterns, naive Bayes tables) and the pydantic model load on first use, not
    # on import: the thread view imports quotes.split_reply on the path to the first lead
    if name in ("classify", "classify_explained", "Explanation"):
        from triage.classify import engine

        return getattr(engine, name)
    if name == "Classification":
        from triage.classify.model import Classification

        return Classification
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["CLASSIFIER_VERSION", "Classification", "Explanation", "classify", "classify_explained"]
