"""Only the client agrees for themself when they use the portal (issue "Trust by construction").

A team member records the client's answer (given in a conversation or on paper) only for a
client without a portal account: the policy's `plan.agree_for_client` / `plan.disagree_for_client`
(core/policy/plans.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from werkbrug.core import policy
from werkbrug.plans.models import PlanResponse
from werkbrug.plans.services import plan_agree, plan_disagree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "portal_account", "allowed"),
    [
        ("jobcoach", False, True),  # a client without the portal: the team records their answer
        ("jobcoach", True, False),  # a client with the portal answers for themself
        ("labour_expert", False, True),
        ("labour_expert", True, False),
        ("outsider", False, False),  # not in the team
    ],
)
def test_answer_for_client_rule(request, team, who, portal_account, allowed):
    if portal_account:
        request.getfixturevalue("client_user")
        team.trajectory.client.refresh_from_db()
    for action in ("plan.agree_for_client", "plan.disagree_for_client"):
        assert policy.can(getattr(team, who), action, team.trajectory) is allowed


def test_the_client_answers_for_themself(team, client_user, plan_v1):
    assert not policy.can(client_user, "plan.agree_for_client", team.trajectory)
    plan_agree(plan_version=plan_v1, person=client_user)
    assert PlanResponse.objects.get().for_client


def test_a_professional_cannot_agree_for_a_portal_client_who_can_then_still_answer(team, client_user, plan_v1):
    team.trajectory.client.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plan_agree(plan_version=plan_v1, person=team.jobcoach, for_client=True)
    with pytest.raises(PermissionDenied):
        plan_disagree(plan_version=plan_v1, person=team.jobcoach, comment="Cliënt wil minder uren", for_client=True)
    assert not PlanResponse.objects.exists()
    plan_disagree(plan_version=plan_v1, person=client_user, comment="Ik wil minder uren")
    answer = PlanResponse.objects.get()
    assert answer.for_client and answer.person == client_user


def test_the_page_and_the_api_refuse_and_the_page_offers_nothing(client, team, client_user, plan_v1):
    client.force_login(team.jobcoach)
    url = reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})
    assert "Antwoord van de cliënt vastleggen" not in client.get(url).content.decode()
    # A refusal about a named object answers as not found (policy.Refused), on the page and in the API.
    response = client.post(reverse("plans:agree", kwargs={"trajectory_pk": team.trajectory.pk}),
                           {"version": "1", "for_client": "on"})
    assert response.status_code == 404
    response = client.post(f"/api/v1/plans/{team.trajectory.pk}/agree/", {"version": 1, "for_client": True},
                           content_type="application/json")
    assert response.status_code == 404
    assert not PlanResponse.objects.exists()
    client.force_login(client_user)
    assert client.post(reverse("portal:agree"), {"version": "1"}).status_code == 302


def test_without_a_portal_account_the_team_records_the_answer(client, team, plan_v1):
    client.force_login(team.jobcoach)
    response = client.post(f"/api/v1/plans/{team.trajectory.pk}/agree/", {"version": 1, "for_client": True},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert PlanResponse.objects.get().for_client
