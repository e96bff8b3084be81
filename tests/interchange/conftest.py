"""Interchange fixtures: a registered system of the team's GGZ organisation, and a token for it."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.interchange.services import system_register


@pytest.fixture
def region_admin(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Beheer"), Role.REGION_ADMIN,
                       first_name="Ria", last_name="Beheer")


@pytest.fixture
def system(team, region_admin):
    """The GGZ organisation's record system, acting for the team's jobcoach, with every read scope."""
    from werkbrug.interchange.models import all_scopes

    registered, secret = system_register(actor=region_admin, organisation=team.ggz, name="GGZ-dossier",
                                         scopes=all_scopes(), acting_person=team.jobcoach)
    return SimpleNamespace(client=registered, secret=secret)


def form_post(client, data: dict, **headers):
    """POST to the token endpoint as a form (application/x-www-form-urlencoded), as OAuth2 asks."""
    from urllib.parse import urlencode

    return client.post("/oauth/token", urlencode(data), content_type="application/x-www-form-urlencoded", **headers)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def get_token(client):
    def issue(system, scope: str = "") -> str:
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        response = form_post(client, data, HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
        assert response.status_code == 200, response.content
        return response.json()["access_token"]

    return issue


@pytest.fixture
def fhir(client, system, get_token):
    """fhir(path, token=None): GET /fhir/R4/<path> with the system's bearer token."""
    token = get_token(system)

    def get(path: str, bearer: str | None = None, **extra):
        return client.get(f"/fhir/R4/{path}", HTTP_AUTHORIZATION=f"Bearer {bearer or token}", **extra)

    return get
