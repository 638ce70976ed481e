"""ISO weeks (Monday to Sunday, UTC): parsing "2026-W40", bounds, the last complete week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

_WEEK_RE = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class WeekError(ValueError):
    """A --week value that is not an ISO week; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Week:
    year: int
    week: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        """Monday 00:00 UTC (inclusive)."""
        return datetime.combine(self.monday, time(0), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 UTC (exclusive)."""
        return self.start + timedelta(days=7)

    def shift(self, weeks: int) -> Week:
        return week_of(self.monday + timedelta(weeks=weeks))

    def previous(self) -> Week:
        return self.shift(-1)

    def next(self) -> Week:
        return self.shift(1)

    def __str__(self) -> str:
        return self.label


def week_of(day: date | datetime) -> Week:
    if isinstance(day, datetime):
        day = (day.astimezone(UTC) if day.tzinfo else day).date()
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def last_complete_week(now: datetime) -> Week:
    """The most recent ISO week that has fully ended at `now` (UTC)."""
    return week_of(now).previous()


def parse_week(text: str) -> Week:
    """ "2026-W40" (also "2026W40", "2026-w40") -> Week; WeekError with a clear message."""
    m = _WEEK_RE.match(text or "")
    if not m:
        raise WeekError(f"{text!r} is not an ISO week: expected YYYY-Www, e.g. 2026-W40")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = date(year, 12, 28).isocalendar().week if 1 <= year <= 9999 else 52
        raise WeekError(
            f"{text!r} is not an ISO week: {year} has weeks 1 to {weeks}"
        ) from None
    return Week(year, week)
