"""Patient: the client, by pseudonymous identifier (the BSN only where the policy allows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkbrug.clients.models import Client
from werkbrug.core import policy

from ..base import BSN_SYSTEM, FHIR_ID, PSEUDONYM_SYSTEM, FhirError, Search, filter_updated, instant
from .common import clients_of, page, readable

if TYPE_CHECKING:
    from werkbrug.core.models import User


def patient(user: User, client: Client) -> dict:
    resource = {
        "resourceType": "Patient", "id": client.pseudonym,
        "meta": {"lastUpdated": instant(client.created_at)},
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": client.pseudonym}],
        "active": client.merged_into_id is None,
        "name": [{"family": client.last_name, "given": [client.first_name]}],
        "birthDate": client.date_of_birth.isoformat(),
    }
    # The BSN only where the organisation has the legal basis: the same rule as the client page.
    if client.has_bsn and policy.can(user, "client.view_bsn", client):
        resource["identifier"].append({"system": BSN_SYSTEM, "value": client.reveal_bsn()})
    telecom = [{"system": "email", "value": client.email}] if client.email else []
    telecom += [{"system": "phone", "value": client.phone}] if client.phone else []
    if telecom:
        resource["telecom"] = telecom
    if client.address or client.city:
        resource["address"] = [{"line": [client.address] if client.address else [],
                                "postalCode": client.postcode, "city": client.city, "country": "NL"}]
    return resource


def patient_read(user: User, pk: str) -> dict:
    from werkbrug.clients.selectors import client_by_pseudonym

    return patient(user, client_by_pseudonym(user=user, pseudonym=pk))


def patient_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.status is not None:
        raise FhirError(400, "not-supported", "Patient has no status search")
    clients = clients_of(user, search)
    if search.identifier is not None:
        system, _sep, value = search.identifier.rpartition("|")
        if system not in ("", PSEUDONYM_SYSTEM) or not FHIR_ID.fullmatch(value):
            raise FhirError(400, "not-supported", "search Patient by its pseudonymous identifier")
        clients = clients.filter(pseudonym=value)
    clients = filter_updated(clients, "created_at", search).order_by("pk")
    rows, more = page(clients, search)
    out = []
    for client in rows:
        if readable(user, "client.view", client):
            out.append(patient(user, client))
    return out, more


