"""The plumbing of the FHIR R4 interface: system tokens, search parameters, Bundles, OperationOutcome.

Every request is made by a system (OAuth2 client credentials, `../oauth.py`) on behalf of a
person: the one named in the header `X-Werkbrug-Acting-Person` (a user name the region
administrator allowed for this system), else the system's default person. The resource handlers (`resources.py`) read through the same selectors and the
same policy as that person's pages; the access log records the person, and the system in its
purpose ("via <system>").
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from werkbrug.core import context
from werkbrug.core.policy.interchange import may_act_for, system_scope_allows

from .validation import InvalidResource, check

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
MAX_COUNT = 100
DEFAULT_COUNT = 20
MAX_OFFSET = 10_000
PSEUDONYM_SYSTEM = "https://werkbrug.nl/fhir/NamingSystem/client-pseudonym"
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
EXTENSION = "https://werkbrug.nl/fhir/StructureDefinition/"
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
ACTING_PERSON_HEADER = "X-Werkbrug-Acting-Person"


class FhirError(Exception):
    def __init__(self, status: int, code: str, diagnostics: str):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics


def outcome(status: int, code: str, diagnostics: str) -> HttpResponse:
    body = {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}]}
    response = fhir_response(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def fhir_response(body: dict, status: int = 200) -> HttpResponse:
    """Every FHIR answer leaves here. With FHIR_VALIDATION it is first checked against the FHIR
    library's models (`validation.py`): "raise" in tests, so they fail loudly; "log" answers a
    500 OperationOutcome and logs where the resource is wrong (without its values); "off" (the
    default: the check costs more than the request, see docs/interchange.md) sends as built."""
    content = json.dumps(body, ensure_ascii=False, default=str)
    if settings.FHIR_VALIDATION != "off":
        try:
            check(content)
        except InvalidResource as exc:
            if settings.FHIR_VALIDATION == "raise":
                raise
            logger.error("FHIR: Werkbrug built an invalid resource: %s", str(exc)[:2000])
            status = 500
            content = json.dumps({"resourceType": "OperationOutcome", "issue": [{
                "severity": "fatal", "code": "exception", "diagnostics": "the server could not build a valid resource"}]})
    return HttpResponse(content, status=status, content_type=f"{FHIR_JSON}; charset=utf-8")


def base_url() -> str:
    return settings.WERKBRUG_BASE_URL.rstrip("/") + "/fhir/R4"


def instant(value: datetime | None) -> str | None:
    """FHIR instants carry their offset; we give them in Europe/Amsterdam like the pages."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


@dataclass(frozen=True)
class Search:
    count: int
    offset: int
    patient: str | None
    status: str | None
    updated: tuple[tuple[str, datetime], ...]
    identifier: str | None
    query: dict[str, str]
    questionnaire: int | None = None


_PREFIX = re.compile(r"^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T[0-9:.+\-Z]+)?)$")
KNOWN_PARAMS = {"_count", "_offset", "patient", "status", "_lastUpdated", "identifier", "_format", "questionnaire"}


def _bounded(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise FhirError(400, "invalid", f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _moment(text: str) -> datetime:
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            moment = datetime.combine(date.fromisoformat(text), time.min)
    except ValueError as exc:
        raise FhirError(400, "invalid", "_lastUpdated must be a FHIR date or dateTime") from exc
    if moment.year < 1900 or moment.year > 2200:
        raise FhirError(400, "invalid", "_lastUpdated is out of range")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def search_params(request: HttpRequest) -> Search:
    unknown = set(request.GET) - KNOWN_PARAMS
    if unknown:
        raise FhirError(400, "not-supported", f"unknown search parameter: {sorted(unknown)[0][:40]}")
    updated = []
    for raw in request.GET.getlist("_lastUpdated")[:2]:
        match = _PREFIX.match(raw)
        if match is None:
            raise FhirError(400, "invalid", "_lastUpdated must be a FHIR date or dateTime with an optional prefix")
        updated.append((match.group(1) or "eq", _moment(match.group(2))))
    patient = request.GET.get("patient")
    if patient is not None:
        patient = patient.removeprefix("Patient/")
        if not FHIR_ID.fullmatch(patient):
            raise FhirError(400, "invalid", "patient must be Patient/<id>")
    status = request.GET.get("status")
    if status is not None and not re.fullmatch(r"[a-z\-]{1,32}", status):
        raise FhirError(400, "invalid", "status is not a known code")
    identifier = request.GET.get("identifier")
    if identifier is not None and len(identifier) > 200:
        raise FhirError(400, "invalid", "identifier is too long")
    questionnaire = request.GET.get("questionnaire")
    if questionnaire is not None:
        # A reference or the canonical URL: [<base>/]Questionnaire/<id>.
        match = re.fullmatch(r"(?:.{0,200}/)?(?:Questionnaire/)?(\d{1,18})", questionnaire)
        if match is None:
            raise FhirError(400, "invalid", "questionnaire must be Questionnaire/<id>")
        questionnaire = int(match.group(1))
    return Search(
        count=_bounded(request, "_count", DEFAULT_COUNT, 1, MAX_COUNT),
        offset=_bounded(request, "_offset", 0, 0, MAX_OFFSET),
        patient=patient, status=status, updated=tuple(updated), identifier=identifier,
        query={k: v for k, v in request.GET.items() if k not in {"_offset"}}, questionnaire=questionnaire,
    )


def filter_updated(queryset, field: str, search: Search):
    lookups = {"eq": "date", "ge": "gte", "gt": "gt", "le": "lte", "lt": "lt"}
    for prefix, moment in search.updated:
        if prefix == "eq":
            queryset = queryset.filter(**{f"{field}__date": timezone.localtime(moment).date()})
        else:
            queryset = queryset.filter(**{f"{field}__{lookups[prefix]}": moment})
    return queryset


def bundle(resource_type: str, resources: list[dict], search: Search, has_more: bool) -> dict:
    def link(offset: int) -> str:
        query = dict(search.query)
        if offset:
            query["_offset"] = str(offset)
        return f"{base_url()}/{resource_type}" + (f"?{urlencode(sorted(query.items()))}" if query else "")

    links = [{"relation": "self", "url": link(search.offset)}]
    if has_more:
        links.append({"relation": "next", "url": link(search.offset + search.count)})
    if search.offset:
        links.append({"relation": "previous", "url": link(max(0, search.offset - search.count))})
    answer = {"resourceType": "Bundle", "type": "searchset", "link": links}
    if resources:  # FHIR JSON has no empty arrays: no matches, no entry
        answer["entry"] = [{"fullUrl": f"{base_url()}/{r['resourceType']}/{r['id']}", "resource": r,
                            "search": {"mode": "match"}} for r in resources]
    return answer


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or len(header) > 200:
        return None
    return header[7:].strip() or None


MAX_BODY = 64 * 1024


def read_body(request: HttpRequest) -> dict:
    """The request's FHIR JSON resource: bounded in size, nesting and numbers, else a 4xx."""
    from werkbrug.api.parsers import MAX_DEPTH, too_deep
    from werkbrug.core.numbers import MAX_ID

    if request.content_type not in (FHIR_JSON, "application/json"):
        raise FhirError(415, "not-supported", "send application/fhir+json")
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY or len(request.body) > MAX_BODY:
        raise FhirError(413, "too-long", f"a resource is at most {MAX_BODY} bytes")

    def bounded_int(text: str) -> int:
        if len(text.lstrip("-")) > 19 or abs(number := int(text)) > MAX_ID:
            raise ValueError("number too large")
        return number

    try:
        body = json.loads(request.body.decode("utf-8"), parse_int=bounded_int)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise FhirError(400, "structure", "the body is not valid JSON") from exc
    if not isinstance(body, dict) or too_deep(body, MAX_DEPTH):
        raise FhirError(400, "structure", "the body must be one FHIR resource, not nested too deeply")
    return body


def fhir_view(resource_type: str) -> Callable:
    """Authenticate the system, check its token's scope (read for GET, write for the rest), act as
    its person, answer FHIR errors."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from ..selectors import acting_person_find
            from ..services import token_find

            secret = _bearer(request)
            token = token_find(secret) if secret else None
            if token is None or not may_act_for(token.system, token.system.acting_person):
                return outcome(401, "login", "a valid system access token is required")
            mode = "read" if request.method in ("GET", "HEAD") else "write"
            if not system_scope_allows(token.scope_list, resource_type, mode):
                return outcome(403, "forbidden", f"the token has no scope for {resource_type}.{mode}")
            person = token.system.acting_person
            named = request.headers.get(ACTING_PERSON_HEADER)
            if named is not None:
                person = acting_person_find(system=token.system, username=named.strip())
                if person is None:
                    # The same answer for an unknown name and one the system may not act for.
                    return outcome(403, "forbidden", "this system may not act for the person named in "
                                   f"{ACTING_PERSON_HEADER}")
            request.user = person
            request.system = token.system
            # Not reset here: the request middleware restores the context when the request ends,
            # after it has written any refusals recorded inside a transaction (they name the system too).
            context.current.set(replace(context.current.get(), system=str(token.system)))
            try:
                return view(request, *args, **kwargs)
            except FhirError as exc:
                return outcome(exc.status, exc.code, exc.diagnostics)
            except (Http404, PermissionDenied):
                # Missing and forbidden look the same.
                return outcome(404, "not-found", f"{resource_type} not found")

        wrapper.fhir_resource = resource_type  # type: ignore[attr-defined]
        return wrapper

    return decorate
