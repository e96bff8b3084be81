"""The portal API has everything the portal pages show: plan versions, team, signals (own file only)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.plans.conftest import goals_for
from werkbrug.collaboration.services import signal_create
from werkbrug.core.models import AccessLogRecord
from werkbrug.plans.services import plan_save

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/portal/plan/versions/", "/api/v1/portal/team/", "/api/v1/portal/signals/"]


@pytest.fixture
def api(client_user):
    api = APIClient()
    api.force_authenticate(client_user)
    return api


@pytest.fixture
def plan_v2(team):
    v1 = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=v1.number,
                     goals=goals_for(team, extra_action="Sollicitatiebrief schrijven"), submit=True)


def test_versions_team_and_signals(api, team, plan_v2):
    signal_create(trajectory=team.trajectory, author=team.jobcoach, category="debts", urgency="urgent",
                  text="Er komt een beslaglegging aan.", whole_team=True)
    versions = api.get(URLS[0]).json()
    assert [v["number"] for v in versions] == [2, 1]
    team_body = api.get(URLS[1]).json()
    assert team_body["trajectory"] == team.trajectory.pk and team_body["plan_director"] == "Jet Coach"
    assert {(m["name"], m["organisation"], m["is_plan_director"]) for m in team_body["members"]} == {
        ("Jet Coach", "GGZ Test", True), ("Lars Deskundige", "UWV Test", False)}
    signals = api.get(URLS[2]).json()
    [signal] = signals["results"]
    assert signal["text"] == "Er komt een beslaglegging aan." and signal["urgency"] == "urgent"


def test_each_call_is_logged_once_as_the_clients_own_file(api, team, plan_v2):
    for url in URLS:
        before = AccessLogRecord.objects.count()
        assert api.get(url).status_code == 200, url
        assert AccessLogRecord.objects.count() == before + 1, url
        record = AccessLogRecord.objects.order_by("-id").first()
        assert record.purpose == "own file" and record.client_pseudonym == team.client.pseudonym


def test_professionals_and_people_without_a_client_record_get_404(team, plan_v2):
    api = APIClient()
    for user in (team.jobcoach, team.labour_expert, team.outsider):
        api.force_authenticate(user)
        for url in URLS:
            response = api.get(url)
            assert response.status_code == 404, (user, url)
            assert response["Content-Type"].startswith("application/problem+json")


def test_a_client_without_a_trajectory_has_an_empty_team(make_client, team):
    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User

    lonely = make_client(team.jobcoach, first_name="Alleen")
    user = User.objects.create_user(username="alleen", password="x" * 16, kind=UserKind.CLIENT, region=lonely.region)
    lonely.user = user
    lonely.save(update_fields=["user"])
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(URLS[1]).json() == {"trajectory": None, "plan_director": None, "members": []}
    assert api.get(URLS[0]).status_code == 404  # no plan without a trajectory
    assert api.get(URLS[2]).json()["results"] == []
