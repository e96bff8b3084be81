"""Consent: per organisation and data category, with its period and withdrawal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.clients.models import ConsentState
from werkbrug.core import policy

from ..base import EXTENSION, FhirError, Search, filter_updated, instant
from .common import clients_of, page, patient_ref, readable

if TYPE_CHECKING:
    from werkbrug.core.models import User


def consent(state: ConsentState) -> dict:
    event = state.last_event
    resource = {
        "resourceType": "Consent", "id": str(state.pk),
        "meta": {"versionId": str(state.version), "lastUpdated": instant(event.recorded_at)},
        "status": "active" if state.granted else "inactive",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": EXTENSION + "data-category", "code": state.category}],
                      "text": state.get_category_display()}],
        "patient": patient_ref(state.client),
        "dateTime": instant(event.recorded_at),
        "organization": [{"display": str(state.organisation)}],
        "provision": {
            "type": "permit" if state.granted else "deny",
            "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                            "code": "IRCP"}]}, "reference": {"display": str(state.organisation)}}],
            "class": [{"system": EXTENSION + "data-category", "code": state.category}],
        },
    }
    period = {}
    if event.given_on:
        period["start"] = event.given_on.isoformat()
    if state.valid_until:
        period["end"] = state.valid_until.isoformat()
    if period:
        resource["provision"]["period"] = period
    return resource


def _consent_rows() -> QuerySet[ConsentState]:
    return ConsentState.objects.select_related("client", "organisation", "last_event")


def consent_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    state = _consent_rows().filter(pk=int(pk)).first()
    if state is None:
        raise Http404
    policy.authorize(user, "consent.view", state.client)
    return consent(state)


def consent_search(user: User, search: Search) -> tuple[list[dict], bool]:
    states = _consent_rows().filter(client__in=clients_of(user, search))
    if search.status is not None:
        if search.status not in ("active", "inactive"):
            raise FhirError(400, "invalid", "status is active or inactive")
        states = states.filter(granted=search.status == "active")
    states = filter_updated(states, "last_event__recorded_at", search).order_by("pk")
    rows, more = page(states, search)
    out = []
    for state in rows:
        if readable(user, "consent.view", state.client):
            out.append(consent(state))
    return out, more


