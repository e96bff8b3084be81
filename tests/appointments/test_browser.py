"""Browser: a jobcoach plans a three-way talk from the trajectory page, and the .ics downloaded
from the appointment's page opens in a calendar parser (`icalendar`), at the right time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(team, client_user):
    from werkbrug.core.models import User

    for user, name in ((team.jobcoach, "demo.jet"), (team.labour_expert, "demo.lars"), (client_user, "demo.sam")):
        User.objects.filter(pk=user.pk).update(username=name)
    return team


def test_a_three_way_talk_is_planned_and_its_ics_parses(page, sign_in, people, client_user):
    from werkbrug.appointments.models import Appointment
    from werkbrug.notifications.models import Notification

    team = people
    day = (datetime.now(UTC) + timedelta(days=14)).date()
    sign_in(team.jobcoach)
    page.goto(f"/trajectories/{team.trajectory.pk}/")
    follow(page.get_by_role("link", name="Afspraken", exact=True).last)
    assert_accessible(page)
    follow(page.get_by_role("link", name="Afspraak plannen"))
    assert_accessible(page)
    page.select_option("#id_kind", "three_way")
    page.fill("#id_starts_at", f"{day.isoformat()}T10:30")
    page.fill("#id_ends_at", f"{day.isoformat()}T11:30")
    page.fill("#id_place", "UWV Tiel, spreekkamer 2")
    page.check(f"input[name=participants][value='{team.labour_expert.pk}']")
    page.fill("#id_employer_contact_name", "Ria de Werkgever")
    follow(page.get_by_role("button", name="Afspraak plannen"))
    assert "De afspraak is gepland" in page.content()
    assert_accessible(page)

    appointment = Appointment.objects.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="In mijn agenda zetten (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"werkbrug-afspraak-{appointment.pk}.ics"
    with open(download.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    event = calendar.walk("VEVENT")[0]
    local = datetime.combine(day, datetime.min.time()).replace(hour=10, minute=30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert event.decoded("dtstart") == local
    assert str(event["summary"]) == "Werkbrug-afspraak: Driegesprek"
    assert team.client.last_name not in str(event["summary"]) + str(event["description"])
    assert str(event["uid"]) == f"{appointment.uid}@werkbrug"
    assert {n.recipient_id for n in Notification.objects.filter(kind="appointment_planned")} == {
        team.labour_expert.pk, client_user.pk}
