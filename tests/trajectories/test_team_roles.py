"""Team roles mean something: a person joins a team only in a casework role they hold.

The rule is the policy's `team.join` (core/policy/trajectories.py); the web form and the API both
reach it through `team_member_add`.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType, Role, UserKind
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.core.policy.trajectories import TeamSeat
from werkbrug.trajectories.models import TeamMembership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roles", "seat_role", "allowed"),
    [
        ((Role.JOBCOACH,), Role.JOBCOACH, True),  # a role they hold, and a casework one
        ((Role.JOBCOACH, Role.MANAGER), Role.JOBCOACH, True),  # a manager who is also a jobcoach
        ((Role.THERAPIST,), Role.JOBCOACH, False),  # a casework role they do not hold
        ((Role.MANAGER,), Role.MANAGER, False),  # held, but never a team role
        ((Role.MANAGER,), Role.JOBCOACH, False),  # a manager posing as a jobcoach
        ((Role.EDITOR,), Role.EDITOR, False),
        ((Role.RESEARCHER,), Role.THERAPIST, False),
        ((Role.AMBASSADOR,), Role.AMBASSADOR, False),
        ((Role.EXPERIENCE_EXPERT,), Role.EXPERIENCE_EXPERT, True),
        ((), Role.JOBCOACH, False),  # no roles at all
        ((Role.JOBCOACH,), "wizard", False),  # no such role
    ],
)
def test_team_join_rule(make_person, ggz, roles, seat_role, allowed):
    person = make_person(ggz, *roles)
    assert policy.can(person, "team.join", TeamSeat(region_id=ggz.region_id, role=seat_role)) is allowed


def test_team_join_rule_other_region_and_clients(make_person, make_org, other_region, ggz):
    elsewhere = make_person(make_org(OrganisationType.GGZ, "Ver weg", in_region=other_region), Role.JOBCOACH)
    assert not policy.can(elsewhere, "team.join", TeamSeat(region_id=ggz.region_id, role=Role.JOBCOACH))
    client_user = User.objects.create_user(username="c", password="x" * 16, kind=UserKind.CLIENT, region=ggz.region)
    assert not policy.can(client_user, "team.join", TeamSeat(region_id=ggz.region_id, role=Role.JOBCOACH))


def _add(client, team, person, role):
    client.force_login(team.jobcoach)
    return client.post(f"/api/v1/trajectories/{team.trajectory.pk}/team/", {"person": person.pk, "role": role},
                       content_type="application/json")


def test_api_refuses_a_manager_in_any_role(client, team, make_person):
    manager = make_person(team.uwv, Role.MANAGER)
    for role in (Role.MANAGER, Role.LABOUR_EXPERT, Role.THERAPIST):
        response = _add(client, team, manager, role)
        assert response.status_code == 400, response.content
        assert "role" in {e["code"] for e in response.json()["errors"]}
    assert not TeamMembership.objects.filter(person=manager).exists()


def test_api_refuses_a_role_the_person_does_not_hold(client, team, make_person):
    expert = make_person(team.uwv, Role.LABOUR_EXPERT)
    assert _add(client, team, expert, Role.THERAPIST).status_code == 400
    response = _add(client, team, expert, Role.LABOUR_EXPERT)
    assert response.status_code == 201, response.content
    assert TeamMembership.objects.get(person=expert, left_at__isnull=True).role == Role.LABOUR_EXPERT


def test_a_refused_editor_cannot_read_the_care_section(client, team, make_person):
    editor = make_person(team.ggz, Role.EDITOR)
    assert _add(client, team, editor, Role.THERAPIST).status_code == 400
    client.force_login(editor)
    assert client.get(reverse("trajectories:detail", args=[team.trajectory.pk])).status_code == 404


def test_web_form_refuses_and_does_not_offer_non_casework_people(client, team, make_person):
    manager = make_person(team.uwv, Role.MANAGER, first_name="Mona", last_name="Manager")
    client.force_login(team.jobcoach)
    url = reverse("trajectories:team_add", args=[team.trajectory.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Mona Manager" not in page.content.decode()
    response = client.post(url, {"person": manager.pk, "role": Role.JOBCOACH})
    assert response.status_code == 200  # the form again, with the error
    assert not TeamMembership.objects.filter(person=manager).exists()


def test_the_access_log_records_the_role_held(client, team):
    client.force_login(team.labour_expert)
    client.get(reverse("trajectories:detail", args=[team.trajectory.pk]))
    record = AccessLogRecord.objects.filter(actor_id_snapshot=team.labour_expert.pk).order_by("-id").first()
    assert record is not None and record.actor_role == Role.LABOUR_EXPERT
