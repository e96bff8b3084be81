"""Errors as `application/problem+json` (RFC 9457), in Dutch or English by Accept-Language."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "https://werkbrug.nl/problems/"


def _titles() -> dict[int, str]:
    return {
        400: _("The request is not valid."),
        401: _("You are not signed in."),
        403: _("You are not allowed to do this."),
        404: _("This was not found."),
        405: _("This method is not allowed here."),
        409: _("Someone else changed this in the meantime."),
        415: _("This content type is not supported."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _("Something went wrong on our side."),
        503: _("Werkbrug is temporarily unavailable. Nothing was saved; try again shortly."),
    }


def problem_body(status_code: int, code: str, detail=None, errors=None) -> dict:
    body = {
        "type": PROBLEM_TYPE + code,
        "title": _titles().get(status_code, _("The request could not be handled.")),
        "status": status_code,
        "code": code,
    }
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    return body


def problem_response(status_code: int, code: str, detail=None, errors=None) -> JsonResponse:
    return JsonResponse(
        problem_body(status_code, code, detail, errors),
        status=status_code,
        content_type="application/problem+json",
    )


def _flatten(detail, prefix: str = "") -> list[dict]:
    errors = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if not prefix else f"{prefix}.{key}"
            errors.extend(_flatten(value, "" if key == "non_field_errors" and not prefix else name))
    elif isinstance(detail, list):
        for item in detail:
            errors.extend(_flatten(item, prefix))
    else:
        errors.append({"field": prefix or None, "message": str(detail), "code": getattr(detail, "code", "invalid")})
    return errors


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Keep the services' error codes (`no_consent`, `stale` …): API clients act on them.
        detail = get_error_detail(exc)
        exc = exceptions.ValidationError(detail if isinstance(detail, dict) else {"non_field_errors": detail})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        from django.db import InterfaceError, OperationalError

        if isinstance(exc, OperationalError | InterfaceError):
            return Response(
                problem_body(503, "service_unavailable"),
                status=503,
                content_type="application/problem+json",
            )
        return None
    code = "invalid" if isinstance(exc, exceptions.ValidationError) else getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        codes = {e["code"] for e in _flatten(exc.detail)}
        if len(codes) == 1:
            code = codes.pop()  # one reason: say it at the top too
    detail = None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(e["message"] for e in errors)
    elif isinstance(exc, exceptions.APIException):
        # The localised default messages only; custom details pass through as given.
        detail = exc.detail if exc.detail != exc.default_detail else None
    if response.status_code == status.HTTP_409_CONFLICT:
        code = "conflict"
    response.data = problem_body(response.status_code, code, detail, errors)
    response.content_type = "application/problem+json"
    return response


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "conflict"
