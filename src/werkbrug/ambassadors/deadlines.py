"""Answer deadlines for ambassador questions: pure, typed calendar arithmetic.

The rules (region setting `ambassadors.deadline_hours`, default 48, and `deadline_mode`):

- **calendar** mode counts elapsed hours: 48 hours after Friday 12:00 is Sunday 12:00. Arithmetic
  is done in UTC, so a daylight-saving change in between is honoured (24 hours after Saturday
  12:00 on the last weekend of March is Sunday 13:00 local time: 24 real hours later).
- **working** mode counts only the hours of working days in Dutch local time (Europe/Amsterdam):
  Saturdays, Sundays and Dutch public holidays (the `holidays` package, "NL") do not count. A
  question asked on a weekend or holiday starts counting at 00:00 of the next working day. The
  hours of a working day are counted on the local wall clock (00:00–24:00); Dutch clocks change
  on Sundays, which never count, so a working day always has 24 hours.
- The reminder to the ambassador falls at 75 % of the allowed time, measured the same way.
- A question is **on time** when it was (or still can be) answered by the deadline, **late** when
  answered after it, and **very late** when the answer took more than three times the allowed
  time (for an open question, measured until now).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
DEFAULT_HOURS = 48
REMINDER_FRACTION = 0.75
VERY_LATE_FACTOR = 3


class Mode(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    VERY_LATE = "very_late"


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("deadlines need aware datetimes")
    return moment.astimezone(AMSTERDAM)


def _wall_to_aware(day: date, seconds: float) -> datetime:
    """A local wall-clock moment `seconds` after midnight of `day` (0 ≤ seconds ≤ 86 400)."""
    if seconds >= 86_400:
        return datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM)
    naive = datetime.combine(day, time(0)) + timedelta(seconds=seconds)
    return naive.replace(tzinfo=AMSTERDAM)


def add_hours(start: datetime, hours: float, mode: Mode | str) -> datetime:
    """The moment `hours` (counted in `mode`) after `start`."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    if Mode(mode) == Mode.CALENDAR:
        return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(AMSTERDAM)
    local = _local(start)
    day = local.date()
    offset = (local.replace(tzinfo=None) - datetime.combine(day, time(0))).total_seconds()
    remaining = hours * 3600
    for _ in range(3660):  # ten years of days: far beyond any deadline
        if is_working_day(day):
            available = 86_400 - offset
            if remaining <= available:
                return _wall_to_aware(day, offset + remaining)
            remaining -= available
        day += timedelta(days=1)
        offset = 0
    raise ValueError("deadline too far away")


def hours_between(start: datetime, end: datetime, mode: Mode | str) -> float:
    """Hours from `start` to `end` counted in `mode` (0 when `end` is before `start`)."""
    if end <= start:
        return 0.0
    if Mode(mode) == Mode.CALENDAR:
        # In UTC: two moments in the same zone object would otherwise subtract as wall times.
        return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600
    a, b = _local(start), _local(end)
    total = 0.0
    day = a.date()
    while day <= b.date():
        if is_working_day(day):
            day_start = datetime.combine(day, time(0))
            lo = max(a.replace(tzinfo=None), day_start)
            hi = min(b.replace(tzinfo=None), day_start + timedelta(days=1))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total / 3600


def deadline(start: datetime, hours: float, mode: Mode | str) -> datetime:
    return add_hours(start, hours, mode)


def reminder_at(start: datetime, hours: float, mode: Mode | str) -> datetime:
    return add_hours(start, hours * REMINDER_FRACTION, mode)


def very_late_at(start: datetime, hours: float, mode: Mode | str) -> datetime:
    return add_hours(start, hours * VERY_LATE_FACTOR, mode)


def timeliness(*, start: datetime, hours: float, mode: Mode | str, answered_at: datetime | None,
               now: datetime) -> Timeliness:
    """On time, late or very late: by the first answer, or by `now` while unanswered."""
    end = (answered_at or now).astimezone(UTC)
    if end <= deadline(start, hours, mode).astimezone(UTC):
        return Timeliness.ON_TIME
    if end <= very_late_at(start, hours, mode).astimezone(UTC):
        return Timeliness.LATE
    return Timeliness.VERY_LATE
