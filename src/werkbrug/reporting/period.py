"""The dashboard's period: bounded, never past today, and the previous period of equal length.

A period starts at most `MAX_YEARS_BACK` years ago and never in the future; an end after today is
cut back to today (figures stop at today: hours worked are never projected into the future).
The previous period is the one of the same number of days that ends the day before `start`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_YEARS_BACK = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(start=end - timedelta(days=self.days - 1), end=end)

    def previous_month(self) -> Period:
        """The calendar month before the one `start` lies in (a month's drill-down compares with it)."""
        return last_full_month(self.start)


def month_end(day: date) -> date:
    """The last day of `day`'s calendar month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def earliest_start(today: date) -> date:
    """The first day a period may start: 1 January, `MAX_YEARS_BACK` years ago."""
    return date(today.year - MAX_YEARS_BACK, 1, 1)


def default_period(today: date) -> Period:
    """The last twelve months: from the first of the month eleven months ago up to today."""
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return Period(start=date(year, month, 1), end=today)


def last_full_month(today: date) -> Period:
    """The calendar month before `today`'s month (the monthly report's period)."""
    end = today.replace(day=1) - timedelta(days=1)
    return Period(start=end.replace(day=1), end=end)


def month_period(year: int, month: int, today: date) -> Period | None:
    """The calendar month `year`-`month` as a period (cut at today), or None when it is no month
    or lies outside the bounds (before `earliest_start`, or after today)."""
    if not (1 <= month <= 12 and earliest_start(today).year <= year <= today.year):
        return None
    first = date(year, month, 1)
    if first > today:
        return None
    return Period(start=first, end=min(month_end(first), today))
