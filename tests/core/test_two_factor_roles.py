"""Two factors for every role that can see client or health data, defined once (TWO_FACTOR_ROLES)."""

import pytest

from werkbrug.core.choices import TWO_FACTOR_ROLES, OrganisationType, Role

PASSWORD = "correct horse battery staple"

# Roles that see neither client-level nor health data (aggregates, content, region-wide topics).
NO_CLIENT_DATA = {Role.MANAGER, Role.EDITOR, Role.AMBASSADOR, Role.PORTFOLIO_HOLDER}


def _login(http, user):
    return http.post("/account/login/", {"username": user.username, "password": PASSWORD})


def test_every_role_but_the_aggregate_and_content_roles_needs_two_factors():
    assert set(Role) - NO_CLIENT_DATA == set(TWO_FACTOR_ROLES)
    assert Role.EE_COORDINATOR in TWO_FACTOR_ROLES  # reads the experts' wellbeing check-ins


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_the_user_rule_follows_the_one_list(make_person, make_org, role):
    person = make_person(make_org(OrganisationType.EXPERIENCE_EXPERTS), role)
    assert person.needs_two_factor


@pytest.mark.two_factor
def test_experience_expert_coordinator_must_pass_two_factor_on_pages_and_api(client, make_person, make_org):
    coordinator = make_person(make_org(OrganisationType.EXPERIENCE_EXPERTS), Role.EE_COORDINATOR)
    _login(client, coordinator)
    page = client.get("/organisations/")
    assert page.status_code == 302 and page["Location"].startswith("/account/2fa/setup/")
    api = client.get("/api/v1/organisations/")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
