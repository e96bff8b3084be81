"""The FHIR R4 endpoints: `metadata`, and read and search for each resource type in `resources.py`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .base import (
    FHIR_ID,
    base_url,
    bundle,
    fhir_response,
    fhir_view,
    outcome,
    read_body,
    search_params,
)
from .resources import CREATE, HANDLERS, UPDATE


def _accepts_fhir(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "*/*")
    return any(t in accept for t in ("application/fhir+json", "application/json", "*/*"))


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: open to anyone, as FHIR asks."""
    from django.utils import timezone

    resources = [{
        "type": name,
        "interaction": [{"code": "read"}, {"code": "search-type"}]
        + ([{"code": "create"}] if name in CREATE else []) + ([{"code": "update"}] if name in UPDATE else []),
        "searchParam": [{"name": "patient", "type": "reference"}, {"name": "status", "type": "token"},
                        {"name": "_lastUpdated", "type": "date"}, {"name": "_count", "type": "number"}]
        + ([{"name": "identifier", "type": "token"}] if name == "Patient" else [])
        + ([{"name": "questionnaire", "type": "reference"}] if name == "QuestionnaireResponse" else []),
    } for name in HANDLERS] + [{
        "type": "Subscription",
        "interaction": [{"code": c} for c in ("read", "search-type", "create", "update", "delete")],
        "searchParam": [{"name": "status", "type": "token"}],
    }]
    return fhir_response({
        "resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
        "date": timezone.localdate().isoformat(), "fhirVersion": "4.0.1", "format": ["application/fhir+json"],
        "software": {"name": "Werkbrug"}, "implementation": {"description": "Werkbrug FHIR R4", "url": base_url()},
        "rest": [{
            "mode": "server",
            "security": {
                "service": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                         "code": code}]} for code in ("OAuth", "SMART-on-FHIR")],
                "description": (
                    "OAuth2 client credentials at /oauth/token: a client secret, or SMART Backend Services "
                    "(client_assertion signed RS384 or ES384, see .well-known/smart-configuration); scopes "
                    "system/<Type>.read|write or SMART v2 system/<Type>.rs|cud; the person a call acts for "
                    "in the header X-Werkbrug-Acting-Person"),
                "extension": [{"url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                               "extension": [{"url": "token",
                                              "valueUri": base_url().removesuffix("/fhir/R4") + "/oauth/token"}]}],
            },
            "resource": resources,
        }],
    })


def _type_view(resource_type: str):
    read, search = HANDLERS[resource_type]

    @csrf_exempt
    @fhir_view(resource_type)
    def search_view(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and resource_type in CREATE:
            body = read_body(request)
            if body.get("resourceType") != resource_type:
                return outcome(400, "invalid", f"send a {resource_type}")
            resource, pk = CREATE[resource_type](request.user, body)
            response = fhir_response(resource, status=201)
            response["Location"] = f"{base_url()}/{resource_type}/{pk}"
            return response
        if request.method != "GET":
            return outcome(405, "not-supported", "this method is not supported here")
        if not _accepts_fhir(request):
            return outcome(406, "not-supported", "ask for application/fhir+json")
        params = search_params(request)
        if params.questionnaire is not None and resource_type != "QuestionnaireResponse":
            return outcome(400, "not-supported", "questionnaire is a search parameter of QuestionnaireResponse")
        resources, more = search(request.user, params)
        return fhir_response(bundle(resource_type, resources, params, more))

    @csrf_exempt
    @fhir_view(resource_type)
    def read_view(request: HttpRequest, pk: str) -> HttpResponse:
        if not FHIR_ID.fullmatch(pk):
            return outcome(404, "not-found", f"{resource_type} not found")
        if request.method == "PUT" and resource_type in UPDATE:
            # The handler checks access to the named resource before it reads the body.
            return fhir_response(UPDATE[resource_type](request.user, pk, lambda: read_body(request)))
        if request.method != "GET":
            return outcome(405, "not-supported", "this method is not supported here")
        return fhir_response(read(request.user, pk))

    search_view.__name__ = f"{resource_type.lower()}_search"
    read_view.__name__ = f"{resource_type.lower()}_read"
    return search_view, read_view


VIEWS = {name: _type_view(name) for name in HANDLERS}
