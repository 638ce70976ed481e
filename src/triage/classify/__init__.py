"""Automatic reply classification (EN/FR): reply class, reason, revisit date, evidence.

Interface shared by the importer, the TUI and `triage classify`:

    classify(mail: ParsedMail, taxonomy: Taxonomy | None = None) -> Classification
    CLASSIFIER_VERSION: str   (stored with each classification)

PLACEHOLDER until the classifier lands: returns a low-confidence guess.
"""

from __future__ import annotations

from triage.classify.model import Classification

CLASSIFIER_VERSION = "0-placeholder"


def classify(mail, taxonomy=None) -> Classification:  # noqa: ANN001
    from triage.classify.model import language_of

    return Classification(
        message_id=mail.message_id,
        reply_class="info_request",
        confidence=0.0,
        language=language_of(mail.text),
        evidence=[],
    )


__all__ = ["CLASSIFIER_VERSION", "Classification", "classify"]
