"""Reads of clients and consent. Permission-checked fetches go through the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.core import policy

from .models import Client, ConsentEvent, ConsentState, JoinRequest

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["client_get", "client_by_pseudonym", "consent_states", "consent_history", "join_request_get",
           "client_for_merge"]


def client_get(*, user: User, pk: int, action: str = "client.view") -> Client:
    """The client, if `user` may do `action`; the same 404 for missing and not allowed.

    Read together with the facts the policy decides on (`client_with_facts`): this sits on every
    client page and API call, and the decision then needs no round trip of its own."""
    from werkbrug.core.policy.clients import client_with_facts

    client = client_with_facts(user, pk)
    if client is None:
        raise Http404
    policy.authorize(user, action, client)
    return client


def client_check(*, user: User, pk: int, action: str) -> Client:
    """The client for a write whose service authorizes and logs: checked first (`policy.check`),
    the same 404 for missing and not allowed, nothing logged when allowed."""
    from werkbrug.core.policy.clients import client_with_facts

    client = client_with_facts(user, pk)
    if client is None:
        raise Http404
    policy.check(user, action, client)
    return client


def client_by_pseudonym(*, user: User, pseudonym: str, action: str = "client.view") -> Client:
    client = Client.objects.filter(pseudonym=pseudonym).first()
    if client is None:
        raise Http404
    policy.authorize(user, action, client)
    return client


def consent_states(*, client: Client) -> QuerySet[ConsentState]:
    return (
        ConsentState.objects.filter(client=client)
        .select_related("organisation", "last_event")
        .order_by("organisation__name", "category")
    )


def latest_consent_event_id(client: Client) -> int:
    """The id of the client's newest consent event (grant or withdrawal), 0 when there is none."""
    return ConsentEvent.objects.filter(client=client).order_by("-id").values_list("id", flat=True).first() or 0


def consent_history(*, client: Client) -> QuerySet[ConsentEvent]:
    return (
        ConsentEvent.objects.filter(client=client)
        .select_related("organisation", "recorded_by")
        .order_by("-recorded_at", "-id")
    )


def join_request_get(*, user: User, pk: int, action: str = "join_request.view") -> JoinRequest:
    """A request to join a team, for the plan director of its file; the same 404 otherwise."""
    request = (JoinRequest.objects.select_related("trajectory", "trajectory__client", "requested_by",
                                                  "requested_by__organisation", "client")
               .filter(pk=pk).first())
    if request is None:
        raise Http404
    policy.authorize(user, action, request)
    return request


def client_for_merge(*, user: User, pseudonym: str) -> Client:
    """A file of the region administrator's region, by client id, for a merge (logged); a missing
    and a forbidden one answer the same field error."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    client = Client.objects.select_related("region").filter(pseudonym=pseudonym).first()
    try:
        if client is None:
            raise Http404
        policy.authorize(user, "client.merge", client)
    except Http404:
        raise ValidationError(_("There is no file with this client id in your region."), code="unknown") from None
    return client
