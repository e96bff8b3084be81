from __future__ import annotations

import pytest

from werkbrug.core.choices import OrganisationType, Role


@pytest.fixture
def admin(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Beheer"), Role.REGION_ADMIN,
                       first_name="Bea", last_name="Beheer")


@pytest.fixture
def far(other_region, make_org, make_person):
    """A region administrator and a person of another region."""
    from types import SimpleNamespace

    org = make_org(OrganisationType.GGZ, "GGZ Ver", in_region=other_region)
    return SimpleNamespace(
        org=org,
        admin=make_person(org, Role.REGION_ADMIN, first_name="Ver", last_name="Beheer"),
        person=make_person(org, Role.JOBCOACH, first_name="Ver", last_name="Coach"),
    )


@pytest.fixture
def base_url(settings):
    settings.WERKBRUG_BASE_URL = "https://werkbrug.example.nl"
    return settings.WERKBRUG_BASE_URL
