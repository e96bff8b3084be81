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
from werkbrug.trajectories import selectors as trajectory_selectors
from werkbrug.trajectories.intake import SECTIONS
from werkbrug.trajectories.models import TeamMembership, Trajectory

from .models import CorrectionRequest

try:
    from werkbrug.collaboration.selectors import signals_for_client, trajectory_referrals
except ImportError:  # the signals module is another team's; the portal works without it
    signals_for_client = trajectory_referrals = None
try:
    from werkbrug.employment import selectors as employment_selectors
except ImportError:  # likewise the employment module
    employment_selectors = None

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["portal_client", "portal_trajectory", "portal_trajectories", "portal_team", "portal_consents",
           "portal_access_log", "portal_signals", "portal_intakes", "portal_referrals", "portal_jobs",
           "portal_corrections", "professional_recordings", "correction_get"]


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
              for s in ConsentState.objects.filter(client=client).select_related("last_event", "last_event__recorded_by")}
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


def portal_trajectories(*, client: Client) -> list[Trajectory]:
    """All the client's trajectories, newest first (the active one and any closed ones)."""
    return list(trajectory_selectors.client_trajectories(client=client))


def _display(intake, name: str):
    value = getattr(intake, name)
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    return "" if value is None else value


def intake_sections(intake) -> list[dict]:
    """Every section of an intake with its fields' labels and values: the client sees all of
    their own intake, whatever they consented to for the organisations."""
    from werkbrug.trajectories.models import Intake

    return [
        {"key": section.key, "title": section.title, "category": section.category,
         "fields": [{"name": name, "label": Intake._meta.get_field(name).verbose_name, "value": _display(intake, name)}
                    for name in section.fields]}
        for section in SECTIONS
    ]


def portal_intakes(*, client: Client) -> list[dict]:
    """Per trajectory (newest first) its intake, with every section (the caller has authorized
    `portal.intake`)."""
    result = []
    for trajectory in portal_trajectories(client=client):
        intake = trajectory_selectors.intake_for(trajectory=trajectory)
        if intake is not None:
            result.append({"trajectory": trajectory, "intake": intake, "sections": intake_sections(intake)})
    return result


def portal_referrals(*, client: Client) -> list | None:
    """The client's referrals over all trajectories, newest first; None without the module."""
    if trajectory_referrals is None:
        return None
    return [r for t in portal_trajectories(client=client) for r in trajectory_referrals(trajectory=t)]


def portal_jobs(*, client: Client) -> list[dict] | None:
    """Per trajectory its IPS phases, jobs and employer contacts; None without the module."""
    if employment_selectors is None:
        return None
    result = []
    for trajectory in portal_trajectories(client=client):
        jobs = list(employment_selectors.jobs(trajectory=trajectory))
        phases = list(employment_selectors.phase_history(trajectory=trajectory))
        contacts = list(employment_selectors.employer_contacts(trajectory=trajectory))
        if jobs or phases or contacts:
            result.append({"trajectory": trajectory, "jobs": jobs, "phases": phases, "contacts": contacts})
    return result


def portal_corrections(*, client: Client) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(client=client).select_related("answered_by").order_by("-requested_at", "-id")


def correction_get(*, user: User, pk: int, action: str = "correction.view") -> CorrectionRequest:
    """A correction request `user` may `action` (its plan director, or the client); one
    access-log record; the same 404 for missing and not allowed."""
    request = (
        CorrectionRequest.objects.select_related("client", "trajectory__client", "trajectory__plan_director",
                                                 "requested_by", "answered_by")
        .filter(pk=pk).first()
    )
    if request is None:
        raise Http404
    policy.authorize(user, action, request)
    return request


def access_log_rows(records) -> list[dict]:
    """Access-log records as the client reads them: the category and purpose in words."""
    from django.utils.translation import gettext as _

    categories = dict(DataCategory.choices)
    purposes = {
        "own file": _("you yourself"),
        "team member": _("member of your team"),
        "recording consent": _("recording your consent"),
        "registration": _("registration"),
    }
    return [{"record": r, "category": categories.get(r.data_category, r.data_category),
             "purpose": purposes.get(r.purpose, r.purpose)} for r in records]
