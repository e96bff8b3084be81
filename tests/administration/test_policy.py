"""The administration rules, one table each."""

from __future__ import annotations

import pytest

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.policy.administration import HandOverSeat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who, allowed", [
    ("region admin", True),       # the region's administrator
    ("far admin", False),         # another region's administrator: 404
    ("own manager", True),        # a manager of the leaver's organisation
    ("other manager", False),     # a manager of another organisation
    ("colleague", False),         # a colleague without a managing role
    ("leaver", False),            # not the leaver themselves
])
def test_who_manages_a_hand_over(team, admin, far, make_person, who, allowed):
    actor = {
        "region admin": lambda: admin, "far admin": lambda: far.admin,
        "own manager": lambda: make_person(team.ggz, Role.MANAGER),
        "other manager": lambda: make_person(team.uwv, Role.MANAGER),
        "colleague": lambda: make_person(team.ggz, Role.JOBCOACH), "leaver": lambda: team.jobcoach,
    }[who]()
    assert policy.can(actor, "handover.manage", team.jobcoach) is allowed


@pytest.mark.parametrize("who, successor, allowed", [
    ("region admin", "colleague", True),
    ("region admin", "other organisation", True),   # the fallback: appointing from the team
    ("own manager", "colleague", True),
    ("own manager", "other organisation", False),   # only the administrator appoints across organisations
    ("far admin", "colleague", False),
])
def test_one_seat(team, admin, far, make_person, who, successor, allowed):
    actor = {"region admin": admin, "far admin": far.admin}.get(who) or make_person(team.ggz, Role.MANAGER)
    person = make_person(team.ggz, Role.JOBCOACH) if successor == "colleague" else team.labour_expert
    decision = policy.decide(actor, "team.hand_over", HandOverSeat(team.trajectory, team.jobcoach, person))
    assert decision.allowed is allowed
    assert decision.client == team.client  # logged either way, as a write in the client's file
    if allowed:
        assert (decision.code, decision.purpose, decision.relation) == ("U", "hand-over", False)


def test_no_seat_no_hand_over(team, admin):
    """Someone who holds no place in this team cannot be 'handed over' into it."""
    decision = policy.decide(admin, "team.hand_over", HandOverSeat(team.trajectory, team.outsider, None))
    assert not decision.allowed


@pytest.mark.parametrize("role, allowed", [
    (Role.REGION_ADMIN, True), (Role.MANAGER, False), (Role.PRIVACY_OFFICER, False), (Role.JOBCOACH, False),
])
def test_administration_pages(make_person, make_org, role, allowed):
    assert policy.can(make_person(make_org(), role), "administration.view") is allowed


@pytest.mark.parametrize("role, allowed", [
    (Role.REGION_ADMIN, True), (Role.MANAGER, True), (Role.JOBCOACH, False), (Role.EDITOR, False),
])
def test_hand_overs_page(make_person, make_org, role, allowed):
    assert policy.can(make_person(make_org(), role), "handover.list") is allowed
