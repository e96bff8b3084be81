"""OAuth2 token endpoint for systems: the client credentials grant (RFC 6749 §4.4).

The system authenticates with HTTP Basic (client_secret_basic) or with `client_id` and
`client_secret` in the form body (client_secret_post); the answer is a short-lived bearer token
for the FHIR interface, limited to the asked scopes (at most the system's own)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from .services import TokenRefused, authenticate_system, token_issue

MAX_BODY = 4096


def _error(refused: TokenRefused) -> JsonResponse:
    body = {"error": refused.code}
    if refused.description:
        body["error_description"] = refused.description
    response = JsonResponse(body, status=refused.status)
    if refused.status == 401:
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


@csrf_exempt
@sensitive_post_parameters("client_secret")
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
        client_id, secret = _credentials(request)
        system = authenticate_system(client_id, secret)
        issued, token_secret = token_issue(system=system, scope=request.POST.get("scope", "")[:2000])
    except TokenRefused as refused:
        return _error(refused)
    except ValueError:
        return _error(TokenRefused("invalid_request"))
    ttl = int((issued.expires_at - issued.created_at).total_seconds())
    response = JsonResponse({"access_token": token_secret, "token_type": "Bearer", "expires_in": ttl,
                             "scope": issued.scopes})
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response
