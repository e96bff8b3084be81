"""The pages: plan a three-way talk from a datetime-local form (Dutch time, across DST), change,
cancel, the trajectory's list; Dutch text throughout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from werkbrug.appointments.models import Appointment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


def _form(team, **extra):
    data = {
        "kind": "three_way", "starts_at": "2026-03-30T10:00", "ends_at": "2026-03-30T11:00",
        "place": "UWV Tiel", "video_link": "", "with_client": "on", "participants": [team.jobcoach.pk, team.labour_expert.pk],
        "expert": "", "employer_contact_name": "Ria de Werkgever", "employer_contact_email": "ria@example.org",
        "plan_action": "", "deployment_request": "",
    }
    data.update(extra)
    return data


def test_plan_from_the_form_in_dutch_time(client, team, client_user):
    client.force_login(team.jobcoach)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/appointments/trajectories/{team.trajectory.pk}/new/")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'type="datetime-local"' in html and "Afspraak plannen" in html
        assert "---------" not in html and "Geen ervaringsdeskundige" in html
        response = client.post(f"/appointments/trajectories/{team.trajectory.pk}/new/", _form(team))
        detail = client.get(response["Location"]).content.decode()
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appointments/{appointment.pk}/"
    # 10:00 on the Monday after the clocks went forward is 08:00 UTC.
    assert appointment.starts_at == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert appointment.employer_contact_name == "Ria de Werkgever"
    assert "maandag 30 maart 2026" in detail and "10:00–11:00" in detail
    assert "In mijn agenda zetten (.ics)" in detail


def test_a_form_error_is_shown_beside_the_field_in_dutch(client, team):
    client.force_login(team.jobcoach)
    response = client.post(f"/appointments/trajectories/{team.trajectory.pk}/new/",
                           _form(team, place="", video_link="http://meet.example.org/x"))
    assert response.status_code == 200
    assert "Geef een videolink die begint met https://." in response.content.decode()
    assert not Appointment.objects.exists()


def test_change_and_cancel_from_the_pages(client, team, plan):
    with time_machine.travel(NOW, tick=False):
        appointment = plan()
        client.force_login(team.labour_expert)
        edit = client.get(f"/appointments/{appointment.pk}/edit/")
        assert 'value="2026-03-30T10:00"' in edit.content.decode()
        data = _form(team, starts_at="2026-04-02T14:00", ends_at="2026-04-02T15:00", reason="Werkgever kan donderdag")
        del data["deployment_request"]
        assert client.post(f"/appointments/{appointment.pk}/edit/", data).status_code == 302
        appointment.refresh_from_db()
        assert (appointment.sequence, appointment.starts_at) == (1, datetime(2026, 4, 2, 12, tzinfo=UTC))
        detail = client.get(f"/appointments/{appointment.pk}/").content.decode()
        assert "Verzet naar een ander tijdstip" in detail and "Werkgever kan donderdag" in detail
        assert client.post(f"/appointments/{appointment.pk}/cancel/", {"reason": "Ziek"}).status_code == 302
        appointment.refresh_from_db()
        assert appointment.status == "cancelled"
        assert "Deze afspraak is geannuleerd." in client.get(f"/appointments/{appointment.pk}/").content.decode()


def test_trajectory_page_links_to_its_appointments(client, team, plan):
    with time_machine.travel(NOW, tick=False):
        appointment = plan()
    client.force_login(team.jobcoach)
    trajectory_page = client.get(f"/trajectories/{team.trajectory.pk}/").content.decode()
    assert f"/appointments/trajectories/{team.trajectory.pk}/" in trajectory_page
    listing = client.get(f"/appointments/trajectories/{team.trajectory.pk}/").content.decode()
    assert f"/appointments/{appointment.pk}/" in listing and "Afspraak plannen" in listing


def test_ics_download(client, team, plan):
    with time_machine.travel(NOW, tick=False):
        appointment = plan()
    client.force_login(team.jobcoach)
    response = client.get(f"/appointments/{appointment.pk}/ics/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="werkbrug-afspraak-{appointment.pk}.ics"'
    assert b"TZID=Europe/Amsterdam" in response.content and b"BEGIN:VTIMEZONE" in response.content
