"""The demo loader: a plan for every trajectory, in every agreement state."""

from __future__ import annotations

import random

import pytest

from werkbrug.core.choices import Role
from werkbrug.plans import demo, selectors
from werkbrug.plans.models import Plan
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state(team, make_client):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory
    from werkbrug.trajectories.services import team_member_add, trajectory_start

    for i in range(4):  # four more trajectories like the team fixture's
        c = make_client(team.jobcoach, first_name=f"Demo{i}")
        t = trajectory_start(client=c, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
        # Each organisation records the consent given to it (the policy's `consent.record`).
        consent_grant(client=c, organisation=team.ggz, category=DataCategory.PLAN, recorded_by=team.jobcoach,
                      method=ConsentMethod.PAPER, evidence="Formulier")
        consent_grant(client=c, organisation=team.uwv, category=DataCategory.PARTICIPATION,
                      recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Formulier")
        team_member_add(trajectory=t, person=team.labour_expert, role=Role.LABOUR_EXPERT, added_by=team.jobcoach)
        consent_grant(client=c, organisation=team.uwv, category=DataCategory.PLAN, recorded_by=team.labour_expert,
                      method=ConsentMethod.PAPER, evidence="Formulier")
    demo.load(team.client.region, random.Random(1))
    assert Plan.objects.count() == 5
    states = set(Trajectory.objects.annotate(**selectors.caseload_annotations()).values_list("plan_state", flat=True))
    assert states == {"agreed", "awaiting", "disagreed", "draft"}
    assert Plan.objects.filter(current_version__number=2).count() == 1  # changed after agreement
