"""Shared by the resource handlers: which clients a search is about, paging, references."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.clients.models import Client
from werkbrug.core import policy

from ..base import PSEUDONYM_SYSTEM, Search

if TYPE_CHECKING:
    from werkbrug.core.models import User


def patient_ref(client: Client) -> dict:
    return {"reference": f"Patient/{client.pseudonym}",
            "identifier": {"system": PSEUDONYM_SYSTEM, "value": client.pseudonym}}


def practitioner(person) -> dict:
    return {"display": person.get_full_name() or person.username}


def clients_of(user: User, search: Search) -> QuerySet[Client]:
    """The clients a search is about: the named patient (404 when not visible) or the caseload."""
    if search.patient is not None:
        client = Client.objects.filter(pseudonym=search.patient).first()
        if client is None:
            raise Http404
        # As when the person opens the client: logged, granted or refused (then 404).
        policy.authorize(user, "client.view", client)
        return Client.objects.filter(pk=client.pk)
    return policy.scope(user, "client.view", Client.objects.all())


def readable(user: User, action: str, obj) -> bool:
    """In a search, a resource the person may not read is left out (not an error); one they may
    read is authorized, and so logged, as when they open it."""
    if not policy.can(user, action, obj):
        return False
    policy.authorize(user, action, obj)
    return True


def page(queryset: QuerySet, search: Search) -> tuple[list, bool]:
    rows = list(queryset[search.offset: search.offset + search.count + 1])
    return rows[: search.count], len(rows) > search.count


