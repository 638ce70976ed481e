"""What a rep (or the system) decided about one lead: the input of `Store.record_decision`.

Its own module so that pydantic loads with the first decision (or a worker warming it up after
the first frame, see the queue screen), not when a store opens: `triage.store` exports
`DecisionIn` lazily.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from triage.store.decisions import NOTE_MAX, Source


class DecisionIn(BaseModel):
    """What a rep (or the system) decided about one lead."""

    model_config = ConfigDict(frozen=True)

    lead_id: int
    rep: str = Field(min_length=1)
    status: str
    primary_reason: str | None = None
    secondary_reason: str | None = None
    sub_reason: str | None = None
    note: str | None = None
    revisit_on: date | None = None
    source: Source = "manual"
    message_pk: int | None = None  # the newest reply the rep saw; default: the lead's newest
    classification_id: int | None = None

    @field_validator("note")
    @classmethod
    def _one_line(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = " ".join(v.split())
        if len(v) > NOTE_MAX:
            raise ValueError(f"a note is one line of at most {NOTE_MAX} characters")
        return v or None
