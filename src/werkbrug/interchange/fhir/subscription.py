"""The Subscription resource: a system's own subscriptions (create, read, search, update, delete).

A system sees and changes only its own subscriptions; another's looks like none (404)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from werkbrug.core.policy.interchange import owns_subscription

from ..models import FhirSubscription, SubscriptionStatus
from ..subscriptions import check_endpoint, check_headers, criteria_types
from .base import (
    FhirError,
    base_url,
    bundle,
    fhir_response,
    fhir_view,
    outcome,
    read_body,
    search_params,
)

BACKPORT_CONTENT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content"
STATUS = {SubscriptionStatus.ACTIVE: "active", SubscriptionStatus.ERROR: "error", SubscriptionStatus.OFF: "off"}


def resource(subscription: FhirSubscription) -> dict:
    body = {
        "resourceType": "Subscription", "id": str(subscription.pk), "status": STATUS[subscription.status],
        "reason": subscription.reason or "Werkbrug", "criteria": subscription.criteria,
        "channel": {"type": "rest-hook", "endpoint": subscription.endpoint,
                    "_payload": {"extension": [{"url": BACKPORT_CONTENT, "valueCode": "empty"}]}},
    }
    if subscription.headers:  # FHIR JSON has no empty arrays
        body["channel"]["header"] = subscription.headers
    if subscription.error:
        body["error"] = subscription.error
    return body


def _values(body: dict) -> dict:
    if body.get("resourceType") != "Subscription":
        raise FhirError(400, "invalid", "send a Subscription")
    criteria = body.get("criteria")
    if criteria not in criteria_types():
        raise FhirError(422, "not-supported", "criteria is one of " + ", ".join(sorted(criteria_types())))
    channel = body.get("channel")
    if not isinstance(channel, dict) or channel.get("type") != "rest-hook":
        raise FhirError(422, "not-supported", "channel.type is rest-hook")
    if channel.get("payload"):
        raise FhirError(422, "not-supported", "notifications carry no payload: leave channel.payload out")
    endpoint = channel.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 500:
        raise FhirError(422, "required", "channel.endpoint is the URL to notify")
    try:
        check_endpoint(endpoint)
        headers = check_headers(channel.get("header"))
    except ValidationError as exc:
        raise FhirError(422, "invalid", exc.messages[0]) from exc
    reason = body.get("reason", "")
    status = body.get("status", "active")
    if status not in ("requested", "active", "off"):
        raise FhirError(422, "code-invalid", "status is requested, active or off")
    return {"criteria": criteria, "endpoint": endpoint, "headers": headers,
            "reason": reason[:200] if isinstance(reason, str) else "",
            "status": SubscriptionStatus.OFF if status == "off" else SubscriptionStatus.ACTIVE}


@csrf_exempt
@fhir_view("Subscription")
def subscriptions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        subscription = FhirSubscription.objects.create(system=request.system, person=request.user,
                                                       **_values(read_body(request)))
        response = fhir_response(resource(subscription), status=201)
        response["Location"] = f"{base_url()}/Subscription/{subscription.pk}"
        return response
    if request.method != "GET":
        return outcome(405, "not-supported", "this method is not supported here")
    params = search_params(request)
    if params.patient or params.updated or params.identifier:
        raise FhirError(400, "not-supported", "Subscription is searched by status only")
    own = FhirSubscription.objects.filter(system=request.system)
    if params.status:
        own = own.filter(status={v: k for k, v in STATUS.items()}.get(params.status, "-"))
    rows = list(own.order_by("pk")[params.offset: params.offset + params.count + 1])
    return fhir_response(bundle("Subscription", [resource(s) for s in rows[: params.count]], params,
                                len(rows) > params.count))


@csrf_exempt
@fhir_view("Subscription")
def subscription(request: HttpRequest, pk: str) -> HttpResponse:
    found = FhirSubscription.objects.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) <= 18 else None
    # Checked first: another system's subscription is not found, whatever was sent.
    if found is None or not owns_subscription(request.system, found):
        raise Http404
    if request.method == "GET":
        return fhir_response(resource(found))
    if request.method == "DELETE":
        found.delete()
        return HttpResponse(status=204)
    if request.method == "PUT":
        body = read_body(request)
        if str(body.get("id")) != pk:
            raise FhirError(400, "invalid", "send the Subscription with its own id")
        values = _values(body)
        for name, value in values.items():
            setattr(found, name, value)
        found.error = ""  # renewed: a subscription in error starts again
        found.save()
        return fhir_response(resource(found))
    return outcome(405, "not-supported", "this method is not supported here")


