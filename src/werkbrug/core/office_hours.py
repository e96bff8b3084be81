"""The region's office hours: the one definition of "working day" and "working hour".

Rules (region setting `Region.settings["office_hours"]`, all optional):

- office hours are `opens`–`closes` local time (Europe/Amsterdam) on `weekdays` (default Monday
  to Friday, 08:30–17:00);
- Dutch public holidays (the `holidays` package, "NL") are never working days; Good Friday is one
  unless the region chooses `good_friday_off` (default: off, as most care organisations close);
- working-hour deadlines count only the minutes inside office hours: 24 working hours from
  Friday 12:00 with 08:30–17:00 end on Wednesday 10:30;
- people are reminded inside office hours: a reminder due at 03:00 or on Sunday goes out when
  the office next opens.

Clock changes happen at night on Sundays, outside any office hours, so local wall-clock
arithmetic inside a working day is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GOOD_FRIDAY = "Goede vrijdag"
MAX_DAYS = 3660  # ten years of days: far beyond any deadline


@dataclass(frozen=True)
class OfficeHours:
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    opens: time = time(8, 30)
    closes: time = time(17, 0)
    good_friday_off: bool = True

    @property
    def seconds_per_day(self) -> float:
        return (datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)).total_seconds()


DEFAULT = OfficeHours()


def _time(value: Any, default: time) -> time:
    try:
        return time.fromisoformat(str(value)) if value else default
    except ValueError:
        return default


def office_hours_for(region: Any) -> OfficeHours:
    """The region's office hours (`Region.settings["office_hours"]`), defaults where unset or invalid."""
    raw = ((getattr(region, "settings", None) or {}).get("office_hours")) or {}
    weekdays = raw.get("weekdays")
    days = frozenset(d for d in weekdays if isinstance(d, int) and 0 <= d <= 6) if isinstance(weekdays, list) else None
    opens, closes = _time(raw.get("opens"), DEFAULT.opens), _time(raw.get("closes"), DEFAULT.closes)
    if closes <= opens:
        opens, closes = DEFAULT.opens, DEFAULT.closes
    return OfficeHours(
        weekdays=days or DEFAULT.weekdays, opens=opens, closes=closes,
        good_friday_off=bool(raw.get("good_friday_off", DEFAULT.good_friday_off)),
    )


@lru_cache(maxsize=64)
def _holidays(year: int, good_friday_off: bool) -> frozenset[date]:
    days = holidays.country_holidays("NL", years=year)
    return frozenset(day for day, name in days.items() if good_friday_off or name != GOOD_FRIDAY)


def is_working_day(day: date, office: OfficeHours = DEFAULT) -> bool:
    return day.weekday() in office.weekdays and day not in _holidays(day.year, office.good_friday_off)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("office hours need aware datetimes")
    return moment.astimezone(AMSTERDAM)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, AMSTERDAM)


def add_working_hours(start: datetime, hours: float, office: OfficeHours = DEFAULT) -> datetime:
    """The moment `hours` of office time after `start` (a start outside hours counts from the next opening)."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    local = _local(start)
    day = local.date()
    remaining = hours * 3600
    for _ in range(MAX_DAYS):
        if is_working_day(day, office):
            opens, closes = _at(day, office.opens), _at(day, office.closes)
            begin = max(opens, local) if day == local.date() else opens
            if begin < closes:
                available = (closes - begin).total_seconds()
                if remaining <= available:
                    return begin + timedelta(seconds=remaining)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("deadline too far away")


def working_hours_between(start: datetime, end: datetime, office: OfficeHours = DEFAULT) -> float:
    """Office hours from `start` to `end` (0 when `end` is before `start`)."""
    a, b = _local(start), _local(end)
    if b <= a:
        return 0.0
    total = 0.0
    day = a.date()
    while day <= b.date():
        if is_working_day(day, office):
            lo, hi = max(a, _at(day, office.opens)), min(b, _at(day, office.closes))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total / 3600


def next_office_moment(moment: datetime, office: OfficeHours = DEFAULT) -> datetime:
    """`moment` itself when the office is open then, else the next opening (for sending reminders)."""
    return add_working_hours(moment, 0, office)
