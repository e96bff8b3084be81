"""Writes of the interchange: registering systems, their persons and keys, renewing their secret,
revoking, tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.administration.models import EventAction
from werkbrug.administration.services.audit import event_record
from werkbrug.core import policy
from werkbrug.core.models import Organisation, User
from werkbrug.core.policy.interchange import may_act_for

from .models import SystemClient, SystemToken, all_scopes
from .scopes import UnknownScope, grant
from .smart import parse_jwks


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_scopes(scopes: list[str]) -> str:
    known = set(all_scopes())
    unknown = [s for s in scopes if s not in known]
    if unknown or not scopes:
        raise ValidationError({"scopes": ValidationError(_("Choose at least one known scope."), code="scopes")})
    return " ".join(sorted(set(scopes)))


def _check_persons(system: SystemClient, persons: list[User]) -> list[User]:
    if any(not may_act_for(system, person) for person in persons):
        raise ValidationError({"persons": ValidationError(
            _("Choose active professionals of this organisation."), code="persons")})
    return persons


@transaction.atomic
def system_register(
    *, actor: User, organisation: Organisation, name: str, scopes: list[str], acting_person: User,
    persons: list[User] | None = None, jwks: str = "",
) -> tuple[SystemClient, str]:
    """Register a system for `organisation`; returns it and its secret (shown once, never stored).
    `persons`: whom a call may name besides the default `acting_person`; `jwks`: the public keys
    for SMART Backend Services, as pasted."""
    policy.authorize(actor, "system.manage", organisation)
    system = SystemClient(region_id=organisation.region_id, organisation=organisation, name=name.strip(),
                          created_by=actor, client_id="wb-" + secrets.token_hex(8))
    if not may_act_for(system, acting_person):
        raise ValidationError({"acting_person": ValidationError(
            _("Choose an active professional of this organisation."), code="acting_person")})
    system.acting_person = acting_person
    system.scopes = _check_scopes(scopes)
    persons = _check_persons(system, list(persons or []))
    system.jwks = parse_jwks(jwks)
    secret = secrets.token_urlsafe(32)
    system.secret_digest = digest(secret)
    system.save()
    system.persons.set(persons)
    event_record(actor=actor, action=EventAction.SYSTEM_REGISTERED, region_id=system.region_id,
                 organisation=organisation, person=acting_person,
                 after={"name": system.name, "client_id": system.client_id, "scopes": system.scopes,
                        "persons": sorted(p.pk for p in persons), "keys": _key_ids(system.jwks)})
    return system, secret


def _key_ids(jwks: dict) -> list[str]:
    return [str(key.get("kid") or key.get("kty")) for key in jwks.get("keys", [])]


@transaction.atomic
def system_change(*, actor: User, system: SystemClient, acting_person: User, persons: list[User], jwks: str
                  ) -> SystemClient:
    """Change whom the system acts for (its default person and the persons a call may name) and its
    public keys. A person taken off can no longer be named from the next call on."""
    policy.authorize(actor, "system.manage", system)
    system = SystemClient.objects.select_for_update().get(pk=system.pk)
    if not system.is_active:
        raise ValidationError(_("This system has been revoked."), code="revoked")
    if not may_act_for(system, acting_person):
        raise ValidationError({"acting_person": ValidationError(
            _("Choose an active professional of this organisation."), code="acting_person")})
    persons = _check_persons(system, persons)
    before = {"acting_person": system.acting_person_id, "persons": sorted(system.persons.values_list("pk", flat=True)),
              "keys": _key_ids(system.jwks)}
    system.acting_person = acting_person
    system.jwks = parse_jwks(jwks)
    system.save(update_fields=["acting_person", "jwks"])
    system.persons.set(persons)
    event_record(actor=actor, action=EventAction.SYSTEM_CHANGED, region_id=system.region_id,
                 organisation=system.organisation, person=acting_person, before=before,
                 after={"acting_person": acting_person.pk, "persons": sorted(p.pk for p in persons),
                        "keys": _key_ids(system.jwks)})
    return system


@transaction.atomic
def system_renew_secret(*, actor: User, system: SystemClient) -> str:
    """A new secret; the old one and every token issued with it stop working at once."""
    policy.authorize(actor, "system.manage", system)
    system = SystemClient.objects.select_for_update().get(pk=system.pk)
    if not system.is_active:
        raise ValidationError(_("This system has been revoked."), code="revoked")
    secret = secrets.token_urlsafe(32)
    system.secret_digest = digest(secret)
    system.save(update_fields=["secret_digest"])
    system.tokens.all().delete()
    event_record(actor=actor, action=EventAction.SYSTEM_SECRET_RENEWED, region_id=system.region_id,
                 organisation=system.organisation, after={"client_id": system.client_id})
    return secret


@transaction.atomic
def system_revoke(*, actor: User, system: SystemClient) -> SystemClient:
    policy.authorize(actor, "system.manage", system)
    system = SystemClient.objects.select_for_update().get(pk=system.pk)
    if system.is_active:
        system.revoked_at = timezone.now()
        system.save(update_fields=["revoked_at"])
        system.tokens.all().delete()
        event_record(actor=actor, action=EventAction.SYSTEM_REVOKED, region_id=system.region_id,
                     organisation=system.organisation, after={"client_id": system.client_id})
    return system


class TokenRefused(Exception):
    """OAuth2 error (RFC 6749 §5.2): `code` is the error code, `status` the HTTP status."""

    def __init__(self, code: str, status: int = 400, description: str = "", *, assertion: bool = False):
        super().__init__(code)
        self.code, self.status, self.description, self.assertion = code, status, description, assertion


def authenticate_system(client_id: str, secret: str) -> SystemClient:
    system = SystemClient.objects.filter(client_id=client_id[:40], revoked_at__isnull=True).first()
    # Compare digests in constant time; an unknown client costs the same as a wrong secret.
    expected = system.secret_digest if system is not None else digest(secrets.token_hex(16))
    if not secrets.compare_digest(expected, digest(secret)) or system is None:
        raise TokenRefused("invalid_client", 401)
    return system


@transaction.atomic
def token_issue(*, system: SystemClient, scope: str) -> tuple[SystemToken, str, str]:
    """A short-lived access token for the asked scopes (all of the system's when none asked), in
    SMART v1 or v2 form (`scopes.py`); returns the token, its secret and the granted scope as the
    answer states it."""
    try:
        granted = grant(scope, system.scope_list)
    except UnknownScope:
        raise TokenRefused("invalid_scope") from None
    if not may_act_for(system, system.acting_person):
        # The person the system acts for has left: no token until the administrator chooses another.
        raise TokenRefused("invalid_client", 401, _("The person this system acts for is no longer active."))
    SystemToken.objects.filter(system=system, expires_at__lte=timezone.now()).delete()
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    ttl = timedelta(seconds=settings.SYSTEM_TOKEN_TTL_SECONDS)
    token = SystemToken.objects.create(system=system, digest=digest(secret), scopes=" ".join(granted.scopes),
                                       created_at=now, expires_at=now + ttl)
    return token, secret, granted.answer


def token_find(secret: str) -> SystemToken | None:
    return (SystemToken.objects.select_related("system", "system__acting_person", "system__acting_person__organisation")
            .filter(digest=digest(secret), expires_at__gt=timezone.now(), system__revoked_at__isnull=True).first())
