"""The platform's own rules, for every role, and the policy engine's guarantees."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType, Role, UserKind
from werkbrug.core.models import AccessLogRecord, User

ALL_ROLES = list(Role)


@pytest.fixture
def people(region, make_org, make_person):
    org = make_org(OrganisationType.MUNICIPALITY)
    return {role: make_person(org, role) for role in ALL_ROLES}


# (action, roles allowed) — every other role is refused.
TABLE = [
    ("organisation.view", set(ALL_ROLES)),  # every professional sees the region's directory
    ("person.view", set(ALL_ROLES)),
    ("organisation.change", {Role.REGION_ADMIN}),
    ("person.change", {Role.REGION_ADMIN}),
    ("access_log.search", {Role.PRIVACY_OFFICER}),
    # The regional dashboard (aggregates only): the portfolio holder reads it, sets no targets.
    ("region_dashboard.view", {Role.MANAGER, Role.PORTFOLIO_HOLDER, Role.REGION_ADMIN}),
    ("region_dashboard.targets", {Role.REGION_ADMIN}),
]


@pytest.mark.parametrize(("action", "allowed"), TABLE, ids=[row[0] for row in TABLE])
def test_platform_rules_for_every_role(people, action, allowed):
    for role, user in people.items():
        assert policy.can(user, action, None) == (role in allowed), (action, role)


def test_clients_and_anonymous_users_get_nothing_of_the_platform(region, people):
    client_user = User.objects.create_user(username="c", kind=UserKind.CLIENT, region=region)
    for action, _allowed in TABLE:
        assert not policy.can(client_user, action, None)
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), "organisation.view", None)


def test_another_regions_organisation_is_not_found(people, make_org, other_region):
    foreign = make_org(OrganisationType.UWV, in_region=other_region)
    with pytest.raises(Http404):
        policy.authorize(people[Role.JOBCOACH], "organisation.view", foreign)


def test_reading_the_access_log_is_itself_logged_and_denials_too(people):
    policy.authorize(people[Role.PRIVACY_OFFICER], "access_log.search")
    with pytest.raises(PermissionDenied):
        policy.authorize(people[Role.JOBCOACH], "access_log.search")
    rows = list(AccessLogRecord.objects.filter(action="access_log.search").order_by("id"))
    assert [r.granted for r in rows] == [True, False]


def test_an_unknown_action_is_a_programming_error_not_a_silent_allow(people):
    with pytest.raises(LookupError):
        policy.can(people[Role.JOBCOACH], "nothing.here", None)


def test_every_rule_module_registers_its_actions():
    actions = policy.registered_actions()
    for expected in ("client.view", "consent.record", "team.change", "access_log.search"):
        assert expected in actions


def test_access_log_page_for_the_privacy_officer_and_nobody_else(client, people):
    client.force_login(people[Role.PRIVACY_OFFICER])
    before = AccessLogRecord.objects.count()
    page = client.get("/access-log/")
    assert page.status_code == 200 and "Inzagelogboek" in page.content.decode()
    assert AccessLogRecord.objects.count() == before + 1
    assert client.get("/access-log/?since=2026-02-01&until=2026-01-01").status_code == 200
    client.force_login(people[Role.MANAGER])
    assert client.get("/access-log/").status_code == 403
    assert client.get("/api/v1/access-log/").status_code == 403


def test_navigation_differs_per_role(client, people):
    client.force_login(people[Role.PRIVACY_OFFICER])
    assert 'href="/access-log/"' in client.get("/").content.decode()
    client.force_login(people[Role.MANAGER])
    assert 'href="/access-log/"' not in client.get("/").content.decode()
