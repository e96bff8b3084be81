"""Deadline arithmetic, one table: both modes, weekends, Dutch public holidays, DST changes."""

from datetime import datetime

import pytest

from werkbrug.ambassadors.deadlines import (
    AMSTERDAM,
    Timeliness,
    add_hours,
    hours_between,
    reminder_at,
    timeliness,
)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


CASES = [
    # (start, hours, mode, expected deadline)
    (local(2026, 3, 4, 10, 0), 48, "calendar", local(2026, 3, 6, 10, 0)),  # Wednesday 10:00 → Friday 10:00
    (local(2026, 3, 6, 12, 0), 48, "calendar", local(2026, 3, 8, 12, 0)),  # Friday 12:00 → Sunday 12:00: weekends count
    (local(2026, 3, 28, 12, 0), 24, "calendar", local(2026, 3, 29, 13, 0)),  # Saturday before summer time: 24 real hours → Sunday 13:00
    (local(2026, 10, 24, 12, 0), 24, "calendar", local(2026, 10, 25, 11, 0)),  # Saturday before winter time → Sunday 11:00
    # working hours: the region's office hours, 08:30-17:00 on working days by default (8.5 h a day)
    (local(2026, 3, 6, 12, 0), 24, "working", local(2026, 3, 11, 10, 30)),  # Friday 12:00: 5 h Friday, 8.5 Monday, 8.5 Tuesday → Wednesday 10:30
    (local(2026, 3, 6, 12, 0), 48, "working", local(2026, 3, 16, 9, 0)),  # Friday 12:00 → the next Monday 09:00
    (local(2026, 3, 7, 9, 0), 24, "working", local(2026, 3, 11, 15, 30)),  # asked Saturday: counting starts Monday 08:30
    (local(2026, 3, 27, 18, 0), 8, "working", local(2026, 3, 30, 16, 30)),  # Friday after closing, over the summer-time change → Monday 16:30
    (local(2026, 10, 23, 9, 30), 16, "working", local(2026, 10, 26, 17, 0)),  # Friday 09:30, over the winter-time change → Monday 17:00
    (local(2026, 4, 2, 12, 0), 8, "working", local(2026, 4, 7, 11, 30)),  # Thursday before Easter: Good Friday, the weekend and Easter Monday skipped → Tuesday 11:30
    (local(2026, 4, 24, 10, 0), 8, "working", local(2026, 4, 28, 9, 30)),  # Friday before King's Day (Monday 27 April) → Tuesday 09:30
    (local(2026, 12, 24, 15, 0), 8, "working", local(2026, 12, 28, 14, 30)),  # Christmas Eve: 25 + 26 Dec and the weekend skipped → Monday 14:30
    (local(2026, 5, 13, 16, 0), 2, "working", local(2026, 5, 15, 9, 30)),  # Wednesday before Ascension Day (Thursday 14 May) → Friday 09:30
    (local(2026, 5, 13, 8, 0), 8.5, "working", local(2026, 5, 13, 17, 0)),  # before opening: the whole day, up to closing
    (local(2026, 3, 4, 23, 30), 1, "working", local(2026, 3, 5, 9, 30)),  # asked at night: counting starts at the opening
    (local(2026, 3, 4, 10, 0), 0, "working", local(2026, 3, 4, 10, 0)),  # zero hours: the start itself
]


@pytest.mark.parametrize(("start", "hours", "mode", "expected"), CASES)
def test_deadline(start, hours, mode, expected):
    assert add_hours(start, hours, mode) == expected
    # The counted hours between start and deadline are the hours asked for (round trip).
    if hours:
        assert hours_between(start, expected, mode) == pytest.approx(hours)


def test_reminder_at_three_quarters_inside_office_hours():
    # 36 h after Wednesday 10:00 is Thursday 22:00: the reminder waits for Friday's opening,
    # still before the deadline (Friday 10:00).
    assert reminder_at(local(2026, 3, 4, 10, 0), 48, "calendar") == local(2026, 3, 6, 8, 30)
    # 18 working hours from Friday 12:00: 5 Friday, 8.5 Monday, 4.5 Tuesday → Tuesday 13:00 (never 03:00)
    assert reminder_at(local(2026, 3, 6, 12, 0), 24, "working") == local(2026, 3, 10, 13, 0)
    # 36 h after Monday 09:00 is Tuesday 21:00; Wednesday's opening (08:30) is before the deadline (09:00).
    assert reminder_at(local(2026, 3, 2, 9, 0), 48, "calendar") == local(2026, 3, 4, 8, 30)
    # When the next opening would come after the deadline, the reminder keeps its own moment.
    assert reminder_at(local(2026, 3, 6, 12, 0), 48, "calendar") == local(2026, 3, 8, 0, 0)


def test_a_region_that_works_on_good_friday_and_keeps_other_hours():
    from datetime import time

    from werkbrug.core.office_hours import OfficeHours, office_hours_for

    office = office_hours_for(type("R", (), {"settings": {"office_hours": {
        "opens": "09:00", "closes": "17:00", "good_friday_off": False}}})())
    assert office == OfficeHours(opens=time(9), closes=time(17), good_friday_off=False)
    # Thursday 12:00 before Easter, 8 working hours: 5 Thursday, 3 on Good Friday → 12:00
    assert add_hours(local(2026, 4, 2, 12, 0), 8, "working", office) == local(2026, 4, 3, 12, 0)
    # nonsense settings fall back to the defaults
    assert office_hours_for(type("R", (), {"settings": {"office_hours": {"opens": "18:00", "closes": "08:00",
                                                                         "weekdays": "all"}}})()) == OfficeHours()


TIMELINESS = [
    # (answered after hours, expected) for a 48 h calendar deadline
    (47, Timeliness.ON_TIME),  # before the deadline
    (48, Timeliness.ON_TIME),  # exactly at the deadline
    (49, Timeliness.LATE),  # an hour late
    (144, Timeliness.LATE),  # exactly three times the time
    (145, Timeliness.VERY_LATE),  # more than three times
]


@pytest.mark.parametrize(("after", "expected"), TIMELINESS)
def test_timeliness(after, expected):
    from datetime import timedelta

    start = local(2026, 3, 2, 9, 0)
    assert timeliness(start=start, hours=48, mode="calendar", answered_at=start + timedelta(hours=after), now=start) == expected


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_hours(datetime(2026, 3, 2, 9, 0), 4, "working")  # noqa: DTZ001
