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
    (local(2026, 3, 6, 12, 0), 24, "working", local(2026, 3, 9, 12, 0)),  # Friday 12:00 → Monday 12:00
    (local(2026, 3, 6, 12, 0), 48, "working", local(2026, 3, 10, 12, 0)),  # Friday 12:00 → Tuesday 12:00
    (local(2026, 3, 7, 9, 0), 24, "working", local(2026, 3, 10, 0, 0)),  # asked Saturday: counting starts Monday 00:00
    (local(2026, 3, 27, 18, 0), 24, "working", local(2026, 3, 30, 18, 0)),  # Friday → Monday over the summer-time change
    (local(2026, 10, 23, 9, 30), 48, "working", local(2026, 10, 27, 9, 30)),  # Friday → Tuesday over the winter-time change
    (local(2026, 4, 2, 12, 0), 48, "working", local(2026, 4, 8, 12, 0)),  # Thursday before Easter: Good Friday, the weekend and Easter Monday skipped → Wednesday 12:00
    (local(2026, 4, 24, 10, 0), 24, "working", local(2026, 4, 28, 10, 0)),  # Friday before King's Day (Monday 27 April) → Tuesday 10:00
    (local(2026, 12, 24, 15, 0), 48, "working", local(2026, 12, 29, 15, 0)),  # Christmas Eve: 25 + 26 Dec and the weekend skipped → Tuesday 15:00
    (local(2026, 5, 13, 8, 0), 24, "working", local(2026, 5, 15, 8, 0)),  # Wednesday before Ascension Day (Thursday 14 May) → Friday 08:00
    (local(2026, 3, 4, 23, 30), 1, "working", local(2026, 3, 5, 0, 30)),  # crossing midnight on working days
    (local(2026, 3, 4, 10, 0), 0, "working", local(2026, 3, 4, 10, 0)),  # zero hours: the start itself
]


@pytest.mark.parametrize(("start", "hours", "mode", "expected"), CASES)
def test_deadline(start, hours, mode, expected):
    assert add_hours(start, hours, mode) == expected
    # The counted hours between start and deadline are the hours asked for (round trip).
    if hours:
        assert hours_between(start, expected, mode) == pytest.approx(hours)


def test_reminder_at_three_quarters():
    assert reminder_at(local(2026, 3, 4, 10, 0), 48, "calendar") == local(2026, 3, 5, 22, 0)  # 36 h after
    assert reminder_at(local(2026, 3, 6, 12, 0), 24, "working") == local(2026, 3, 9, 6, 0)  # 18 working hours


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
