"""Reads for signals and referrals. Other apps import only this module and `services.py`.

Permission-checked fetches authorize once (one access-log record); the others expect the caller
to have authorized already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from werkbrug.core import policy
from werkbrug.trajectories.models import TeamMembership, Trajectory

from .models import Referral, ReferralEvent, ReferralState, Signal, SignalRecipient

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import User

__all__ = [
    "caseload_annotations",
    "signals_for_client",
    "trajectory_for",
    "trajectory_signals",
    "signal_get",
    "trajectory_referrals",
    "referral_find",
    "referral_for",
    "referral_for_join",
    "referral_get",
    "incoming_referrals",
    "team_members",
]


def caseload_annotations(*, user: User) -> dict:
    """`open_signals`: signals on the trajectory addressed to `user` that they have not acknowledged."""
    open_count = (
        SignalRecipient.objects.filter(signal__trajectory=OuterRef("pk"), person=user, acknowledged_at__isnull=True)
        .order_by()
        .values("signal__trajectory")
        .annotate(n=Count("id"))
        .values("n")
    )
    return {"open_signals": Coalesce(Subquery(open_count, output_field=IntegerField()), 0)}


def signals_for_client(*, client: Client) -> QuerySet[Signal]:
    """All signals about the client, newest first (the caller has authorized)."""
    return (
        Signal.objects.filter(trajectory__client=client)
        .select_related("author", "author__organisation", "escalated_to")
        .prefetch_related(Prefetch("recipients", queryset=SignalRecipient.objects.select_related("person")))
        .order_by("-created_at", "-id")
    )


def trajectory_for(*, user: User, pk: int, action: str) -> Trajectory:
    """The trajectory if `user` may do `action` on it; one access-log record; 404 otherwise."""
    trajectory = Trajectory.objects.select_related("client", "plan_director").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    policy.authorize(user, action, trajectory)
    return trajectory


def trajectory_signals(*, trajectory: Trajectory) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(trajectory=trajectory)
        .select_related("author", "author__organisation", "escalated_to")
        .prefetch_related(Prefetch("recipients", queryset=SignalRecipient.objects.select_related("person").order_by("id")))
        .order_by("-created_at", "-id")
    )


def signal_find(*, pk: int, trajectory_pk: int | None = None) -> Signal:
    """A plain fetch without an access check (the caller authorizes the signal or its
    trajectory before it reads any input); 404 when missing."""
    qs = Signal.objects.select_related("trajectory__client")
    if trajectory_pk is not None:
        qs = qs.filter(trajectory_id=trajectory_pk)
    signal = qs.filter(pk=pk).first()
    if signal is None:
        raise Http404
    return signal


def signal_get(*, user: User, pk: int, action: str, trajectory_pk: int | None = None) -> Signal:
    """The signal if `user` may do `action` on it; one access-log record; 404 otherwise."""
    signal = signal_find(pk=pk, trajectory_pk=trajectory_pk)
    policy.authorize(user, action, signal)
    return signal


def team_members(*, trajectory: Trajectory) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name")
    )


def trajectory_referrals(*, trajectory: Trajectory) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(trajectory=trajectory)
        .select_related("organisation", "referred_by", "handled_by")
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related("actor").order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def referral_find(*, pk: int) -> Referral:
    """A plain fetch without an access check: for `referral_for` and `referral_for_join`, which
    check, and to re-read a referral for the answer after an authorized step."""
    referral = Referral.objects.select_related("trajectory__client", "organisation").filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def referral_for_join(*, user: User, pk: int) -> Referral:
    """The referral through which `user` may join the client's team; 404 (and one denied
    record) for missing or not allowed, before anything else is read. When allowed, nothing is
    logged here: the join itself writes the one record (`team_member_add`)."""
    referral = referral_find(pk=pk)
    policy.check(user, "referral.join", referral)  # a refusal is logged and answers 404
    return referral


def referral_for(*, user: User, pk: int, to_state: str) -> Referral:
    """The referral if `user` may take it to `to_state` (the workflow step's action, as the
    service checks it); one access-log record; 404 for missing (and for not allowed where the
    policy hides it)."""
    from .services import ACTIONS

    referral = referral_find(pk=pk)
    action = ACTIONS.get(to_state)
    if action is None:
        raise Http404
    policy.authorize(user, action, referral)
    return referral


def referral_get(*, user: User, pk: int) -> Referral:
    """One referral for its team or its receiving organisation; logged once; 404 otherwise."""
    referral = (
        Referral.objects.select_related("trajectory__client", "organisation", "referred_by", "referred_by__organisation", "handled_by")
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related("actor").order_by("at", "id")))
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    policy.authorize(user, "referral.view_one", referral)
    return referral


def incoming_referrals(*, user: User, state: str = "") -> QuerySet[Referral]:
    """Referrals to the user's organisation, for clients who still consent to it taking part.

    Authorizes (and logs) once for the whole list.
    """
    from werkbrug.clients.models import ConsentState
    from werkbrug.core.choices import DataCategory

    policy.authorize(user, "referral.incoming", None)
    consenting = (
        ConsentState.objects.current()
        .filter(organisation_id=user.organisation_id, category=DataCategory.PARTICIPATION)
        .values("client_id")
    )
    qs = (
        Referral.objects.filter(organisation_id=user.organisation_id, trajectory__region_id=user.region_id,
                                trajectory__client_id__in=consenting)
        .select_related("trajectory__client", "referred_by", "referred_by__organisation", "handled_by")
        .order_by("-created_at", "-id")
    )
    if state in ReferralState.values:
        qs = qs.filter(state=state)
    return qs


def is_team_member(*, user: User, trajectory: Trajectory) -> bool:
    return TeamMembership.objects.filter(trajectory=trajectory, person=user, left_at__isnull=True).exists()
