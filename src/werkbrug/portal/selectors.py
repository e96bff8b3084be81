"""Reads for the client portal. `portal_client` is the permission-checked fetch: the signed-in
client's own record, authorized once per request (one access-log record, "own file").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.clients.models import Client, ConsentState
from werkbrug.core import policy
from werkbrug.core.access_log import access_log_for_client
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord, Organisation
from werkbrug.trajectories.models import TeamMembership, Trajectory

try:
    from werkbrug.collaboration.selectors import signals_for_client
except ImportError:  # the signals module is another team's; the portal works without it
    signals_for_client = None

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["portal_client", "portal_trajectory", "portal_team", "portal_consents", "portal_access_log", "portal_signals",
           "professional_recordings"]


def own_client(user: User) -> Client:
    client = Client.objects.select_related("region").filter(user_id=user.pk).first() if user.is_authenticated else None
    if client is None or not user.is_client:
        raise Http404
    return client


def portal_client(*, user: User, action: str = "portal.view") -> Client:
    """The signed-in client's own record; 404 for anyone who is not a client with a record."""
    client = own_client(user)
    policy.authorize(user, action, client)
    return client


def portal_trajectory(*, client: Client) -> Trajectory | None:
    """The client's active trajectory, else their latest one."""
    return (
        Trajectory.objects.filter(client=client)
        .select_related("client", "plan_director", "plan_director__organisation")
        # "active" sorts before "closed": the active one first, then the newest.
        .order_by("status", "-started_on", "-id")
        .first()
    )


def portal_team(*, trajectory: Trajectory | None) -> list[TeamMembership]:
    if trajectory is None:
        return []
    return list(
        TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
        .select_related("person", "organisation").order_by("joined_at")
    )


def portal_consents(*, client: Client, trajectory: Trajectory | None) -> list[dict]:
    """Per organisation (in the team, or with any consent): every category and its state
    (`granted`: the consent counts now; `display`: given, expired or withdrawn)."""
    states = {(s.organisation_id, s.category): s
              for s in ConsentState.objects.filter(client=client).select_related("last_event")}
    org_ids = {org for org, _category in states}
    org_ids |= {m.organisation_id for m in portal_team(trajectory=trajectory)}
    result = []
    for org in Organisation.objects.filter(pk__in=org_ids).order_by("name"):
        rows = []
        for category in DataCategory:
            state = states.get((org.pk, category.value))
            rows.append({"category": category, "state": state, "granted": bool(state and state.is_current()),
                         "display": state.display_state if state else "",
                         "version": state.version if state else 0})
        result.append({"organisation": org, "rows": rows})
    return result


def professional_recordings(*, client: Client) -> list[ConsentState]:
    """The consents that count now because a professional recorded them (not the client in the
    portal): the portal shows them to the client, each with a one-click withdraw."""
    from werkbrug.clients.models import ConsentMethod

    return [
        state for state in ConsentState.objects.current().filter(client=client)
        .exclude(last_event__method=ConsentMethod.PORTAL)
        .select_related("organisation", "last_event", "last_event__recorded_by")
        .order_by("-last_event__recorded_at", "-pk")
    ]


def portal_access_log(*, client: Client) -> QuerySet[AccessLogRecord]:
    return access_log_for_client(client.pseudonym)


def portal_signals(*, client: Client):
    if signals_for_client is None:
        return []
    return signals_for_client(client=client)
