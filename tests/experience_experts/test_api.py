"""The API under the policy: same services, problem+json errors, wellbeing private."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.crawl import assert_each_request_logged_once
from tests.support.deployments import first_day
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import CheckIn, Deployment, DeploymentRequest, RequestStatus

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def api():
    return APIClient()


def _problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    if field:
        assert field in {e["field"] for e in body["errors"]}, body
    return body


def test_request_match_accept_register_checkin_through_the_api(api, ee):
    today = timezone.localdate()
    api.force_authenticate(ee.team.jobcoach)
    response = api.post(API + "ee-requests/", {
        "kind": "three_way", "trajectory": ee.team.trajectory.pk, "period_start": today.isoformat(),
        "period_end": (today + timedelta(days=5)).isoformat(), "minutes": 60,
        "domains": [ee.domains["Schulden"].pk]}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    matches = api.get(f"{API}ee-requests/{pk}/matches/").json()
    assert matches[0]["name"] in {"Anna Aalders", "Carla Claes"} and matches[0]["reasons"]
    assert api.post(f"{API}ee-requests/{pk}/offer/", {"expert": ee.anna.pk}, format="json").status_code == 201
    api.force_authenticate(ee.anna)
    # Accepting needs the day, time and place (within the requested period).
    _problem(api.post(f"{API}ee-requests/{pk}/accept/", {}, format="json"), 400, "starts_at")
    response = api.post(f"{API}ee-requests/{pk}/accept/", {
        "starts_at": f"{today.isoformat()}T10:00:00+01:00", "ends_at": f"{today.isoformat()}T11:00:00+01:00",
        "place": "Spreekkamer 3"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "planned"
    planned = response.json()["id"]
    response = api.post(f"{API}ee-deployments/{planned}/complete/", {
        "date": today.isoformat(), "minutes": 50, "setting": "own_office", "outcome": "Goed"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "registered"
    assert api.post(API + "ee-checkins/", {"energy": 3, "load": 3}, format="json").status_code == 201
    assert api.get(API + "ee-checkins/").json()["results"][0]["energy"] == 3
    assert DeploymentRequest.objects.get().status == RequestStatus.ACCEPTED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"date": "2999-01-01"}, "date"),
        ({"kind": "dans"}, "kind"),
    ],
)
def test_deployment_bad_input_is_problem_json(api, ee, payload, field):
    api.force_authenticate(ee.bert)
    body = {"date": timezone.localdate().isoformat(), "kind": "network", "minutes": 30, "setting": "external",
            "organisation_served": ee.org.pk, "topic": "Overleg", **payload}
    _problem(api.post(API + "ee-deployments/", body, format="json"), 400, field)
    assert not Deployment.objects.exists()


def test_deployment_for_a_client_without_consent_is_problem_json(api, ee):
    api.force_authenticate(ee.bert)
    body = {"date": timezone.localdate().isoformat(), "kind": "one_on_one", "minutes": 30, "setting": "own_office",
            "organisation_served": ee.org.pk, "client": ee.team.client.pseudonym}
    _problem(api.post(API + "ee-deployments/", body, format="json"), 400, "client")


@pytest.mark.parametrize(("energy", "load"), [(0, 3), (6, 3), (3, 9)])
def test_checkin_outside_1_to_5_is_problem_json(api, ee, energy, load):
    api.force_authenticate(ee.bert)
    _problem(api.post(API + "ee-checkins/", {"energy": energy, "load": load}, format="json"), 400)
    assert not CheckIn.objects.exists()


def test_request_to_an_absent_expert_is_problem_json(api, ee):
    today = timezone.localdate()
    services.absence_add(profile=ee.profiles["Bert"], start=today, end=today + timedelta(days=30), added_by=ee.bert)
    api.force_authenticate(ee.team.labour_expert)
    response = api.post(API + "ee-requests/", {"kind": "presentation", "topic": "Team", "period_start": today.isoformat(),
                                               "period_end": (today + timedelta(days=3)).isoformat()}, format="json")
    pk = response.json()["id"]
    _problem(api.post(f"{API}ee-requests/{pk}/offer/", {"expert": ee.bert.pk}, format="json"), 400, "expert")


def test_overlapping_support_group_meeting_is_problem_json(api, ee):
    api.force_authenticate(ee.coordinator)
    body = {"name": "Groep A", "facilitators": [ee.anna.pk], "first_meeting_at": "2026-09-07T14:00:00+02:00"}
    assert api.post(API + "ee-support-groups/", body, format="json").status_code == 201
    body = {"name": "Groep B", "facilitators": [ee.anna.pk], "first_meeting_at": "2026-09-14T15:00:00+02:00"}
    _problem(api.post(API + "ee-support-groups/", body, format="json"), 400)


@pytest.mark.parametrize("who", ["bert", "other_coordinator", "manager", "carla"])
def test_wellbeing_api_is_private(api, ee, who):
    services.checkin_submit(expert=ee.anna, energy=1, load=5, note="Zwaar")
    api.force_authenticate(getattr(ee, who))
    profile = ee.profiles["Anna"].pk
    _problem(api.get(f"{API}ee-profiles/{profile}/checkins/"), 404)
    _problem(api.get(f"{API}ee-profiles/{profile}/signals/"), 404)
    assert "Zwaar" not in api.get(API + "ee-checkins/").content.decode()


def test_wellbeing_api_for_the_own_coordinator(api, ee):
    services.checkin_submit(expert=ee.anna, energy=1, load=5, note="Zwaar")
    api.force_authenticate(ee.coordinator)
    response = api.get(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/checkins/")
    assert response.status_code == 200 and response.json()["results"][0]["note"] == "Zwaar"


def test_reports_api_for_managers_only(api, ee):
    api.force_authenticate(ee.manager)
    assert api.get(API + "ee-reports/?start=2026-01-01&end=2026-12-31").status_code == 200
    _problem(api.get(API + "ee-reports/?start=2026-12-01&end=2026-01-01"), 400, "end")
    api.force_authenticate(ee.anna)
    _problem(api.get(API + "ee-reports/"), 403)


def test_api_client_data_is_logged_once_per_request(api, ee):
    today = timezone.localdate()
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=today, period_end=today)
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    group = services.support_group_create(organisation=ee.org, name="G", created_by=ee.coordinator, facilitators=[ee.anna],
                                          first_meeting_at=timezone.now() + timedelta(days=3))
    api.force_authenticate(ee.team.jobcoach)
    assert_each_request_logged_once(api, [("GET", f"{API}ee-requests/{request.pk}/"), ("GET", f"{API}ee-requests/")])
    api.force_authenticate(ee.anna)
    assert_each_request_logged_once(api, [("GET", f"{API}ee-requests/{request.pk}/"), ("GET", f"{API}ee-deployments/"),
                                          ("GET", f"{API}ee-support-groups/{group.pk}/")])
