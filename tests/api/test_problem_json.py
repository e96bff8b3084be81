"""API errors are application/problem+json, in Dutch or English by Accept-Language."""

from unittest import mock

import pytest
from django.db import OperationalError

from werkbrug.core.choices import OrganisationType, Role


@pytest.fixture
def api(client, make_person, make_org):
    editor = make_person(make_org(OrganisationType.CLIENT_ORGANISATION), Role.EDITOR)
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Dit is niet gevonden."), ("en", "This was not found."), ("en-GB,en;q=0.9", "This was not found.")],
)
def test_not_found_in_the_asked_language(api, language, title):
    response = api.get("/api/v1/organisations/999999/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == title and body["status"] == 404 and body["type"].endswith("/not_found")


@pytest.mark.parametrize(("language", "title"), [("nl", "U bent niet ingelogd."), ("en", "You are not signed in.")])
def test_not_signed_in(client, db, language, title):
    response = client.get("/api/v1/organisations/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code in (401, 403)
    assert response.json()["title"] in (title, "U mag dit niet doen.", "You are not allowed to do this.")


@pytest.mark.parametrize(("language", "title"), [("nl", "U mag dit niet doen."), ("en", "You are not allowed to do this.")])
def test_forbidden(api, language, title):
    response = api.get("/api/v1/access-log/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert response.json()["title"] == title


def test_validation_errors_name_the_field(api):
    from rest_framework import serializers

    from werkbrug.api.exceptions import problem_exception_handler

    exc = serializers.ValidationError({"hours": ["Moet groter zijn dan 0."]})
    response = problem_exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data["errors"] == [{"field": "hours", "message": "Moet groter zijn dan 0.", "code": "invalid"}]


def test_database_unreachable_answers_503_problem(api):
    with mock.patch("werkbrug.core.api.views.Organisation.objects.filter", side_effect=OperationalError("down")):
        response = api.get("/api/v1/organisations/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "Nothing was saved" in response.json()["title"]


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200 and "/api/v1/organisations/" in docs.content.decode()


def test_token_authentication(api, client):
    token = api.post("/api/v1/token/").json()["token"]
    from django.test import Client

    fresh = Client()
    assert fresh.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert fresh.get("/api/v1/organisations/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_service_error_codes_reach_the_api_client():
    from django.core.exceptions import ValidationError

    from werkbrug.api.exceptions import problem_exception_handler

    exc = ValidationError({"person": ValidationError("Geen toestemming.", code="no_consent")})
    response = problem_exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data["code"] == "no_consent"
    assert response.data["errors"] == [{"field": "person", "message": "Geen toestemming.", "code": "no_consent"}]
