"""The API: list, plan, change, cancel and the .ics, through the same services and policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar
from rest_framework.test import APIClient

from werkbrug.appointments.models import Appointment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


@pytest.fixture
def api():
    return APIClient()


def test_plan_change_cancel_and_ics_through_the_api(api, team):
    api.force_authenticate(team.jobcoach)
    with time_machine.travel(NOW, tick=False):
        created = api.post(f"/api/v1/trajectories/{team.trajectory.pk}/appointments/", {
            "kind": "three_way", "starts_at": "2026-03-30T10:00:00+02:00", "ends_at": "2026-03-30T11:00:00+02:00",
            "video_link": "https://meet.example.org/abc", "with_client": True, "participants": [team.labour_expert.pk],
        }, format="json")
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        assert created.json()["sequence"] == 0 and created.json()["changes"][0]["kind"] == "planned"
        listed = api.get(f"/api/v1/trajectories/{team.trajectory.pk}/appointments/").json()
        assert [a["id"] for a in listed] == [pk]
        mine = api.get("/api/v1/appointments/").json()
        assert [a["id"] for a in mine["results"]] == [pk]
        moved = api.patch(f"/api/v1/appointments/{pk}/", {"starts_at": "2026-03-31T09:00:00+02:00",
                                                           "ends_at": "2026-03-31T10:00:00+02:00", "reason": "Later"},
                          format="json")
        assert moved.status_code == 200, moved.content
        assert moved.json()["sequence"] == 1 and moved.json()["video_link"] == "https://meet.example.org/abc"
        assert set(moved.json()["participants"]) == {team.jobcoach.pk, team.labour_expert.pk}
        ics = api.get(f"/api/v1/appointments/{pk}/ics/")
        event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
        assert event.decoded("dtstart") == datetime(2026, 3, 31, 7, tzinfo=UTC) and int(event["sequence"]) == 1
        cancelled = api.post(f"/api/v1/appointments/{pk}/cancel/", {"reason": "Ziek"}, format="json")
        assert cancelled.json()["status"] == "cancelled"


def test_invalid_input_is_a_problem_in_dutch(api, team):
    api.force_authenticate(team.jobcoach)
    response = api.post(f"/api/v1/trajectories/{team.trajectory.pk}/appointments/", {
        "kind": "three_way", "starts_at": "2026-03-30T10:00:00+02:00", "ends_at": "2026-03-30T11:00:00+02:00",
        "video_link": "http://meet.example.org/abc",
    }, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "https://" in response.content.decode()
    assert not Appointment.objects.exists()


def test_someone_outside_the_team_is_refused_without_a_name(api, team):
    api.force_authenticate(team.jobcoach)
    response = api.post(f"/api/v1/trajectories/{team.trajectory.pk}/appointments/", {
        "kind": "conversation", "starts_at": "2026-03-30T10:00:00+02:00", "ends_at": "2026-03-30T11:00:00+02:00",
        "place": "Kantoor", "participants": [team.outsider.pk],
    }, format="json")
    assert response.status_code == 400
    assert team.outsider.last_name not in response.content.decode()


def test_an_oversized_id_is_400_not_500(api, team):
    api.force_authenticate(team.jobcoach)
    response = api.post(f"/api/v1/trajectories/{team.trajectory.pk}/appointments/", {
        "kind": "conversation", "starts_at": "2026-03-30T10:00:00+02:00", "ends_at": "2026-03-30T11:00:00+02:00",
        "place": "Kantoor", "participants": [2**70],
    }, format="json")
    assert response.status_code == 400
