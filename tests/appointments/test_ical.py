"""The .ics of an appointment: parsed with `icalendar`, right across the daylight-saving change,
stable UID and rising SEQUENCE, and no client name or health detail in its title or text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar

from werkbrug.appointments import ical, services

from .conftest import at

pytestmark = pytest.mark.django_db


def _event(content: bytes):
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.parametrize(("local", "utc"), [
    # Friday before the change: CET (UTC+1).
    (at(2026, 3, 27, 10), datetime(2026, 3, 27, 9, tzinfo=UTC)),
    # Monday after the clocks went forward on Sunday 29 March 2026: CEST (UTC+2).
    (at(2026, 3, 30, 10), datetime(2026, 3, 30, 8, tzinfo=UTC)),
    # Back to CET after Sunday 25 October 2026.
    (at(2026, 10, 26, 10), datetime(2026, 10, 26, 9, tzinfo=UTC)),
])
def test_times_are_right_on_both_sides_of_the_dst_change(plan, local, utc):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        appointment = plan(starts_at=local, ends_at=local.replace(hour=11))
        calendar, event = _event(ical.appointment_ics(appointment))
    start = event.decoded("dtstart")
    assert start == utc
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert event.decoded("dtend") - start == (local.replace(hour=11) - local)


def test_uid_is_stable_and_sequence_rises(plan, team):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        appointment = plan()
        _cal, first = _event(ical.appointment_ics(appointment))
        services.appointment_update(
            appointment=appointment, changed_by=team.jobcoach, kind="three_way", starts_at=at(2026, 4, 1, 9),
            ends_at=at(2026, 4, 1, 10), place="UWV Tiel", with_client=True, participants=[team.jobcoach],
        )
        appointment.refresh_from_db()
        _cal, second = _event(ical.appointment_ics(appointment))
        services.appointment_cancel(appointment=appointment, cancelled_by=team.jobcoach)
        appointment.refresh_from_db()
        _cal, third = _event(ical.appointment_ics(appointment))
    assert str(first["uid"]) == str(second["uid"]) == str(third["uid"]) == f"{appointment.uid}@werkbrug"
    assert [int(e["sequence"]) for e in (first, second, third)] == [0, 1, 2]
    assert [str(e["status"]) for e in (first, second, third)] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert second.decoded("dtstart") == datetime(2026, 4, 1, 7, tzinfo=UTC)


def test_no_client_name_or_place_in_title_and_text(plan, team):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        appointment = plan()
        _cal, event = _event(ical.appointment_ics(appointment))
    text = str(event["summary"]) + str(event["description"])
    for secret in (team.client.first_name, team.client.last_name, team.client.pseudonym, team.labour_expert.last_name):
        assert secret not in text
    assert str(event["summary"]) == "Werkbrug-afspraak: Driegesprek"
    assert str(event["url"]) == f"https://werkbrug.test/appointments/{appointment.pk}/"
    # The downloaded file (a signed-in participant's) carries the place; the feed does not.
    assert str(event["location"]) == "UWV Tiel, spreekkamer 2"
