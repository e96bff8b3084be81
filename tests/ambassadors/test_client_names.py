"""The asker's own clients: `services.client_names_for` and the client-name warning while typing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import Question
from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.trajectories.services import trajectory_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team(ggz, make_person, make_client):
    """A second jobcoach with a client of their own in an active trajectory."""
    coach = make_person(ggz, Role.JOBCOACH, first_name="Eva", last_name="Elders")
    client = make_client(coach, first_name="Noor", last_name="Verhoeven")
    trajectory_start(client=client, started_by=coach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    return coach, client


def test_client_names_are_those_of_the_askers_active_teams(team, other_team, make_client):
    coach, other_client = other_team
    unassigned = make_client(team.jobcoach, last_name="Zonderteam")  # registered, but no trajectory
    mine = [(team.client.first_name, team.client.last_name)]
    assert services.client_names_for(team.jobcoach) == mine
    assert services.client_names_for(team.labour_expert) == mine  # team member from the other organisation
    assert services.client_names_for(team.outsider) == []  # same region and organisation, not in the team
    assert services.client_names_for(coach) == [("Noor", "Verhoeven")]
    assert ("Noor", "Verhoeven") not in services.client_names_for(team.jobcoach)
    assert (unassigned.first_name, "Zonderteam") not in services.client_names_for(team.jobcoach)


def test_client_names_stop_when_the_asker_leaves_the_team(team):
    from werkbrug.trajectories.models import TeamMembership
    from werkbrug.trajectories.services import team_member_remove

    membership = TeamMembership.objects.get(trajectory=team.trajectory, person=team.labour_expert, left_at__isnull=True)
    team_member_remove(membership=membership, removed_by=team.jobcoach)
    assert services.client_names_for(team.labour_expert) == []
    assert services.client_names_for(team.jobcoach) != []


def _kinds(warnings):
    return [(w["kind"], w["blocking"]) for w in warnings]


def test_check_endpoints_warn_about_the_askers_client(team, other_team, client):
    surname = team.client.last_name
    text = f"Mijn cliënt {surname.lower()} heeft vragen over de WIA-uitkering en parttime werk."
    client.force_login(team.jobcoach)
    page = client.get(reverse("ambassadors:ask_check"), {"text": text}).json()
    assert _kinds(page["warnings"]) == [("client_name", False)]
    assert surname.lower() in page["warnings"][0]["excerpt"].lower()
    api = APIClient()
    api.force_authenticate(team.jobcoach)
    response = api.get("/api/v1/ambassadors/questions/check/", {"text": text})
    assert response.status_code == 200
    assert _kinds(response.json()["warnings"]) == [("client_name", False)]
    # Not the name of someone else's client: no warning (and nothing tells whose client it is).
    api.force_authenticate(team.outsider)
    assert api.get("/api/v1/ambassadors/questions/check/", {"text": text}).json()["warnings"] == []
    coach, _ = other_team
    api.force_authenticate(coach)
    assert api.get("/api/v1/ambassadors/questions/check/", {"text": text}).json()["warnings"] == []
    full = api.get("/api/v1/ambassadors/questions/check/", {"text": "Noor Verhoeven wil weten hoe de WIA werkt."}).json()
    assert [w["kind"] for w in full["warnings"]] == ["client_name"]


def test_ask_form_needs_a_confirmation_for_a_client_name(team, net, client):
    """The no-JavaScript form: a client name blocks sending until the asker confirms."""
    client.force_login(team.jobcoach)
    data = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "urgency": "normal", "action": "send",
            "text": f"Hoe werkt de WIA voor {team.client.last_name}?"}
    response = client.post(reverse("ambassadors:ask"), data)
    assert response.status_code == 200
    assert [w.kind for w in response.context["check"]["warnings"]] == ["client_name"]
    assert not Question.objects.exists()
    response = client.post(reverse("ambassadors:ask"), {**data, "confirm": "on"})
    assert response.status_code == 302 and Question.objects.count() == 1
