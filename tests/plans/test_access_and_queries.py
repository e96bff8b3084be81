"""Cross-region access, consent per category, and query counts that do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.plans import selectors
from werkbrug.plans.services import ActionInput, GoalInput, plan_save
from werkbrug.trajectories.models import Trajectory

from .conftest import goals_for

pytestmark = pytest.mark.django_db


def test_professional_of_another_region_gets_404(client, team, plan_v1, other_region, make_org, make_person):
    stranger = make_person(make_org(OrganisationType.GGZ, "GGZ elders", in_region=other_region), Role.JOBCOACH)
    client.force_login(stranger)
    assert client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404
    assert client.get(f"/api/v1/plans/{team.trajectory.pk}/").status_code == 404


def test_team_member_without_plan_consent_gets_404(client, team, plan_v1):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw
    from werkbrug.core.choices import DataCategory

    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    client.force_login(team.labour_expert)
    assert client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404
    client.force_login(team.jobcoach)  # GGZ still has consent
    assert client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 200


def _big_plan(team, n_goals: int):
    start = team.trajectory.started_on
    goals = [GoalInput(title=f"Doel {g}", actions=[
        ActionInput(title=f"Actie {g}.{a}", owner="client" if a % 2 else str(team.jobcoach.pk), due_on=start + timedelta(days=a))
        for a in range(5)]) for g in range(n_goals)]
    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals, submit=True)


def test_plan_page_queries_do_not_grow_with_the_plan(client, team, django_assert_max_num_queries):
    _big_plan(team, 12)
    client.force_login(team.jobcoach)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk}))
    assert response.status_code == 200 and "Actie 11.4" in response.content.decode()


def test_caseload_annotations_add_no_queries_per_row(team, make_client, django_assert_max_num_queries):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import trajectory_start

    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    for i in range(15):
        c = make_client(team.jobcoach, first_name=f"Extra{i}")
        trajectory_start(client=c, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    with django_assert_max_num_queries(1):
        rows = list(Trajectory.objects.annotate(**selectors.caseload_annotations()).values("pk", "plan_state", "next_action_due"))
    assert len(rows) == 16
    by_pk = {r["pk"]: r for r in rows}
    assert by_pk[team.trajectory.pk]["plan_state"] == "awaiting"
    assert by_pk[team.trajectory.pk]["next_action_due"] == team.trajectory.started_on + timedelta(days=14)
    assert sum(r["plan_state"] == "none" for r in rows) == 15


def test_portal_access_log_page_queries_are_bounded(client, team, client_user, plan_v1, django_assert_max_num_queries):
    for _ in range(30):
        client.force_login(team.jobcoach)
        client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk}))
    client.force_login(client_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:access_log")).status_code == 200
