"""SMART Backend Services: a system authenticates with a JWT signed by its own private key.

HL7 SMART App Launch 2, "Backend Services" (and RFC 7523 §2.2): the token request carries
`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a
`client_assertion`, a JWT signed RS384 or ES384 with a key whose public half the region
administrator registered for the system (a JWK Set, pasted; Werkbrug does not fetch key URLs).
The JWT's `iss` and `sub` are the client id, `aud` is the token endpoint's absolute URL, `exp` at
most five minutes ahead, and its `jti` is used once: it is kept until `exp` and a second use is
refused. Every failure is the same `invalid_client` (RFC 6749 §5.2), saying no more than that.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SystemClient, UsedAssertion

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ("RS384", "ES384")
MAX_ASSERTION = 8192
MAX_LIFETIME = timedelta(minutes=5)
MAX_JWKS_BYTES = 16 * 1024
MAX_KEYS = 5
MIN_RSA_BITS = 2048
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def token_url() -> str:
    return settings.WERKBRUG_BASE_URL.rstrip("/") + "/oauth/token"


class AssertionRefused(Exception):
    """Why an assertion was refused: for the server's log, never for the caller."""


def _key_error(message: str) -> ValidationError:
    return ValidationError({"jwks": ValidationError(message, code="jwks")})


def parse_jwks(text: str) -> dict:
    """The pasted JWK Set, checked: public RSA (≥ 2048 bits) or EC P-384 keys only, at most five,
    each usable with RS384 or ES384; `{}` for an empty text."""
    text = (text or "").strip()
    if not text:
        return {}
    if len(text.encode()) > MAX_JWKS_BYTES:
        raise _key_error(_("The key set is too large (at most 16 KB)."))
    try:
        data = json.loads(text)
    except ValueError:
        raise _key_error(_("Paste the public keys as a JWK Set in JSON: {\"keys\": [...]}.")) from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        raise _key_error(_("Paste the public keys as a JWK Set in JSON: {\"keys\": [...]}, one to five keys."))
    for key in keys:
        if not isinstance(key, dict) or PRIVATE_MEMBERS & set(key):
            raise _key_error(_("Paste only public keys: this set contains a private key, which must never leave "
                               "the system."))
        try:
            jwk = jwt.PyJWK.from_dict(key)
        except (jwt.exceptions.PyJWTError, ValueError, TypeError, KeyError):
            raise _key_error(_("A key in the set cannot be read.")) from None
        kind = key.get("kty")
        if kind == "RSA":
            if jwk.key.key_size < MIN_RSA_BITS:
                raise _key_error(_("An RSA key has at least 2048 bits."))
        elif not (kind == "EC" and key.get("crv") == "P-384"):
            raise _key_error(_("Use RSA keys (RS384) or EC keys on the P-384 curve (ES384)."))
        if key.get("alg") not in (None, *ALGORITHMS):
            raise _key_error(_("A key is for RS384 or ES384."))
    return {"keys": keys}


def _candidate_keys(system: SystemClient, header: dict) -> list:
    alg, kid = header.get("alg"), header.get("kid")
    kty = "RSA" if alg == "RS384" else "EC"
    keys = []
    for key in (system.jwks or {}).get("keys", []):
        if key.get("kty") != kty or key.get("alg") not in (None, alg) or (kid is not None and key.get("kid") != kid):
            continue
        try:
            keys.append(jwt.PyJWK.from_dict(key, algorithm=alg).key)
        except (jwt.exceptions.PyJWTError, ValueError, TypeError, KeyError):
            continue
    return keys


def assertion_verify(assertion: str) -> SystemClient:
    """The system that signed `assertion`, once; AssertionRefused otherwise."""
    now = timezone.now()
    if not assertion or len(assertion) > MAX_ASSERTION:
        raise AssertionRefused("missing or too long")
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.exceptions.PyJWTError as exc:
        raise AssertionRefused("not a JWT") from exc
    # The algorithm is ours to choose, never the token's: `none`, HS256 (a public key used as an
    # HMAC secret) and everything else are refused before any key is touched.
    if header.get("alg") not in ALGORITHMS:
        raise AssertionRefused("algorithm")
    client_id = unverified.get("iss")
    if not isinstance(client_id, str) or not client_id or len(client_id) > 40:
        raise AssertionRefused("iss")
    system = SystemClient.objects.filter(client_id=client_id, revoked_at__isnull=True).first()
    if system is None:
        raise AssertionRefused("unknown client")
    claims = None
    for key in _candidate_keys(system, header):
        try:
            claims = jwt.decode(
                assertion, key, algorithms=[header["alg"]], audience=token_url(), issuer=client_id,
                options={"require": ["iss", "sub", "aud", "exp", "jti"]},
            )
            break
        except jwt.exceptions.InvalidSignatureError:
            continue
        except jwt.exceptions.PyJWTError as exc:
            raise AssertionRefused(str(exc)) from exc
    if claims is None:
        raise AssertionRefused("no key of the system verifies the signature")
    if claims["sub"] != client_id:
        raise AssertionRefused("sub")
    expires = datetime.fromtimestamp(claims["exp"], tz=UTC)
    if expires > now + MAX_LIFETIME:
        raise AssertionRefused("exp more than five minutes ahead")
    jti = claims["jti"]
    if not isinstance(jti, str) or not 1 <= len(jti) <= 255:
        raise AssertionRefused("jti")
    _spend(system, jti, expires, now)
    return system


def _spend(system: SystemClient, jti: str, expires: datetime, now: datetime) -> None:
    UsedAssertion.objects.filter(system=system, expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(system=system, jti=jti, expires_at=expires)
    except IntegrityError as exc:
        raise AssertionRefused("jti replayed") from exc
