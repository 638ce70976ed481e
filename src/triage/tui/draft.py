"""What the rep is about to save for the current lead: the suggestion plus the keys pressed.

Plain Python (no widgets) so the rules are testable without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from triage.taxonomy import Taxonomy
from triage.timeutil import parse_day

if TYPE_CHECKING:
    from triage.store.decision_in import DecisionIn


@dataclass(frozen=True)
class Suggestion:
    """The automatic starting signal for a lead (the rep confirms or overrides it)."""

    reply_class: str | None = None
    confidence: float | None = None
    status: str | None = None
    reason: str | None = None
    secondary: str | None = None
    sub_reason: str | None = None
    revisit_on: date | None = None
    evidence: tuple[str, ...] = ()
    classification_id: int | None = None
    message_pk: int | None = None


def suggest(taxonomy: Taxonomy, lead: dict, classification: dict | None, why: str) -> Suggestion:
    """The suggestion for a queued lead: from its newest reply's class, or from why it is queued."""
    if classification is not None:
        cls = taxonomy.reply_class(classification["reply_class"])
        reason = taxonomy.canonical_reason(classification.get("reason")) or cls.reason
        if reason is not None and not taxonomy.has_reason(reason):
            reason = None
        secondary = taxonomy.canonical_reason(classification.get("secondary_reason"))
        if secondary == reason or (secondary and not taxonomy.has_reason(secondary)):
            secondary = None
        sub = classification.get("sub_reason")
        if sub and (reason is None or taxonomy.reason(reason).sub_reason(sub) is None):
            sub = None
        return Suggestion(
            reply_class=cls.id,
            confidence=float(classification.get("confidence") or 0.0),
            status=cls.status,
            reason=reason,
            secondary=secondary if reason else None,
            sub_reason=sub,
            revisit_on=_day(classification.get("revisit_on")),
            evidence=tuple(classification.get("evidence") or ()),
            classification_id=classification.get("id"),
            message_pk=classification.get("message_pk"),
        )
    if why == "stale" and taxonomy.has_status("no_response"):
        reason = "no_response" if taxonomy.has_reason("no_response") else None
        return Suggestion(status="no_response", reason=reason)
    # due revisit (or a lead without a classified reply): start from its current state
    status = lead.get("status")
    return Suggestion(
        status=status if status and taxonomy.has_status(status) else None,
        reason=taxonomy.canonical_reason(lead.get("primary_reason")),
        secondary=taxonomy.canonical_reason(lead.get("secondary_reason")),
    )


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return parse_day(value) if value else None
    except ValueError:
        return None




@dataclass(frozen=True)
class Draft:
    """The suggestion overridden by what the rep pressed for this lead."""

    lead_id: int
    suggestion: Suggestion = field(default_factory=Suggestion)
    status: str | None = None
    primary: str | None = None  # set by the rep (None: use the suggestion)
    secondary: str | None = None
    sub_reason: str | None = None
    note: str | None = None
    revisit_on: date | None = None
    touched_reason: bool = False

    # -- what would be saved -------------------------------------------------------------
    @property
    def eff_status(self) -> str | None:
        return self.status or self.suggestion.status

    @property
    def eff_primary(self) -> str | None:
        return self.primary if self.touched_reason else self.suggestion.reason

    @property
    def eff_secondary(self) -> str | None:
        if self.touched_reason or self.secondary:
            value = self.secondary
        else:
            value = self.suggestion.secondary
        return value if value != self.eff_primary else None

    @property
    def eff_sub_reason(self) -> str | None:
        return self.sub_reason if self.touched_reason else self.suggestion.sub_reason

    @property
    def eff_revisit(self) -> date | None:
        return self.revisit_on or self.suggestion.revisit_on

    # -- edits (each returns a new draft) --------------------------------------------------
    def with_primary(self, reason_id: str) -> Draft:
        secondary = self.secondary if self.secondary != reason_id else None
        if not self.touched_reason and secondary is None and self.suggestion.secondary != reason_id:
            secondary = self.suggestion.secondary
        return replace(
            self, primary=reason_id, secondary=secondary, sub_reason=None, touched_reason=True
        )

    def with_secondary(self, reason_id: str) -> Draft:
        """Raise ValueError('same') or ValueError('no_primary') when not allowed."""
        if self.eff_primary is None:
            raise ValueError("no_primary")
        if reason_id == self.eff_primary:
            raise ValueError("same")
        return replace(self, secondary=reason_id)

    def with_sub_reason(self, sub_id: str | None) -> Draft:
        if not self.touched_reason:
            return replace(
                self, primary=self.suggestion.reason, touched_reason=True, sub_reason=sub_id
            )
        return replace(self, sub_reason=sub_id)

    def decision(self, rep: str, status: str | None = None) -> DecisionIn:
        """The decision to record (validated by the store)."""
        from triage.store.decision_in import DecisionIn

        return DecisionIn(
            lead_id=self.lead_id,
            rep=rep,
            status=status or self.eff_status or "",
            primary_reason=self.eff_primary,
            secondary_reason=self.eff_secondary,
            sub_reason=self.eff_sub_reason,
            note=self.note,
            revisit_on=self.eff_revisit,
            source="manual",
            message_pk=self.suggestion.message_pk,
            classification_id=self.suggestion.classification_id,
        )
