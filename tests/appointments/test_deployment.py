"""An expert who accepts a deployment request gets an appointment with the requester, to be
confirmed; confirming it is an ordinary change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from icalendar import Calendar

from werkbrug.appointments import ical, services
from werkbrug.appointments.models import Appointment
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.experience_experts import services as ee
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(team, make_org, make_person):
    org = make_org(OrganisationType.EXPERIENCE_EXPERTS, "Ervaringswerk Test")
    admin = make_person(org, Role.REGION_ADMIN)
    person = make_person(org, Role.EXPERIENCE_EXPERT, first_name="Anna", last_name="Aalders")
    ee.profile_create(person=person, created_by=admin, contract_hours=Decimal(18), client_contact_limit=Decimal(8))
    consent_grant(client=team.client, organisation=org, category=DataCategory.PARTICIPATION, recorded_by=person,
                  method=ConsentMethod.PAPER, evidence="Formulier")
    return person


def test_an_accepted_request_becomes_a_tentative_appointment(team, expert, client_user):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = ee.request_create(requested_by=team.jobcoach, kind="three_way", trajectory=team.trajectory,
                                    period_start=date(2026, 3, 30), period_end=date(2026, 4, 10), minutes=90,
                                    expert=expert)
        ee.request_accept(request=request, expert=expert)
    appointment = Appointment.objects.get(deployment_request=request)
    assert (appointment.status, appointment.kind, appointment.trajectory_id) == ("tentative", "three_way", team.trajectory.pk)
    # Pencilled in on the first day at 10:00 Dutch (summer) time, for the expected 90 minutes.
    assert appointment.starts_at == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert (appointment.ends_at - appointment.starts_at).seconds == 90 * 60
    assert appointment.expert.person == expert and appointment.with_client
    assert list(appointment.participants.all()) == [team.jobcoach]
    assert Notification.objects.filter(kind=Kind.APPOINTMENT_PLANNED, recipient=team.jobcoach).exists()
    event = Calendar.from_ical(ical.appointment_ics(appointment)).walk("VEVENT")[0]
    assert str(event["status"]) == "TENTATIVE"

    # The expert (now in the team) confirms the time and place.
    with time_machine.travel(datetime(2026, 3, 21, 9, tzinfo=UTC), tick=False):
        services.appointment_update(
            appointment=appointment, changed_by=expert, kind="three_way", starts_at=at(2026, 3, 31, 14),
            ends_at=at(2026, 3, 31, 15, 30), place="UWV Tiel", with_client=True,
            participants=[team.jobcoach], expert=appointment.expert,
        )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == ("planned", 1)


def test_a_group_request_becomes_an_appointment_without_a_client(team, expert):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = ee.request_create(requested_by=team.jobcoach, kind="presentation", topic="Teamoverleg",
                                    period_start=date(2026, 4, 6), period_end=date(2026, 4, 17), expert=expert)
        ee.request_accept(request=request, expert=expert)
    appointment = Appointment.objects.get(deployment_request=request)
    assert (appointment.trajectory_id, appointment.kind, appointment.with_client) == (None, "deployment", False)


def test_a_support_group_meeting_is_planned_by_its_facilitator_only(team, expert, make_person):
    from django.core.exceptions import ValidationError

    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        group = ee.support_group_create(organisation=expert.organisation, name="Steungroep voorjaar",
                                        facilitators=[expert], created_by=expert, first_meeting_at=at(2026, 3, 24, 14))
        meeting = group.meetings.get(number=1)
        appointment = services.appointment_plan(
            planned_by=expert, kind="support_group", starts_at=meeting.starts_at, ends_at=meeting.ends_at,
            place="Groepsruimte", support_group_meeting=meeting,
        )
        assert (appointment.trajectory_id, appointment.support_group_meeting) == (None, meeting)
        with pytest.raises(ValidationError) as caught:
            services.appointment_plan(
                planned_by=team.jobcoach, kind="support_group", starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                place="Groepsruimte", support_group_meeting=meeting,
            )
    assert caught.value.error_dict["support_group_meeting"][0].code == "other_group"
