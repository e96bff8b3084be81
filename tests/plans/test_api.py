"""The plan and portal API: same rules, problem+json errors, 409 on a stale version, one log record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord
from werkbrug.plans.models import Plan, PlanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _body(team, based_on, title="Betaald werk"):
    start = team.trajectory.started_on
    revision = Plan.objects.filter(trajectory=team.trajectory).values_list("revision", flat=True).first() or 0
    return {"based_on": based_on, "revision": revision, "submit": True, "note": "via API", "goals": [{
        "title": title, "actions": [
            {"title": "Cv bijwerken", "owner": "client", "due_on": (start + timedelta(days=7)).isoformat()},
            {"title": "Werkgever bellen", "owner": str(team.jobcoach.pk), "due_on": (start + timedelta(days=9)).isoformat()},
        ]}]}


def _problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    if code:
        assert code in {body.get("code")} | {e.get("code") for e in body.get("errors", [])}, body
    return body


def test_save_read_agree_through_the_api(api, team, client_user):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    response = api.post(base + "versions/", _body(team, 0), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 1
    assert api.get(base).json()["state"] == "awaiting"
    assert api.post(base + "agree/", {"version": 1}, format="json").status_code == 201
    api.force_authenticate(team.labour_expert)
    assert api.post(base + "agree/", {"version": 1}, format="json").status_code == 201
    api.force_authenticate(client_user)
    assert api.post("/api/v1/portal/plan/agree/", {"version": 1}, format="json").status_code == 201
    assert api.get("/api/v1/portal/plan/").json()["state"] == "agreed"


def test_stale_version_is_409_problem(api, team):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/versions/"
    assert api.post(base, _body(team, 0), format="json").status_code == 201
    assert api.post(base, _body(team, 1, "Werk in de zorg"), format="json").status_code == 201
    body = _problem(api.post(base, _body(team, 1, "Werk in de techniek"), format="json"), 409, "conflict")
    assert "2" in body["detail"]
    assert PlanVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda team, b: b["goals"][0]["actions"][0].update(due_on=(team.trajectory.started_on - timedelta(days=1)).isoformat()), "due_before_start"),
        (lambda team, b: b["goals"][0]["actions"][0].update(owner=str(team.outsider.pk)), "owner_not_in_team"),
        (lambda team, b: b.update(goals=[]), "no_goals"),
        (lambda team, b: b.pop("based_on"), "required"),
    ],
)
def test_bad_input_is_400_problem(api, team, mutate, code):
    api.force_authenticate(team.jobcoach)
    body = _body(team, 0)
    mutate(team, body)
    _problem(api.post(f"/api/v1/plans/{team.trajectory.pk}/versions/", body, format="json"), 400, code)
    assert not PlanVersion.objects.exists()


def test_outdated_agreement_and_missing_comment(api, team):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    api.post(base + "versions/", _body(team, 0), format="json")
    api.post(base + "versions/", _body(team, 1, "Anders"), format="json")
    _problem(api.post(base + "agree/", {"version": 1}, format="json"), 400, "outdated_version")
    _problem(api.post(base + "disagree/", {"version": 2, "comment": ""}, format="json"), 400, "comment_required")


def test_outsider_gets_404_problem(api, team):
    api.force_authenticate(team.outsider)
    _problem(api.get(f"/api/v1/plans/{team.trajectory.pk}/"), 404)


def test_every_plan_and_portal_endpoint_logs_once(api, team, client_user):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    api.post(base + "versions/", _body(team, 0), format="json")
    api.post(base + "versions/", _body(team, 1, "Anders"), format="json")
    assert_each_request_logged_once(api, [("GET", base + p) for p in
                                          ["", "versions/", "versions/2/", "versions/2/diff/", "goals/", "actions/", "agreements/"]])
    action = PlanVersion.objects.get(number=2).actions.first()
    for url, data in [(base + "agree/", {"version": 2}), (base + f"actions/{action.pk}/status/", {"status": "done"})]:
        before = AccessLogRecord.objects.count()
        assert api.post(url, data, format="json").status_code in (200, 201)
        assert AccessLogRecord.objects.count() - before == 1
    api.force_authenticate(client_user)
    assert_each_request_logged_once(api, [("GET", "/api/v1/portal/" + p) for p in ["plan/", "consents/", "access-log/"]])
    before = AccessLogRecord.objects.count()
    response = api.post("/api/v1/portal/consents/", {"organisation": team.uwv.pk, "category": DataCategory.SIGNALS, "give": False},
                        format="json")
    assert response.status_code == 201 and response.json()["granted"] is False
    assert AccessLogRecord.objects.count() - before == 1


def test_diff_endpoint(api, team):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    api.post(base + "versions/", _body(team, 0), format="json")
    api.post(base + "versions/", _body(team, 1, "Anders"), format="json")
    changes = api.get(base + "versions/2/diff/").json()
    # Without keys the API treats every item as new: the diff shows them as removed and added.
    assert {c["kind"] for c in changes} == {"added", "removed"}


def test_stale_consent_is_400_problem(api, team, client_user):
    api.force_authenticate(client_user)
    _problem(api.post("/api/v1/portal/consents/", {"organisation": team.uwv.pk, "category": DataCategory.PLAN,
                                                   "give": False, "version": 42}, format="json"), 400, "stale")


def test_version_detail_queries_do_not_grow(api, team, client_user, django_assert_max_num_queries):
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    body = _body(team, 0)
    body["goals"] = body["goals"] * 8
    assert api.post(base + "versions/", body, format="json").status_code == 201
    api.post(base + "agree/", {"version": 1}, format="json")
    with django_assert_max_num_queries(20):
        response = api.get(base + "versions/1/")
    assert len(response.json()["goals"]) == 8 and len(response.json()["answers"]) == 1
    with django_assert_max_num_queries(25):
        assert api.get(base).status_code == 200
