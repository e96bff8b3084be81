"""An expert who accepts a deployment request chooses the day (within the requested period), the
time and the place: the deployment becomes an appointment with the requester then and there.
Moving the planned deployment moves its appointment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from icalendar import Calendar

from tests.support.deployments import first_day
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


def _request(team, expert, **extra):
    fields = {"requested_by": team.jobcoach, "kind": "three_way", "trajectory": team.trajectory,
              "period_start": date(2026, 3, 30), "period_end": date(2026, 4, 10), "minutes": 90, "expert": expert}
    fields.update(extra)
    return ee.request_create(**fields)


def test_an_accepted_request_becomes_an_appointment_at_the_chosen_time_and_place(team, expert, client_user):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = _request(team, expert)
        chosen = ee.DeploymentSchedule(at(2026, 3, 31, 14), at(2026, 3, 31, 15, 30), "UWV Tiel, kamer 4")
        deployment = ee.request_accept(request=request, expert=expert, schedule=chosen)
    appointment = Appointment.objects.get(deployment_request=request)
    assert (appointment.status, appointment.kind, appointment.trajectory_id) == ("planned", "three_way", team.trajectory.pk)
    # 14:00 Dutch summer time is 12:00 UTC; no fixed hour any more.
    assert (appointment.starts_at, appointment.ends_at) == (datetime(2026, 3, 31, 12, tzinfo=UTC),
                                                           datetime(2026, 3, 31, 13, 30, tzinfo=UTC))
    assert appointment.place == "UWV Tiel, kamer 4"
    assert (deployment.date, deployment.minutes) == (date(2026, 3, 31), 90)
    assert appointment.expert.person == expert and appointment.with_client
    assert list(appointment.participants.all()) == [team.jobcoach]
    assert Notification.objects.filter(kind=Kind.APPOINTMENT_PLANNED, recipient=team.jobcoach).exists()
    event = Calendar.from_ical(ical.appointment_ics(appointment)).walk("VEVENT")[0]
    assert str(event["status"]) == "CONFIRMED" and str(event["location"]) == "UWV Tiel, kamer 4"

    # The expert moves the planned deployment: the appointment follows, everyone is told.
    with time_machine.travel(datetime(2026, 3, 21, 9, tzinfo=UTC), tick=False):
        ee.deployment_plan(deployment=deployment, expert=expert,
                           schedule=ee.DeploymentSchedule(at(2026, 4, 2, 9), at(2026, 4, 2, 10), "",
                                                          "https://video.example.org/inzet"))
    appointment.refresh_from_db()
    deployment.refresh_from_db()
    assert (appointment.status, appointment.sequence, appointment.place) == ("planned", 1, "")
    assert appointment.starts_at == at(2026, 4, 2, 9) and appointment.video_link == "https://video.example.org/inzet"
    assert appointment.changes.order_by("sequence").last().kind == "rescheduled"
    assert (deployment.date, deployment.minutes) == (date(2026, 4, 2), 60)
    assert Notification.objects.filter(kind=Kind.APPOINTMENT_CHANGED, recipient=team.jobcoach).exists()


# (starts, ends, place, field, code): each a reason to refuse the chosen time.
REFUSED = [
    (at(2026, 3, 29, 10), at(2026, 3, 29, 11), "Kamer 1", "starts_at", "outside_period"),  # the day before the period
    (at(2026, 4, 11, 10), at(2026, 4, 11, 11), "Kamer 1", "starts_at", "outside_period"),  # the day after it
    (at(2026, 4, 1, 11), at(2026, 4, 1, 10), "Kamer 1", "ends_at", "end_before_start"),   # ends before it starts
    (at(2026, 4, 1, 11), at(2026, 4, 1, 11), "Kamer 1", "ends_at", "end_before_start"),   # ends as it starts
    (at(2026, 4, 1, 23), at(2026, 4, 2, 1), "Kamer 1", "ends_at", "other_day"),           # runs into the next day
    (at(2026, 4, 1, 10), at(2026, 4, 1, 11), "", "place", "required"),                    # no place or video link
    (None, at(2026, 4, 1, 11), "Kamer 1", "starts_at", "required"),                       # no start
]


@pytest.mark.parametrize(("starts", "ends", "place", "field", "code"), REFUSED)
def test_the_chosen_time_must_fit_the_request(team, expert, starts, ends, place, field, code):
    from django.core.exceptions import ValidationError

    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = _request(team, expert)
        with pytest.raises(ValidationError) as info:
            ee.request_accept(request=request, expert=expert, schedule=ee.DeploymentSchedule(starts, ends, place))
    assert [e.code for e in info.value.error_dict[field]] == [code]
    request.refresh_from_db()
    assert request.status == "offered" and not Appointment.objects.exists()
    with pytest.raises(ValidationError):
        ee.request_accept(request=request, expert=expert, schedule=None)


def test_accepting_and_moving_through_the_page_and_the_api(team, expert, as_user):
    from django.urls import reverse

    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = _request(team, expert)
        page = as_user(expert)
        shown = page.get(reverse("experience_experts:request", args=[request.pk])).content.decode()
        assert 'name="accept-starts_at"' in shown and 'name="accept-place"' in shown
        outside = page.post(reverse("experience_experts:request_answer", args=[request.pk]), {
            "answer": "accept", "accept-starts_at": "2026-04-20T10:00", "accept-ends_at": "2026-04-20T11:00",
            "accept-place": "Kamer 2"})
        assert outside.status_code == 200 and "30 maart 2026" in outside.content.decode()
        assert not Appointment.objects.exists()
        accepted = page.post(reverse("experience_experts:request_answer", args=[request.pk]), {
            "answer": "accept", "accept-starts_at": "2026-04-01T13:30", "accept-ends_at": "2026-04-01T15:00",
            "accept-place": "Kamer 2"})
        assert accepted.status_code == 302
        appointment = Appointment.objects.get(deployment_request=request)
        assert appointment.starts_at == at(2026, 4, 1, 13, 30)
        deployment = request.deployments.get()
        assert page.get(reverse("experience_experts:deployment_plan", args=[deployment.pk])).status_code == 200
        response = page.post(f"/api/v1/ee-deployments/{deployment.pk}/plan/", {
            "starts_at": "2026-04-03T09:00:00+02:00", "ends_at": "2026-04-03T10:00:00+02:00", "place": "Kamer 5"},
            content_type="application/json")
        assert response.status_code == 200 and response.json()["date"] == "2026-04-03"
        refused = page.post(f"/api/v1/ee-deployments/{deployment.pk}/plan/", {
            "starts_at": "2026-05-03T09:00:00+02:00", "ends_at": "2026-05-03T10:00:00+02:00", "place": "Kamer 5"},
            content_type="application/json")
        assert refused.status_code == 400
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.place) == (at(2026, 4, 3, 9), "Kamer 5")
    # Only the expert moves their deployment.
    other = as_user(team.jobcoach)
    assert other.get(reverse("experience_experts:deployment_plan", args=[deployment.pk])).status_code == 404
    assert other.post(f"/api/v1/ee-deployments/{deployment.pk}/plan/", {
        "starts_at": "2026-04-03T09:00:00+02:00", "ends_at": "2026-04-03T10:00:00+02:00", "place": "Elders"},
        content_type="application/json").status_code == 404


def test_accepting_through_the_api_needs_the_time(team, expert, as_user):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = _request(team, expert)
        api = as_user(expert)
        assert api.post(f"/api/v1/ee-requests/{request.pk}/accept/", {}, content_type="application/json").status_code == 400
        response = api.post(f"/api/v1/ee-requests/{request.pk}/accept/", {
            "starts_at": "2026-04-01T10:00:00+02:00", "ends_at": "2026-04-01T11:00:00+02:00",
            "video_link": "https://video.example.org/x"}, content_type="application/json")
        assert response.status_code == 201 and response.json()["date"] == "2026-04-01"
    assert Appointment.objects.get(deployment_request=request).video_link == "https://video.example.org/x"


def test_a_group_request_becomes_an_appointment_without_a_client(team, expert):
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        request = ee.request_create(requested_by=team.jobcoach, kind="presentation", topic="Teamoverleg",
                                    period_start=date(2026, 4, 6), period_end=date(2026, 4, 17), expert=expert)
        ee.request_accept(request=request, expert=expert, schedule=first_day(request))
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
