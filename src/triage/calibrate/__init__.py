"""Calibration: reps label the same past leads blind, then compare (brief rule 9)."""

from triage.calibrate.results import CalibrationResults, session_results
from triage.calibrate.sessions import (
    CalibrationError,
    Session,
    add_label,
    create_session,
    get_session,
    items,
    labels,
    list_sessions,
    rep_labels,
    resolve_session,
)

__all__ = [
    "CalibrationError",
    "CalibrationResults",
    "Session",
    "add_label",
    "create_session",
    "get_session",
    "items",
    "labels",
    "list_sessions",
    "rep_labels",
    "resolve_session",
    "session_results",
]
