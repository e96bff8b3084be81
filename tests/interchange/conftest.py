"""Interchange fixtures: a registered system of the team's GGZ organisation, and a token for it;
and, for every test here, every FHIR JSON answer validated with the FHIR library's models."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

import pytest

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.interchange.services import system_register


@pytest.fixture(autouse=True)
def fhir_answers_validate(monkeypatch):
    """Every application/fhir+json body any test client receives in these tests must validate
    with fhir.resources' R4B model of its resourceType (a Bundle with its entries) and be what
    the model serialises back, whatever view built it and whatever FHIR_VALIDATION says:
    "every resource returned in tests validates" is enforced, not sampled."""
    from django.test.client import Client

    from werkbrug.interchange.fhir.base import FHIR_JSON
    from werkbrug.interchange.fhir.validation import check

    original = Client.request
    checked = []

    def request(self, **environ):
        response = original(self, **environ)
        if response.get("Content-Type", "").startswith(FHIR_JSON) and not response.streaming:
            body = json.loads(response.content)
            assert isinstance(body, dict) and "resourceType" in body, response.content[:200]
            check(response.content.decode())  # raises InvalidResource, naming where
            checked.append(body["resourceType"])
        return response

    monkeypatch.setattr(Client, "request", request)
    return checked


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
