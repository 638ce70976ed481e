"""Demo content for the review screens: a calibration session labelled by the three demo
reps (with the kind of disagreements a real team has) and one running experiment.

Deterministic: the same database gives the same session, labels and experiment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from triage.store import Store

#: Codes that reps plausibly confuse: the demo's second and third reps drift this way.
_DRIFT = {
    "timing": "budget",
    "budget": "timing",
    "fit": "not_interested",
    "not_interested": "unknown",
    "competition": "fit",
    "decision_maker": "fit",
    "no_response": "not_interested",
}
DEMO_SEED = 20261120


def add_demo_calibration(store: Store, reps: list[str], now: datetime) -> int | None:
    """A 10-lead session labelled by `reps`; returns its id (None if too few decided leads)."""
    from triage.calibrate.sessions import CalibrationError, add_label, create_session, items

    try:
        session = create_session(
            store, size=10, name="Demo calibration", seed=DEMO_SEED, created_by=reps[0]
        )
    except CalibrationError:
        return None
    for position, item in enumerate(items(store, session.id), start=1):
        truth = store.taxonomy.canonical_reason(item["original_primary"]) or "unknown"
        for n, rep in enumerate(reps):
            # the first rep agrees with the original decision; the others drift on some leads
            drift = n > 0 and (position + n) % 3 == 0
            label = _DRIFT.get(truth, "unknown") if drift else truth
            at = (now - timedelta(hours=2, minutes=10 * position - n)).isoformat()
            add_label(store, session.id, rep, label, position=item["position"], at=at)
    return session.id


def add_demo_experiment(store: Store, now: datetime) -> None:
    """A running experiment the weekly review and `triage experiment report` can show."""
    from triage.experiments import ExperimentError, add_experiment, validate

    start = (now - timedelta(days=14)).date()
    try:
        exp, _warnings = validate(
            store,
            name="Shorter first email",
            audience="channel=cold_email",
            changes=["First email cut to 60 words, one question"],
            start=start,
            end=start + timedelta(days=42),
            expects="not_interested",
        )
        add_experiment(store, exp, created_by="julie")
    except ExperimentError:
        pass  # the demo still opens without its experiment
