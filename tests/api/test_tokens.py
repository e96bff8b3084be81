"""API tokens: stored as a digest only, expiring, revocable by their owner, gone at sign-out."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone

from werkbrug.api.models import ApiToken
from werkbrug.core.choices import OrganisationType, Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(make_person, make_org):
    return make_person(make_org(OrganisationType.CLIENT_ORGANISATION), Role.EDITOR)


@pytest.fixture
def session(editor):
    http = HttpClient()
    http.force_login(editor)
    return http


def _bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _issue(session) -> dict:
    response = session.post("/api/v1/token/")
    assert response.status_code == 201, response.content
    return response.json()


def test_only_a_digest_of_the_token_is_stored(session, editor):
    issued = _issue(session)
    secret = issued["token"]
    row = ApiToken.objects.get(user=editor)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:8] == issued["prefix"]
    stored = [str(v) for v in ApiToken.objects.filter(user=editor).values_list(flat=False).get()]
    assert secret not in stored
    assert HttpClient().get("/api/v1/organisations/", **_bearer(secret)).status_code == 200
    # A second request gives a new token, never the first one again.
    assert _issue(session)["token"] != secret


def test_tokens_expire_after_the_configured_hours(session, settings):
    settings.API_TOKEN_TTL_HOURS = 10
    secret = _issue(session)["token"]
    row = ApiToken.objects.get()
    assert timedelta(hours=9, minutes=59) < row.expires_at - timezone.now() <= timedelta(hours=10)
    with time_machine.travel(timezone.now() + timedelta(hours=9, minutes=50)):
        assert HttpClient().get("/api/v1/organisations/", **_bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        assert HttpClient().get("/api/v1/organisations/", **_bearer(secret)).status_code == 401


def test_the_lifetime_setting_is_bounded(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import werkbrug.conf.base as base

    monkeypatch.setenv("API_TOKEN_TTL_HOURS", "720")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(base)
    monkeypatch.setenv("API_TOKEN_TTL_HOURS", "10")
    importlib.reload(base)
    assert base.API_TOKEN_TTL_HOURS == 10


def test_signing_out_revokes_the_tokens(editor):
    http = HttpClient()
    assert http.post("/account/login/", {"username": editor.username, "password": PASSWORD}).status_code == 302
    secret = _issue(http)["token"]
    assert HttpClient().get("/api/v1/organisations/", **_bearer(secret)).status_code == 200
    http.post("/account/logout/")
    assert not ApiToken.objects.filter(user=editor).exists()
    assert HttpClient().get("/api/v1/organisations/", **_bearer(secret)).status_code == 401


def test_delete_revokes_the_token_the_request_is_made_with(session):
    first, second = _issue(session)["token"], _issue(session)["token"]
    api = HttpClient()
    assert api.delete("/api/v1/token/", **_bearer(first)).status_code == 204
    assert api.get("/api/v1/organisations/", **_bearer(first)).status_code == 401
    assert api.get("/api/v1/organisations/", **_bearer(second)).status_code == 200
    # In a session there is no current token to revoke.
    assert session.delete("/api/v1/token/").status_code == 404


def test_tokens_are_not_issued_with_tokens(session):
    secret = _issue(session)["token"]
    assert HttpClient().post("/api/v1/token/", **_bearer(secret)).status_code == 404


def test_the_person_lists_and_revokes_their_own_tokens_only(session, editor, make_person, make_org):
    mine = _issue(session)
    listed = session.get("/api/v1/tokens/").json()
    assert [(t["id"], t["prefix"]) for t in listed] == [(mine["id"], mine["prefix"])]
    assert "token" not in listed[0] and "digest" not in listed[0]

    other = make_person(make_org(OrganisationType.CLIENT_ORGANISATION), Role.EDITOR)
    other_session = HttpClient()
    other_session.force_login(other)
    theirs = _issue(other_session)
    # Someone else's token looks like no token at all, and stays valid.
    assert session.delete(f"/api/v1/tokens/{theirs['id']}/").status_code == 404
    assert session.delete("/api/v1/tokens/999999/").status_code == 404
    assert HttpClient().get("/api/v1/organisations/", **_bearer(theirs["token"])).status_code == 200

    assert session.delete(f"/api/v1/tokens/{mine['id']}/").status_code == 204
    assert session.get("/api/v1/tokens/").json() == []
    assert HttpClient().get("/api/v1/organisations/", **_bearer(mine["token"])).status_code == 401


def test_a_person_holds_a_bounded_number_of_tokens(session, editor):
    from werkbrug.api.models import MAX_TOKENS_PER_PERSON

    secrets = [_issue(session)["token"] for _ in range(MAX_TOKENS_PER_PERSON + 2)]
    assert ApiToken.objects.filter(user=editor).count() == MAX_TOKENS_PER_PERSON
    assert HttpClient().get("/api/v1/organisations/", **_bearer(secrets[0])).status_code == 401
    assert HttpClient().get("/api/v1/organisations/", **_bearer(secrets[-1])).status_code == 200


def test_old_plain_text_tokens_are_invalidated_by_the_migration(editor):
    from importlib import import_module

    from django.apps import apps
    from rest_framework.authtoken.models import Token

    legacy = Token.objects.create(user=editor)
    assert HttpClient().get("/api/v1/organisations/", **_bearer(legacy.key)).status_code == 401
    import_module("werkbrug.api.migrations.0002_invalidate_plaintext_tokens").invalidate(apps, None)
    assert not Token.objects.exists()


@pytest.mark.two_factor
def test_no_token_without_a_verified_session_where_two_factors_are_required(jobcoach):
    http = HttpClient()
    assert http.post("/account/login/", {"username": jobcoach.username, "password": PASSWORD}).status_code == 302
    assert http.post("/api/v1/token/").status_code == 403
    assert not ApiToken.objects.filter(user=jobcoach).exists()
