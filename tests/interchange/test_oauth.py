"""The OAuth2 client-credentials token endpoint (RFC 6749 §4.4) and the systems' lifecycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.interchange.models import SystemClient, SystemToken
from werkbrug.interchange.services import digest, system_renew_secret, system_revoke

from .conftest import basic, form_post

pytestmark = pytest.mark.django_db


def test_client_credentials_issue_a_short_lived_token_kept_only_as_digest(client, system):
    response = form_post(client, {"grant_type": "client_credentials", "scope": "system/Patient.read"},
                           HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "system/Patient.read"
    assert 0 < body["expires_in"] <= 3600
    assert response["Cache-Control"] == "no-store"
    token = SystemToken.objects.get()
    assert token.digest == digest(body["access_token"]) and body["access_token"] not in token.digest
    # The secret itself is not stored either.
    assert system.secret not in SystemClient.objects.get().secret_digest


def test_secret_in_the_body_works_too(client, system):
    response = form_post(client, {"grant_type": "client_credentials", "client_id": system.client.client_id,
                                            "client_secret": system.secret})
    assert response.status_code == 200


@pytest.mark.parametrize("data, auth, status, error", [
    ({"grant_type": "password"}, "good", 400, "unsupported_grant_type"),
    ({"grant_type": "client_credentials"}, "wrong", 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, "unknown", 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, "garbage", 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "scope": "system/Encounter.read"}, "good", 400, "invalid_scope"),
])
def test_refusals_follow_rfc_6749(client, system, data, auth, status, error):
    headers = {}
    if auth == "good":
        headers["HTTP_AUTHORIZATION"] = basic(system.client.client_id, system.secret)
    elif auth == "wrong":
        headers["HTTP_AUTHORIZATION"] = basic(system.client.client_id, "not-the-secret")
    elif auth == "unknown":
        headers["HTTP_AUTHORIZATION"] = basic("wb-0000000000000000", system.secret)
    elif auth == "garbage":
        headers["HTTP_AUTHORIZATION"] = "Basic %%%"
    response = form_post(client, data, **headers)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert not SystemToken.objects.exists()


def test_only_post_with_a_form(client, system):
    assert client.get("/oauth/token").status_code == 405
    response = client.post("/oauth/token", '{"grant_type": "client_credentials"}', content_type="application/json",
                           HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
    assert response.status_code == 400


def test_renewed_secret_and_revocation_end_old_tokens(client, system, get_token, region_admin, fhir):
    token = get_token(system)
    assert fhir("Patient", bearer=token).status_code == 200
    new_secret = system_renew_secret(actor=region_admin, system=system.client)
    assert fhir("Patient", bearer=token).status_code == 401
    assert form_post(client, {"grant_type": "client_credentials"},
                       HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret)).status_code == 401
    system.secret = new_secret
    token = get_token(system)
    system_revoke(actor=region_admin, system=system.client)
    assert fhir("Patient", bearer=token).status_code == 401
    actions = list(AdministrationEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [EventAction.SYSTEM_REGISTERED, EventAction.SYSTEM_SECRET_RENEWED, EventAction.SYSTEM_REVOKED]


def test_an_expired_token_is_refused(system, get_token, fhir):
    token = get_token(system)
    SystemToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = fhir("Patient", bearer=token)
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_no_token_when_the_acting_person_has_left(client, system, team):
    team.jobcoach.is_active = False
    team.jobcoach.save(update_fields=["is_active"])
    response = form_post(client, {"grant_type": "client_credentials"},
                           HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
    assert response.status_code == 401


def test_a_system_acts_only_for_a_professional_of_its_own_organisation(team, region_admin):
    from django.core.exceptions import ValidationError

    from werkbrug.interchange.services import system_register

    with pytest.raises(ValidationError):
        system_register(actor=region_admin, organisation=team.ggz, name="X", scopes=["system/Patient.read"],
                        acting_person=team.labour_expert)


def test_only_the_region_administrator_registers_systems(team):
    from django.core.exceptions import PermissionDenied

    from werkbrug.interchange.services import system_register

    with pytest.raises(PermissionDenied):
        system_register(actor=team.jobcoach, organisation=team.ggz, name="X", scopes=["system/Patient.read"],
                        acting_person=team.jobcoach)
