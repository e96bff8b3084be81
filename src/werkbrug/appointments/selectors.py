"""Reads for appointments. Fetches that name an appointment authorize first (404 for missing
and forbidden alike); lists are scoped by the policy in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from werkbrug.api.models import digest
from werkbrug.core import policy
from werkbrug.core.models import User

from .models import Appointment, AppointmentChange, CalendarFeed

__all__ = [
    "appointment_changes", "appointment_check", "appointment_find", "appointment_get", "appointments_of_trajectory", "feed_appointments",
    "expert_choices", "feed_find", "feed_of", "meeting_choices", "request_choices", "my_appointments", "participant_choices", "plan_action_choices",
]

# The calendar feed: a month back and a year ahead, at most this many.
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=366)
FEED_LIMIT = 500


def _base() -> QuerySet[Appointment]:
    return Appointment.objects.select_related(
        "trajectory", "trajectory__client", "expert", "expert__person", "organiser", "plan_action",
        "deployment_request", "support_group_meeting", "support_group_meeting__group",
    ).prefetch_related("participants")


def appointment_find(pk: Any) -> Appointment:
    """The appointment without an access check: only for re-reading what the caller has authorized."""
    appointment = _base().filter(pk=pk).first()
    if appointment is None:
        raise Http404
    return appointment


def appointment_get(*, user: User, pk: Any, action: str = "appointment.view") -> Appointment:
    """The appointment if `user` may do `action` on it (a client's appointment logs one record);
    404 when missing or not allowed."""
    appointment = appointment_find(pk)
    policy.authorize(user, action, appointment)
    return appointment


def appointment_check(*, user: User, pk: Any, action: str) -> Appointment:
    """For a write whose service authorizes and logs: checked first, nothing logged when allowed."""
    appointment = appointment_find(pk)
    policy.check(user, action, appointment)
    return appointment


def appointment_changes(*, appointment: Appointment) -> QuerySet[AppointmentChange]:
    return AppointmentChange.objects.filter(appointment=appointment).select_related("changed_by").order_by("sequence", "id")


def appointments_of_trajectory(*, trajectory) -> QuerySet[Appointment]:
    """The trajectory's appointments (the caller has authorized `appointment.list`)."""
    return _base().filter(trajectory=trajectory).order_by("-starts_at", "-id")


def my_appointments(*, user: User, now: datetime | None = None, past_days: int = 31) -> QuerySet[Appointment]:
    """The appointments `user` takes part in (or, for a client, their own) from `past_days` ago on,
    narrowed to what the policy lets them see. One access-log record for the list."""
    policy.authorize(user, "appointment.mine", None)
    now = now or timezone.now()
    return _taking_part(user, policy.scope(user, "appointment.view", _base())).filter(
        ends_at__gte=now - timedelta(days=past_days)).order_by("starts_at", "id")


def _taking_part(user: User, queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    from django.db.models import Q

    if user.is_client:
        return queryset.filter(with_client=True)
    return queryset.filter(Q(participants=user) | Q(organiser=user) | Q(expert__person=user)).distinct()


def feed_find(*, secret: str) -> CalendarFeed | None:
    """The feed whose secret this is (with its person), or None: a revoked or renewed secret has none."""
    if not secret or len(secret) > 100:
        return None
    return CalendarFeed.objects.select_related("person").filter(digest=digest(secret), person__is_active=True).first()


def feed_appointments(*, person: User, now: datetime | None = None) -> list[Appointment]:
    """What the person's calendar feed lists: recent and upcoming appointments they take part in
    and may (still) see."""
    now = now or timezone.now()
    queryset = _taking_part(person, policy.scope(person, "appointment.view", Appointment.objects.all()))
    return list(
        queryset.filter(ends_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_FUTURE)
        .order_by("starts_at", "id")[:FEED_LIMIT]
    )


def participant_choices(*, trajectory) -> QuerySet[User]:
    """Who can take part in a client's appointment: the active team (the caller has authorized)."""
    return User.objects.filter(team_memberships__trajectory=trajectory, team_memberships__left_at__isnull=True) \
        .distinct().order_by("first_name", "last_name")


def expert_choices(*, trajectory, region_id: int) -> QuerySet:
    """Experts who can take part: of the client's team for a client, else of the region."""
    from werkbrug.experience_experts.models import ExpertProfile

    queryset = ExpertProfile.objects.filter(region_id=region_id, active=True).select_related("person")
    if trajectory is not None:
        queryset = queryset.filter(person__team_memberships__trajectory=trajectory,
                                   person__team_memberships__left_at__isnull=True)
    return queryset.distinct().order_by("person__first_name", "person__last_name")


def plan_action_choices(*, trajectory) -> QuerySet:
    """The open actions of the trajectory's current plan version."""
    from werkbrug.plans.models import Action

    if trajectory is None:
        return Action.objects.none()
    return Action.objects.filter(version__plan__trajectory=trajectory,
                                 version__plan__current_version=F("version"), status="open").order_by("due_on", "position")


def feed_of(*, person: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def request_choices(*, user: User, trajectory) -> QuerySet:
    """Deployment requests an appointment can be for: the ones `user` sees, for this client (or,
    without a trajectory, for a group or topic), not cancelled."""
    from werkbrug.experience_experts.models import DeploymentRequest

    queryset = policy.scope(user, "ee_request.view", DeploymentRequest.objects.exclude(status="cancelled"))
    if trajectory is not None:
        queryset = queryset.filter(client_id=trajectory.client_id)
    else:
        queryset = queryset.filter(client__isnull=True)
    return DeploymentRequest.objects.filter(pk__in=queryset.values("pk")).order_by("-created_at")


def meeting_choices(*, user: User, now: datetime | None = None) -> QuerySet:
    """Support-group meetings of the last month and later, of groups `user` may work with (as the
    policy's `support_group.view` decides)."""
    from werkbrug.experience_experts.models import SupportGroup, SupportGroupMeeting

    if not user.is_professional or user.region_id is None:
        return SupportGroupMeeting.objects.none()
    groups = SupportGroup.objects.filter(region_id=user.region_id).prefetch_related("facilitators")
    allowed = [g.pk for g in groups if policy.can(user, "support_group.view", g)]
    since = (now or timezone.now()) - timedelta(days=31)
    return SupportGroupMeeting.objects.filter(group_id__in=allowed, starts_at__gte=since) \
        .select_related("group").order_by("starts_at")
