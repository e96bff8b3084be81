"""The modules tell the people who must act, through the notification service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from werkbrug.core.choices import Role
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db


def kinds_for(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_plan_sent_for_agreement_tells_the_team_and_the_client(team, client_user):
    from tests.plans.conftest import goals_for
    from werkbrug.plans.services import plan_agree, plan_save

    version = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    assert Kind.PLAN_AGREEMENT_REQUESTED in kinds_for(team.labour_expert)
    assert Kind.PLAN_AGREEMENT_REQUESTED in kinds_for(client_user)
    assert Kind.PLAN_AGREEMENT_REQUESTED not in kinds_for(team.jobcoach)  # not the one who sent it
    for person in (client_user, team.jobcoach, team.labour_expert):
        plan_agree(plan_version=version, person=person)
    assert Kind.PLAN_AGREED in kinds_for(team.jobcoach)


def test_joining_a_team_and_becoming_plan_director_are_told(team, make_person):
    from werkbrug.trajectories.services import plan_director_hand_over, team_member_add

    colleague = make_person(team.ggz, Role.THERAPIST)
    team_member_add(trajectory=team.trajectory, person=colleague, role=Role.THERAPIST, added_by=team.jobcoach)
    assert kinds_for(colleague) == [Kind.TEAM_MEMBER]
    plan_director_hand_over(trajectory=team.trajectory, new_director=colleague, handed_over_by=team.jobcoach)
    assert Kind.PLAN_DIRECTOR in kinds_for(colleague)


def test_a_consent_withdrawn_in_the_portal_tells_the_organisation_and_the_plan_director(team, client_user):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    Notification.objects.all().delete()
    consent_withdraw(client=team.client, organisation=team.uwv, category="signals", recorded_by=client_user,
                     method=ConsentMethod.PORTAL)
    assert kinds_for(team.labour_expert) == [Kind.CONSENT_CHANGED]
    assert kinds_for(team.jobcoach) == [Kind.CONSENT_CHANGED]  # the plan director
    assert kinds_for(client_user) == []  # the client did it
    notice = Notification.objects.get(recipient=team.labour_expert)
    assert notice.title == f"Toestemming gewijzigd (#{team.trajectory.pk})"  # no category, no name


def test_a_deployment_offer_and_its_answer_are_told(ee):
    from werkbrug.experience_experts import services

    today = timezone.localdate()
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=today, period_end=today + timedelta(days=7))
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    assert kinds_for(ee.anna) == [Kind.DEPLOYMENT_OFFERED]
    services.request_decline(request=request, expert=ee.anna)
    assert Kind.DEPLOYMENT_DECLINED in kinds_for(ee.team.jobcoach)
