"""The weekly review: plain data (`weekly_report`), renderers (Markdown, JSON, text)."""

from triage.report.render import FORMATS, render
from triage.report.weekly import Thresholds, WeeklyReport, weekly_report
from triage.report.weeks import Week, WeekError, last_complete_week, parse_week, week_of

__all__ = [
    "FORMATS",
    "Thresholds",
    "Week",
    "WeekError",
    "WeeklyReport",
    "last_complete_week",
    "parse_week",
    "render",
    "week_of",
    "weekly_report",
]
