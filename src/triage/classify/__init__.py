"""Automatic reply classification (EN/FR): reply class, reason, revisit date, evidence.

Interface shared by the importer, the TUI and `triage classify`:

    classify(mail: ParsedMail, taxonomy: Taxonomy | None = None) -> Classification
    CLASSIFIER_VERSION: str   (stored with each classification)

How it decides: classify/engine.py (headers first, then phrases on the new text only);
the phrases live in src/triage/data/reply_patterns.yaml; quoted history and signatures are
removed by classify/quotes.py; dates come from triage/dates.py.
"""

from __future__ import annotations

from triage.classify.engine import Explanation, classify, classify_explained
from triage.classify.model import Classification

CLASSIFIER_VERSION = "1.0"

__all__ = ["CLASSIFIER_VERSION", "Classification", "Explanation", "classify", "classify_explained"]
