"""Who reaches an appointment: the client's team (with consent) and the client; nobody else, in
pages and API alike, with missing and forbidden answering the same 404, checked before the
input is read, and every read of a client's appointment in the access log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


@pytest.fixture
def appointment(plan):
    with time_machine.travel(NOW, tick=False):
        return plan()


@pytest.fixture
def far(other_region, make_org, make_person):
    """A jobcoach of another region's GGZ."""
    return make_person(make_org(OrganisationType.GGZ, "GGZ Elders", in_region=other_region), Role.JOBCOACH)


def _urls(appointment) -> list[tuple[str, str]]:
    pk = appointment.pk
    return [
        ("get", f"/appointments/{pk}/"), ("get", f"/appointments/{pk}/ics/"), ("get", f"/appointments/{pk}/edit/"),
        ("post", f"/appointments/{pk}/edit/"), ("post", f"/appointments/{pk}/cancel/"),
        ("get", f"/api/v1/appointments/{pk}/"), ("patch", f"/api/v1/appointments/{pk}/"),
        ("post", f"/api/v1/appointments/{pk}/cancel/"), ("get", f"/api/v1/appointments/{pk}/ics/"),
        ("get", f"/appointments/trajectories/{appointment.trajectory_id}/"),
        ("get", f"/appointments/trajectories/{appointment.trajectory_id}/new/"),
        ("post", f"/appointments/trajectories/{appointment.trajectory_id}/new/"),
        ("get", f"/api/v1/trajectories/{appointment.trajectory_id}/appointments/"),
        ("post", f"/api/v1/trajectories/{appointment.trajectory_id}/appointments/"),
    ]


@pytest.mark.parametrize("who", ["outsider", "far"])
def test_outside_the_team_everything_is_404_and_logged_as_refused(client, appointment, team, far, who):
    person = team.outsider if who == "outsider" else far
    client.force_login(person)
    for method, url in _urls(appointment):
        before = AccessLogRecord.objects.filter(granted=False).count()
        # An invalid body: the answer is still 404, so the check comes first.
        response = getattr(client, method)(url, data={"kind": "x", "starts_at": "nonsense"},
                                           content_type="application/json" if url.startswith("/api/") else
                                           "application/x-www-form-urlencoded" if method != "get" else None) \
            if method != "get" else client.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert team.client.last_name not in response.content.decode()
        assert AccessLogRecord.objects.filter(granted=False).count() == before + 1, (method, url)
    appointment.refresh_from_db()
    assert (appointment.sequence, appointment.status) == (0, "planned")


def test_a_missing_appointment_is_the_same_404(client, team):
    client.force_login(team.jobcoach)
    assert client.get("/appointments/987654321/").status_code == 404
    assert client.get("/api/v1/appointments/987654321/").status_code == 404
    assert client.get("/appointments/99999999999999999999999/").status_code == 404


def test_team_members_read_and_each_read_is_logged(client, appointment, team):
    client.force_login(team.labour_expert)
    before = AccessLogRecord.objects.count()
    response = client.get(f"/appointments/{appointment.pk}/")
    assert response.status_code == 200
    assert "Driegesprek" in response.content.decode() and team.client.last_name in response.content.decode()
    record = AccessLogRecord.objects.order_by("-pk").first()
    assert AccessLogRecord.objects.count() == before + 1
    assert (record.action, record.granted, record.client_pseudonym) == ("appointment.view", True, team.client.pseudonym)


def test_the_client_reads_but_does_not_change(client, appointment, team, client_user):
    client.force_login(client_user)
    assert client.get(f"/appointments/{appointment.pk}/").status_code == 200
    ics = client.get(f"/appointments/{appointment.pk}/ics/")
    assert ics.status_code == 200 and list(Calendar.from_ical(ics.content).walk("VEVENT"))
    assert client.get(f"/appointments/{appointment.pk}/edit/").status_code == 404
    assert client.post(f"/appointments/{appointment.pk}/cancel/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "planned"


def test_withdrawn_consent_hides_the_appointment(client, appointment, team):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    consent_withdraw(client=team.client, organisation=team.uwv, category="participation", recorded_by=team.labour_expert,
                     method=ConsentMethod.PAPER)
    client.force_login(team.labour_expert)
    assert client.get(f"/appointments/{appointment.pk}/").status_code == 404


def test_an_appointment_without_a_client_is_for_those_taking_part(client, team, make_person):
    from werkbrug.appointments.services import appointment_plan

    colleague = make_person(team.ggz, Role.THERAPIST)
    with time_machine.travel(NOW, tick=False):
        meeting = appointment_plan(planned_by=team.jobcoach, kind="conversation", starts_at=datetime(2026, 4, 1, 8, tzinfo=UTC),
                                   ends_at=datetime(2026, 4, 1, 9, tzinfo=UTC), place="Kantoor", participants=[colleague])
    client.force_login(colleague)
    assert client.get(f"/appointments/{meeting.pk}/").status_code == 200
    client.force_login(team.outsider)
    assert client.get(f"/appointments/{meeting.pk}/").status_code == 404


def test_my_appointments_lists_only_what_the_person_takes_part_in(client, appointment, team, plan,
                                                                 django_assert_max_num_queries):
    with time_machine.travel(NOW, tick=False):
        for day in range(1, 6):
            plan(starts_at=datetime(2026, 4, day, 8, tzinfo=UTC), ends_at=datetime(2026, 4, day, 9, tzinfo=UTC))
        client.force_login(team.labour_expert)
        with django_assert_max_num_queries(12):
            response = client.get("/appointments/")
        assert response.status_code == 200
        assert response.content.decode().count("/appointments/") >= 6
        client.force_login(team.outsider)
        assert f"/appointments/{appointment.pk}/" not in client.get("/appointments/").content.decode()
