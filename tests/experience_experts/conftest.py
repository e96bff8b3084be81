"""Fixtures: an experience-expert organisation with experts, a coordinator and a client team."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import LivedExperienceDomain


@pytest.fixture
def ee(region, make_org, make_person, team):
    """Experts Anna (debts, anxiety) and Bert (psychosis) at Ervaringswerk, buddies; Carla at UWV.

    The team's client consents to Ervaringswerk taking part (not to UWV beyond the fixture's own
    consent, which exists: the UWV labour expert is in the team)."""
    org = make_org(OrganisationType.EXPERIENCE_EXPERTS, "Ervaringswerk Test")
    coordinator = make_person(org, Role.EE_COORDINATOR, first_name="Cora", last_name="Coördinator")
    other_coordinator = make_person(org, Role.EE_COORDINATOR, first_name="Olga", last_name="Andere")
    manager = make_person(org, Role.MANAGER, first_name="Max", last_name="Manager")
    admin = make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Test"), Role.REGION_ADMIN,
                        first_name="Rita", last_name="Regiobeheer")
    domains = {name: LivedExperienceDomain.objects.create(region=region, name=name)
               for name in ["Angst", "Psychose", "Schulden", "Depressie en burn-out"]}
    anna = make_person(org, Role.EXPERIENCE_EXPERT, first_name="Anna", last_name="Aalders")
    bert = make_person(org, Role.EXPERIENCE_EXPERT, first_name="Bert", last_name="Bos")
    carla = make_person(team.uwv, Role.EXPERIENCE_EXPERT, first_name="Carla", last_name="Claes")
    profiles = {}
    for person, names in ((anna, ["Schulden", "Angst"]), (bert, ["Psychose"]), (carla, ["Depressie en burn-out", "Schulden"])):
        profiles[person.first_name] = services.profile_create(
            person=person, created_by=admin, contract_hours=Decimal(18), client_contact_limit=Decimal(8),
            coordinator=coordinator, domains=[domains[n] for n in names], higher_vocational=True,
        )
    services.buddy_pair(profile=profiles["Anna"], buddy=profiles["Bert"], changed_by=coordinator)
    # The experience-expert organisation records the consent given to it (`consent.record`).
    consent_grant(client=team.client, organisation=org, category=DataCategory.PARTICIPATION,
                  recorded_by=anna, method=ConsentMethod.PAPER, evidence="Formulier")
    return SimpleNamespace(
        org=org, coordinator=coordinator, other_coordinator=other_coordinator, manager=manager, admin=admin, domains=domains,
        anna=anna, bert=bert, carla=carla, profiles=profiles, team=team,
    )


@pytest.fixture
def api():
    """An API client; tests sign in with `force_authenticate`."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def stranger(other_region, make_org, make_person):
    """A coordinator and manager of another region."""
    from werkbrug.core.choices import OrganisationType, Role

    org = make_org(OrganisationType.EXPERIENCE_EXPERTS, "Elders", in_region=other_region)
    return make_person(org, Role.EE_COORDINATOR, Role.MANAGER, first_name="Sven", last_name="Elders")
