"""The client portal: own file only, one access-log record per request, answers and consents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.plans.conftest import goals_for
from tests.support.crawl import assert_each_request_logged_once
from werkbrug.clients.models import ConsentState
from werkbrug.core.choices import DataCategory, Role, UserKind
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.plans.models import PlanResponse
from werkbrug.plans.services import plan_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_v1(team):
    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)


PAGES = ["portal:index", "portal:plan", "portal:versions", "portal:signals", "portal:consents", "portal:access_log"]


def test_every_portal_page_is_logged_once(client, client_user, plan_v1):
    client.force_login(client_user)
    assert_each_request_logged_once(
        client, [("GET", reverse(name)) for name in PAGES]
        + [("GET", reverse("portal:version", kwargs={"number": 1})), ("GET", reverse("portal:diff"))]
    )


def test_portal_shows_team_plan_and_plan_director(client, team, client_user, plan_v1):
    client.force_login(client_user)
    page = client.get(reverse("portal:index")).content.decode()
    assert "Jet Coach" in page and "Lars Deskundige" in page and "GGZ Test" in page
    plan_page = client.get(reverse("portal:plan")).content.decode()
    assert "Cv bijwerken" in plan_page


def test_another_client_sees_only_their_own_plan(client, team, client_user, plan_v1, make_client):
    other = make_client(team.jobcoach, first_name="Anna")
    other_user = User.objects.create_user(username="other.client", password="x" * 16, kind=UserKind.CLIENT, region=team.client.region)
    other.user = other_user
    other.save(update_fields=["user"])
    client.force_login(other_user)
    assert client.get(reverse("portal:plan")).status_code == 404  # no trajectory of their own
    assert "Cv bijwerken" not in client.get(reverse("portal:index")).content.decode()
    # and the professional pages of the first client's plan answer 404 as well
    assert client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404
    assert client.post(reverse("plans:agree", kwargs={"trajectory_pk": team.trajectory.pk}), {"version": "1"}).status_code == 404
    assert not PlanResponse.objects.exists()


def test_professionals_get_404_in_the_portal(client, team):
    client.force_login(team.jobcoach)
    assert client.get(reverse("portal:index")).status_code == 404


def test_client_agrees_and_disagrees_in_the_portal(client, client_user, plan_v1):
    client.force_login(client_user)
    before = AccessLogRecord.objects.count()
    response = client.post(reverse("portal:disagree"), {"version": "1", "comment": ""})
    assert response.status_code == 400  # a comment is needed
    assert AccessLogRecord.objects.count() - before == 1
    response = client.post(reverse("portal:agree"), {"version": "1"})
    assert response.status_code == 302
    answer = PlanResponse.objects.get()
    assert answer.for_client and answer.kind == "agree"
    plan_v1.refresh_from_db()
    assert plan_v1.client_agreed


def test_consent_withdrawn_in_the_portal_counts_at_the_professionals_next_request(client, team, client_user, plan_v1):
    from django.test import Client as TestClient

    pro = TestClient()
    pro.force_login(team.labour_expert)
    plan_url = reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})
    assert pro.get(plan_url).status_code == 200
    client.force_login(client_user)
    state = ConsentState.objects.get(client=team.client, organisation=team.uwv, category=DataCategory.PLAN)
    before = AccessLogRecord.objects.count()
    response = client.post(reverse("portal:consent_change"), {
        "organisation": team.uwv.pk, "category": DataCategory.PLAN, "version": state.version, "give": "0"})
    assert response.status_code == 302
    assert AccessLogRecord.objects.count() - before == 1
    state.refresh_from_db()
    assert not state.granted and state.last_event.method == "portal"
    assert pro.get(plan_url).status_code == 404  # the very next request
    # ... and giving it again restores access
    client.post(reverse("portal:consent_change"), {
        "organisation": team.uwv.pk, "category": DataCategory.PLAN, "version": state.version, "give": "1"})
    assert pro.get(plan_url).status_code == 200


def test_stale_consent_form_is_refused(client, team, client_user):
    client.force_login(client_user)
    response = client.post(reverse("portal:consent_change"), {
        "organisation": team.uwv.pk, "category": DataCategory.PLAN, "version": 99, "give": "0"}, follow=True)
    assert ConsentState.objects.get(client=team.client, organisation=team.uwv, category=DataCategory.PLAN).granted
    assert response.status_code == 200


def test_access_log_page_shows_who_looked(client, team, client_user, plan_v1):
    from django.test import Client as TestClient

    pro = TestClient()
    pro.force_login(team.jobcoach)
    pro.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk}))
    client.force_login(client_user)
    page = client.get(reverse("portal:access_log")).content.decode()
    assert "Jet Coach" in page
    assert Role.JOBCOACH  # the role is recorded in the log row


def test_the_client_reads_the_signals_about_them(client, team, client_user):
    signal_create = pytest.importorskip("werkbrug.collaboration.services").signal_create
    signal_create(trajectory=team.trajectory, author=team.jobcoach, category="debts", urgency="urgent",
                  text="Er komt een beslaglegging aan.", whole_team=True)
    client.force_login(client_user)
    page = client.get(reverse("portal:signals")).content.decode()
    assert "Er komt een beslaglegging aan." in page and "Jet Coach" in page and "Dringend" in page


def test_portal_api_is_own_file_only(client, team, client_user, plan_v1, make_client):
    from rest_framework.test import APIClient

    api = APIClient()
    other = make_client(team.jobcoach, first_name="Bo")
    other_user = User.objects.create_user(username="bo.client", password="x" * 16, kind=UserKind.CLIENT, region=team.client.region)
    other.user = other_user
    other.save(update_fields=["user"])
    api.force_authenticate(other_user)
    response = api.get("/api/v1/portal/plan/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
    assert api.post("/api/v1/portal/plan/agree/", {"version": 1}, format="json").status_code == 404
    assert api.get(f"/api/v1/plans/{team.trajectory.pk}/").status_code == 404
    api.force_authenticate(team.jobcoach)  # professionals have no portal
    assert api.get("/api/v1/portal/plan/").status_code == 404
    assert not PlanResponse.objects.exists()
