"""SMART Backend Services: a system signs in with a JWT signed by its own key (RFC 7523), and asks
for scopes in SMART v2 form."""

from __future__ import annotations

import json
import time
import uuid
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.interchange.models import SystemToken, UsedAssertion
from werkbrug.interchange.services import system_change

from .conftest import basic, form_post

pytestmark = pytest.mark.django_db

TOKEN_URL = "https://werkbrug.test/oauth/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def public_jwk(private_key, kid: str) -> dict:
    if isinstance(private_key, rsa.RSAPrivateKey):
        jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
        jwk["alg"] = "RS384"
    else:
        jwk = json.loads(ECAlgorithm.to_jwk(private_key.public_key()))
        jwk["alg"] = "ES384"
    jwk["kid"] = kid
    return jwk


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(
        rsa=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec=ec.generate_private_key(ec.SECP384R1()),
        other=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


@pytest.fixture
def smart_system(system, region_admin, team, keys):
    jwks = {"keys": [public_jwk(keys.rsa, "rsa-1"), public_jwk(keys.ec, "ec-1")]}
    system_change(actor=region_admin, system=system.client, acting_person=team.jobcoach, persons=[],
                  jwks=json.dumps(jwks))
    return system.client


def claims(client_id: str, **changes) -> dict:
    now = int(time.time())
    body = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "exp": now + 240, "jti": uuid.uuid4().hex}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def sign(payload: dict, key, alg: str = "RS384", kid: str | None = "rsa-1") -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid} if kid else None)


def ask(client, assertion: str, **extra):
    headers = {k: extra.pop(k) for k in list(extra) if k.startswith("HTTP_")}
    data = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion, **extra}
    return form_post(client, data, **headers)


@pytest.mark.parametrize("alg, kid", [("RS384", "rsa-1"), ("ES384", "ec-1"), ("RS384", None)])
def test_a_signed_assertion_gets_a_token_that_reads(client, smart_system, keys, alg, kid):
    key = keys.rsa if alg == "RS384" else keys.ec
    response = ask(client, sign(claims(smart_system.client_id), key, alg, kid), scope="system/Patient.rs")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "system/Patient.rs"
    assert SystemToken.objects.get().scopes == "system/Patient.read"
    read = client.get("/fhir/R4/Patient", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert read.status_code == 200
    # The jti is kept until the assertion expires.
    assert UsedAssertion.objects.filter(system=smart_system).count() == 1


def hs256(payload: dict, secret: bytes) -> str:
    """Signed by hand: PyJWT rightly refuses to use a public key as an HMAC secret."""
    import base64
    import hashlib
    import hmac

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing = part(b'{"alg":"HS256","kid":"rsa-1","typ":"JWT"}') + "." + part(json.dumps(payload).encode())
    return signing + "." + part(hmac.new(secret, signing.encode(), hashlib.sha256).digest())


def _none_token(client_id: str) -> str:
    return jwt.encode(claims(client_id), None, algorithm="none")


@pytest.mark.parametrize("case", [
    "wrong_aud", "expired", "too_far_ahead", "wrong_key", "alg_none", "hs256", "sub_differs", "unknown_iss",
    "no_jti", "garbage", "wrong_type", "ps256",
])
def test_refused_assertions_are_invalid_client(client, smart_system, keys, case):
    cid = smart_system.client_id
    extra = {}
    if case == "wrong_aud":
        assertion = sign(claims(cid, aud="https://elders.test/oauth/token"), keys.rsa)
    elif case == "expired":
        assertion = sign(claims(cid, exp=int(time.time()) - 5), keys.rsa)
    elif case == "too_far_ahead":
        assertion = sign(claims(cid, exp=int(time.time()) + 600), keys.rsa)
    elif case == "wrong_key":
        assertion = sign(claims(cid), keys.other)
    elif case == "alg_none":
        assertion = _none_token(cid)
    elif case == "hs256":
        # A public key's text used as an HMAC secret: the classic confusion attack.
        assertion = hs256(claims(cid), json.dumps(public_jwk(keys.rsa, "rsa-1")).encode())
    elif case == "sub_differs":
        assertion = sign(claims(cid, sub="wb-someone-else"), keys.rsa)
    elif case == "unknown_iss":
        assertion = sign(claims("wb-0000000000000000", sub="wb-0000000000000000"), keys.rsa)
    elif case == "no_jti":
        assertion = sign(claims(cid, jti=None), keys.rsa)
    elif case == "garbage":
        assertion = "not.a.jwt"
    elif case == "wrong_type":
        assertion = sign(claims(cid), keys.rsa)
        extra["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"
    else:  # an algorithm other than RS384/ES384, with the right key
        assertion = sign(claims(cid), keys.rsa, "PS256")
    response = ask(client, assertion, **extra)
    assert response.status_code in (400, 401)
    assert response.json() == {"error": "invalid_client"}
    assert not SystemToken.objects.exists()


def test_a_replayed_assertion_is_refused(client, smart_system, keys):
    assertion = sign(claims(smart_system.client_id), keys.rsa)
    assert ask(client, assertion).status_code == 200
    again = ask(client, assertion)
    assert again.status_code == 400 and again.json()["error"] == "invalid_client"
    assert SystemToken.objects.count() == 1


def test_a_revoked_system_cannot_sign_in(client, smart_system, keys, region_admin):
    from werkbrug.interchange.services import system_revoke

    system_revoke(actor=region_admin, system=smart_system)
    assert ask(client, sign(claims(smart_system.client_id), keys.rsa)).status_code == 400


def test_assertion_and_secret_together_are_refused(client, smart_system, system, keys):
    response = ask(client, sign(claims(smart_system.client_id), keys.rsa),
                   HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("scope, status, answer, stored", [
    ("system/Patient.rs system/Communication.c", 200, "system/Patient.rs system/Communication.cud",
     "system/Patient.read system/Communication.write"),
    ("system/Patient.r", 200, "system/Patient.rs", "system/Patient.read"),  # read always includes search
    ("system/Patient.read", 200, "system/Patient.read", "system/Patient.read"),  # SMART v1 as before
    ("system/Patient.cruds", 400, None, None),  # Patient has no write scope
    ("system/Encounter.rs", 400, None, None),
    ("patient/Patient.rs", 400, None, None),
    ("system/Patient.sr", 400, None, None),  # v2 permissions are in the order c r u d s
])
def test_smart_v2_scopes_map_onto_werkbrugs_own(client, system, scope, status, answer, stored):
    response = form_post(client, {"grant_type": "client_credentials", "scope": scope},
                         HTTP_AUTHORIZATION=basic(system.client.client_id, system.secret))
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["scope"] == answer
        assert SystemToken.objects.get().scopes == stored
    else:
        assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("path", ["/.well-known/smart-configuration", "/fhir/R4/.well-known/smart-configuration"])
def test_smart_configuration_is_advertised(client, path):
    body = client.get(path).json()
    assert body["token_endpoint"] == TOKEN_URL
    assert "private_key_jwt" in body["token_endpoint_auth_methods_supported"]
    assert body["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    assert "client-confidential-asymmetric" in body["capabilities"]
    assert "system/QuestionnaireResponse.cud" in body["scopes_supported"]
    assert client.post(path).status_code == 405


def test_capability_statement_names_smart(client):
    security = client.get("/fhir/R4/metadata").json()["rest"][0]["security"]
    codes = {c["code"] for s in security["service"] for c in s["coding"]}
    assert codes == {"OAuth", "SMART-on-FHIR"}
    assert "X-Werkbrug-Acting-Person" in security["description"]
    resources = {r["type"]: {i["code"] for i in r["interaction"]}
                 for r in client.get("/fhir/R4/metadata").json()["rest"][0]["resource"]}
    assert "create" in resources["QuestionnaireResponse"] and "create" not in resources["Questionnaire"]


@pytest.mark.parametrize("jwks, error", [
    ("{not json", "JWK Set"),
    ('{"keys": []}', "JWK Set"),
    ("private", ""),  # a private key is refused whole
    ("small", "2048"),
    ("p256", "P-384"),
    ("x" * 20000, "16 KB"),
])
def test_only_usable_public_keys_are_registered(system, region_admin, team, keys, jwks, error):
    from django.core.exceptions import ValidationError

    if jwks == "private":
        jwk = json.loads(RSAAlgorithm.to_jwk(keys.rsa))
        jwks = json.dumps({"keys": [jwk]})
    elif jwks == "small":
        small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (refused: the point)
        jwks = json.dumps({"keys": [public_jwk(small, "s")]})
    elif jwks == "p256":
        jwks = json.dumps({"keys": [json.loads(ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()))]})
    with pytest.raises(ValidationError) as raised:
        system_change(actor=region_admin, system=system.client, acting_person=team.jobcoach, persons=[], jwks=jwks)
    assert list(raised.value.error_dict) == ["jwks"] and error in " ".join(raised.value.messages)
    assert not AdministrationEvent.objects.filter(action=EventAction.SYSTEM_CHANGED).exists()
