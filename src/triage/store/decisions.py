"""Decisions: validated against the taxonomy, appended to the log, folded into the lead's state.

The decision itself (`DecisionIn`, pydantic) lives in `triage.store.decision_in`, imported on
first use: opening a store and showing the first lead do not load pydantic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from triage.taxonomy import Taxonomy

if TYPE_CHECKING:  # pydantic loads with the first decision, not when a store opens
    from triage.store.decision_in import DecisionIn

Source = Literal["manual", "auto", "bulk", "calibration", "import"]
NOTE_MAX = 280


class DecisionError(ValueError):
    """A decision the method does not allow; the message tells the rep what to do."""


def validate_decision(d: DecisionIn, taxonomy: Taxonomy, historical: bool = False) -> None:
    """Raise DecisionError when `d` breaks a rule of the method or names an unknown code.

    `historical`: a past decision being imported (an export, a CRM history) may name a code
    retired since, as long as the taxonomy maps it; it is kept as recorded and reported under
    the mapping. A decision made now must use an active code.
    """
    lang = "en"
    if not taxonomy.has_status(d.status):
        raise DecisionError(f"unknown status {d.status!r}")
    for field in ("primary_reason", "secondary_reason"):
        code = getattr(d, field)
        if code is not None and not taxonomy.has_reason(code):
            retired = next((r for r in taxonomy.retired if r.id == code), None)
            if retired and historical:
                continue
            if retired:
                raise DecisionError(
                    f"{code!r} is retired; use {retired.merged_into!r} instead"
                )
            raise DecisionError(f"unknown reason {code!r}")
    if d.secondary_reason and not d.primary_reason:
        raise DecisionError("a secondary reason needs a primary reason first")
    if d.secondary_reason and d.secondary_reason == d.primary_reason:
        raise DecisionError("the secondary reason cannot be the same as the primary")
    if d.sub_reason:
        if not d.primary_reason:
            raise DecisionError("a sub-reason needs a primary reason")
        if not taxonomy.has_reason(d.primary_reason):  # a retired code in a past decision
            pass
        elif taxonomy.reason(d.primary_reason).sub_reason(d.sub_reason) is None:
            raise DecisionError(
                f"{d.sub_reason!r} is not a sub-reason of {d.primary_reason!r}"
            )
    status = taxonomy.status(d.status)
    if status.requires_reason and not d.primary_reason:
        raise DecisionError(
            f"{status.label.get(lang)} is a final status: choose a reason first"
        )
