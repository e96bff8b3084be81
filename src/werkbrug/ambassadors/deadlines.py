"""Answer deadlines for ambassador questions: pure, typed calendar arithmetic.

The rules (region setting `ambassadors.deadline_hours`, default 48, and `deadline_mode`):

- **calendar** mode counts elapsed hours: 48 hours after Friday 12:00 is Sunday 12:00. Arithmetic
  is done in UTC, so a daylight-saving change in between is honoured (24 hours after Saturday
  12:00 on the last weekend of March is Sunday 13:00 local time: 24 real hours later).
- **working** mode counts only the region's office hours (`core.office_hours`: Monday–Friday
  08:30–17:00 in Europe/Amsterdam unless the region chooses otherwise; Dutch public holidays
  never count): 24 working hours from Friday 12:00 end on Wednesday 10:30. A question asked
  outside office hours starts counting at the next opening, so reminders and deadlines never fall
  at night.
- The reminder to the ambassador falls at 75 % of the allowed time, measured the same way.
- A question is **on time** when it was (or still can be) answered by the deadline, **late** when
  answered after it, and **very late** when the answer took more than three times the allowed
  time (for an open question, measured until now).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from werkbrug.core import office_hours
from werkbrug.core.office_hours import DEFAULT as DEFAULT_OFFICE
from werkbrug.core.office_hours import OfficeHours

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


def add_hours(start: datetime, hours: float, mode: Mode | str, office: OfficeHours = DEFAULT_OFFICE) -> datetime:
    """The moment `hours` (counted in `mode`) after `start`."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    if start.tzinfo is None:
        raise ValueError("deadlines need aware datetimes")
    if Mode(mode) == Mode.CALENDAR:
        return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(AMSTERDAM)
    return office_hours.add_working_hours(start, hours, office)


def hours_between(start: datetime, end: datetime, mode: Mode | str, office: OfficeHours = DEFAULT_OFFICE) -> float:
    """Hours from `start` to `end` counted in `mode` (0 when `end` is before `start`)."""
    if end <= start:
        return 0.0
    if Mode(mode) == Mode.CALENDAR:
        # In UTC: two moments in the same zone object would otherwise subtract as wall times.
        return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600
    return office_hours.working_hours_between(start, end, office)


def deadline(start: datetime, hours: float, mode: Mode | str, office: OfficeHours = DEFAULT_OFFICE) -> datetime:
    return add_hours(start, hours, mode, office)


def reminder_at(start: datetime, hours: float, mode: Mode | str, office: OfficeHours = DEFAULT_OFFICE) -> datetime:
    """When the ambassador is reminded: at 75 % of the time, moved to the next opening of the
    office when that falls outside office hours and still before the deadline."""
    moment = add_hours(start, hours * REMINDER_FRACTION, mode, office)
    opened = office_hours.next_office_moment(moment, office)
    return opened if opened < deadline(start, hours, mode, office) else moment


def very_late_at(start: datetime, hours: float, mode: Mode | str, office: OfficeHours = DEFAULT_OFFICE) -> datetime:
    return add_hours(start, hours * VERY_LATE_FACTOR, mode, office)


def timeliness(*, start: datetime, hours: float, mode: Mode | str, answered_at: datetime | None,
               now: datetime, office: OfficeHours = DEFAULT_OFFICE) -> Timeliness:
    """On time, late or very late: by the first answer, or by `now` while unanswered."""
    end = (answered_at or now).astimezone(UTC)
    if end <= deadline(start, hours, mode, office).astimezone(UTC):
        return Timeliness.ON_TIME
    if end <= very_late_at(start, hours, mode, office).astimezone(UTC):
        return Timeliness.LATE
    return Timeliness.VERY_LATE
