"""OAuth2 token endpoint for systems: the client credentials grant (RFC 6749 §4.4).

The system authenticates with HTTP Basic (client_secret_basic), with `client_id` and
`client_secret` in the form body (client_secret_post), or with a signed JWT (private_key_jwt,
SMART Backend Services: `smart.py`); the answer is a short-lived bearer token for the FHIR
interface, limited to the asked scopes (at most the system's own). Also the SMART configuration
at `/.well-known/smart-configuration` (and under `/fhir/R4/`)."""

from __future__ import annotations

import base64
import binascii
import logging
from urllib.parse import unquote

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from .models import SystemClient
from .services import TokenRefused, authenticate_system, token_issue
from .smart import ALGORITHMS, ASSERTION_TYPE, AssertionRefused, assertion_verify, token_url

logger = logging.getLogger(__name__)

MAX_BODY = 4096


def _error(refused: TokenRefused) -> JsonResponse:
    body = {"error": refused.code}
    if refused.description:
        body["error_description"] = refused.description
    response = JsonResponse(body, status=refused.status)
    if refused.status == 401 and not refused.assertion:
        response["WWW-Authenticate"] = 'Basic realm="werkbrug"'
    response["Cache-Control"] = "no-store"
    return response


@sensitive_variables("secret", "header", "raw")
def _credentials(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            raw = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise TokenRefused("invalid_client", 401) from exc
        client_id, sep, secret = raw.partition(":")
        if not sep:
            raise TokenRefused("invalid_client", 401)
        return unquote(client_id), unquote(secret)
    client_id, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    if not client_id or not secret:
        raise TokenRefused("invalid_client", 401)
    return client_id, secret


def _authenticate(request: HttpRequest) -> SystemClient:
    """The system, by its signed assertion or by its secret (not both: RFC 6749 §2.3)."""
    if "client_assertion" in request.POST or "client_assertion_type" in request.POST:
        if request.headers.get("Authorization") or request.POST.get("client_secret"):
            raise TokenRefused("invalid_request", 400, "use one way of client authentication")
        if request.POST.get("client_assertion_type") != ASSERTION_TYPE:
            raise TokenRefused("invalid_client", 400, assertion=True)
        try:
            system = assertion_verify(request.POST.get("client_assertion", ""))
        except AssertionRefused as refused:
            logger.info("client assertion refused: %s", refused)
            raise TokenRefused("invalid_client", 400, assertion=True) from None
        if request.POST.get("client_id") not in (None, system.client_id):
            raise TokenRefused("invalid_client", 400, assertion=True)
        return system
    client_id, secret = _credentials(request)
    return authenticate_system(client_id, secret)


@csrf_exempt
@sensitive_post_parameters("client_secret", "client_assertion")
@sensitive_variables("secret", "token_secret")
def token(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = JsonResponse({"error": "invalid_request"}, status=405)
        response["Allow"] = "POST"
        return response
    try:
        if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
            raise TokenRefused("invalid_request")
        if request.content_type != "application/x-www-form-urlencoded":
            raise TokenRefused("invalid_request", 400, "send application/x-www-form-urlencoded")
        if request.POST.get("grant_type") != "client_credentials":
            raise TokenRefused("unsupported_grant_type")
        system = _authenticate(request)
        issued, token_secret, scope = token_issue(system=system, scope=request.POST.get("scope", "")[:2000])
    except TokenRefused as refused:
        return _error(refused)
    except ValueError:
        return _error(TokenRefused("invalid_request"))
    ttl = int((issued.expires_at - issued.created_at).total_seconds())
    response = JsonResponse({"access_token": token_secret, "token_type": "Bearer", "expires_in": ttl,
                             "scope": scope})
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def smart_configuration(request: HttpRequest) -> JsonResponse:
    """SMART App Launch 2 discovery (`/.well-known/smart-configuration`): what a backend system
    needs to sign in."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"error": "invalid_request"}, status=405)
        response["Allow"] = "GET"
        return response
    from .models import RESOURCE_TYPES, WRITE_TYPES

    response = JsonResponse({
        "token_endpoint": token_url(),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic", "client_secret_post"],
        "token_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "scopes_supported": [f"system/{t}.rs" for t in RESOURCE_TYPES] + [f"system/{t}.cud" for t in WRITE_TYPES],
        "capabilities": ["client-confidential-asymmetric", "client-confidential-symmetric", "permission-v1",
                         "permission-v2"],
    })
    response["Cache-Control"] = "public, max-age=3600"
    return response
