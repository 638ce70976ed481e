"""The classifier's output."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from triage.taxonomy.model import ReplyClassId


class Classification(BaseModel):
    """One message's automatic classification: a starting signal the rep confirms."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    reply_class: ReplyClassId
    confidence: float = Field(ge=0, le=1)
    reason: str | None = None
    secondary_reason: str | None = None
    sub_reason: str | None = None
    revisit_on: date | None = None
    language: Literal["en", "fr"] = "en"
    evidence: list[str] = Field(default_factory=list)

    def as_json_dict(self) -> dict:
        return self.model_dump(mode="json")


def language_of(text: str) -> Literal["en", "fr"]:
    """English or French (kept for callers of the placeholder; see classify/language.py)."""
    from triage.classify.language import detect_language

    return detect_language(text or "")
