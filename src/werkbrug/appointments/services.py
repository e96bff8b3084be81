"""Writes for appointments (afspraken) and the personal calendar feed.

An appointment has a date and time (stored in UTC, shown in Europe/Amsterdam), a place or a
video link (https only), and the people taking part: team members, the client, an experience
expert, an employer contact (a name and an e-mail address: not a user, so they are mailed
directly, `tasks.mail_employer_contact`: an invitation with the .ics, a change, a cancellation).
For a client it belongs to the client's trajectory and everyone taking part from
Werkbrug is in the client's team; it may be linked to a plan action, a deployment request or a
support-group meeting.

Planning, changing, moving and cancelling each add a history row and raise the iCalendar
SEQUENCE, and tell the participants through `notifications.notify_many` (the titles carry the
kind and a number, never a name). An accepted deployment request becomes an appointment at the
day, time and place the expert chose when accepting (`appointment_plan_for_deployment`, called by
`experience_experts.services.request_accept`); when the expert changes that planning
(`experience_experts.services.deployment_plan`), the appointment moves with it
(`appointment_move_for_deployment`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.api.models import digest
from werkbrug.core import policy
from werkbrug.core.models import User
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.workflow import ensure_open

from .models import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    CalendarFeed,
    ChangeKind,
)

__all__ = [
    "appointment_cancel", "appointment_move_for_deployment", "appointment_plan", "appointment_plan_for_deployment",
    "appointment_update", "calendar_feed_issue", "calendar_feed_revoke", "when_and_where_clean",
]

MAX_DURATION = timedelta(hours=12)
# Calendars (and their time-zone rules) are made for dates people plan: refuse typing slips.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_https = URLValidator(schemes=["https"])


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None:
        raise _invalid("starts_at", _("Give the date and time the appointment starts."), "required")
    if ends_at is None:
        raise _invalid("ends_at", _("Give the date and time the appointment ends."), "required")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise _invalid("starts_at", _("Give a time with its time zone."), "naive")
    if not (FIRST_YEAR <= starts_at.year and ends_at.year <= LAST_YEAR):
        raise _invalid("starts_at", _("Give a date between 2000 and 2100."), "out_of_range")
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("The appointment ends after it starts."), "end_before_start")
    if ends_at - starts_at > MAX_DURATION:
        raise _invalid("ends_at", _("An appointment lasts at most 12 hours."), "too_long")


def _clean_place(place: str, video_link: str, *, required: bool) -> tuple[str, str]:
    place, video_link = (place or "").strip(), (video_link or "").strip()
    if len(place) > 200:
        raise _invalid("place", _("Use at most 200 characters for the place."), "max_length")
    if video_link:
        if len(video_link) > 500:
            raise _invalid("video_link", _("The video link is too long."), "max_length")
        try:
            _https(video_link)
        except ValidationError:
            raise _invalid("video_link", _("Give a video link that starts with https://."), "https") from None
    if required and not place and not video_link:
        raise _invalid("place", _("Give a place or a video link."), "required")
    return place, video_link


def when_and_where_clean(*, starts_at: datetime | None, ends_at: datetime | None, place: str,
                         video_link: str) -> tuple[str, str]:
    """The rules for an appointment's time and place (end after start, at most 12 hours, a place
    or an https video link), for another module that plans one: the cleaned place and link."""
    _check_times(starts_at, ends_at)
    return _clean_place(place, video_link, required=True)


def _clean_employer(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    if len(name) > 120:
        raise _invalid("employer_contact_name", _("Use at most 120 characters for the name."), "max_length")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _invalid("employer_contact_email", _("Give a valid e-mail address."), "invalid") from None
        if not name:
            raise _invalid("employer_contact_name", _("Give the employer contact's name too."), "required")
    return name, email


def _check_participants(*, trajectory, participants: list, region_id: int) -> list[User]:
    """Team members of the trajectory (or, without one, professionals of the region). Anyone
    else is refused without saying who it is."""
    from werkbrug.trajectories.models import TeamMembership

    people = []
    for person in participants:
        if not isinstance(person, User):
            raise _invalid("participants", _("Someone chosen cannot take part."), "unknown")
        people.append(person)
    if trajectory is not None:
        team = set(TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
                   .values_list("person_id", flat=True))
        if any(p.pk not in team for p in people):
            raise _invalid("participants", _("Only members of the client's team take part."), "not_in_team")
    elif any(not p.is_professional or p.region_id != region_id for p in people):
        raise _invalid("participants", _("Someone chosen cannot take part."), "unknown")
    return people


def _check_expert(*, trajectory, expert, region_id: int) -> None:
    if expert is None:
        return
    if expert.region_id != region_id or not expert.active:
        raise _invalid("expert", _("This experience expert cannot take part."), "not_expert")
    if trajectory is not None:
        from werkbrug.trajectories.models import TeamMembership

        if not TeamMembership.objects.filter(trajectory=trajectory, person_id=expert.person_id,
                                             left_at__isnull=True).exists():
            raise _invalid("expert", _("The experience expert is not in the client's team. Ask for them with a "
                                       "deployment request first."), "not_in_team")


def _check_links(*, user: User, trajectory, plan_action, deployment_request, support_group_meeting) -> None:
    if plan_action is not None:
        if trajectory is None or plan_action.version.plan.trajectory_id != trajectory.pk:
            raise _invalid("plan_action", _("Choose an action of this client's plan."), "other_plan")
    if deployment_request is not None:
        same_client = (deployment_request.client_id == (trajectory.client_id if trajectory else None))
        if not same_client or not policy.can(user, "ee_request.view", deployment_request):
            raise _invalid("deployment_request", _("Choose a deployment request for this appointment's client."),
                           "other_request")
    if support_group_meeting is not None:
        if trajectory is not None or not policy.can(user, "support_group.view", support_group_meeting.group):
            raise _invalid("support_group_meeting", _("Choose a meeting of a group you facilitate."), "other_group")


def _link(appointment: Appointment) -> str:
    return reverse("appointments:detail", kwargs={"pk": appointment.pk})


def _people_told(appointment: Appointment) -> list[User]:
    people = list(appointment.participants.all())
    if appointment.expert_id is not None:
        people.append(appointment.expert.person)
    if appointment.with_client and appointment.trajectory_id is not None:
        client_user = appointment.trajectory.client.user
        if client_user is not None:
            people.append(client_user)
    people.append(appointment.organiser)
    return people


def _tell(appointment: Appointment, kind: str, actor: User | None, now: datetime) -> None:
    """Tell everyone taking part (not the one who acted) — not about an appointment already past."""
    if appointment.ends_at <= now:
        return
    notifications.notify_many(recipients=_people_told(appointment), actor=actor, kind=kind, obj=appointment,
                              link=_link(appointment), due_at=appointment.starts_at)


def _mail_employer(appointment: Appointment, event: str, now: datetime, *, address: str = "") -> None:
    """Mail the employer contact (who has no account) once the change is committed — not about
    an appointment already past."""
    address = address or appointment.employer_contact_email
    if not address or appointment.ends_at <= now:
        return
    from . import tasks

    pk = appointment.pk
    transaction.on_commit(lambda: tasks.mail_employer_contact.delay(pk, address, event))


def _record(appointment: Appointment, kind: str, by: User | None, now: datetime, *, reason: str = "",
            previous_starts_at: datetime | None = None) -> AppointmentChange:
    return AppointmentChange.objects.create(
        appointment=appointment, kind=kind, sequence=appointment.sequence, starts_at=appointment.starts_at,
        ends_at=appointment.ends_at, previous_starts_at=previous_starts_at, reason=(reason or "")[:300],
        changed_by=by, changed_at=now,
    )


@transaction.atomic
def appointment_plan(
    *, planned_by: User, kind: str, starts_at: datetime, ends_at: datetime, trajectory=None, place: str = "",
    video_link: str = "", with_client: bool = False, participants: Iterable[Any] = (), expert=None,
    employer_contact_name: str = "", employer_contact_email: str = "", plan_action=None, deployment_request=None,
    support_group_meeting=None, now: datetime | None = None,
) -> Appointment:
    """Plan an appointment, for a client's trajectory or (a group meeting, a deployment for a
    topic) without one. The planner takes part; the others are told."""
    if trajectory is not None:
        from werkbrug.trajectories.models import Trajectory

        trajectory = Trajectory.objects.select_for_update(of=("self",)).select_related("client").get(pk=trajectory.pk)
    policy.authorize(planned_by, "appointment.create", trajectory)
    if kind not in AppointmentKind.values:
        raise _invalid("kind", _("Choose one of the options."), "choice")
    if trajectory is not None:
        ensure_open(trajectory)
    if with_client and trajectory is None:
        raise _invalid("with_client", _("Only an appointment of a client's trajectory has the client taking part."),
                       "no_client")
    _check_times(starts_at, ends_at)
    place, video_link = _clean_place(place, video_link, required=True)
    employer_contact_name, employer_contact_email = _clean_employer(employer_contact_name, employer_contact_email)
    region_id = trajectory.region_id if trajectory is not None else planned_by.region_id
    people = _check_participants(trajectory=trajectory, participants=list(participants), region_id=region_id)
    _check_expert(trajectory=trajectory, expert=expert, region_id=region_id)
    _check_links(user=planned_by, trajectory=trajectory, plan_action=plan_action,
                 deployment_request=deployment_request, support_group_meeting=support_group_meeting)
    now = now or timezone.now()
    appointment = Appointment.objects.create(
        region_id=region_id, trajectory=trajectory, kind=kind, starts_at=starts_at, ends_at=ends_at, place=place,
        video_link=video_link, with_client=with_client, expert=expert, employer_contact_name=employer_contact_name,
        employer_contact_email=employer_contact_email, plan_action=plan_action, deployment_request=deployment_request,
        support_group_meeting=support_group_meeting, organiser=planned_by, created_at=now, updated_at=now,
    )
    appointment.participants.set({p.pk: p for p in [planned_by, *people]}.values())
    _record(appointment, ChangeKind.PLANNED, planned_by, now)
    _tell(appointment, NotificationKind.APPOINTMENT_PLANNED, planned_by, now)
    _mail_employer(appointment, "invited", now)
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (Appointment.objects.select_for_update(of=("self",))
            .select_related("trajectory", "trajectory__client", "expert", "expert__person", "organiser")
            .get(pk=appointment.pk))


@transaction.atomic
def appointment_update(
    *, appointment: Appointment, changed_by: User, kind: str, starts_at: datetime, ends_at: datetime,
    place: str = "", video_link: str = "", with_client: bool = False, participants: Iterable[Any] = (),
    expert=None, employer_contact_name: str = "", employer_contact_email: str = "", plan_action=None,
    reason: str = "", now: datetime | None = None,
) -> Appointment:
    """Change or move an appointment. A new time is "moved" in the history; everyone taking part,
    before or after, is told; calendars see a higher SEQUENCE. A change confirms an appointment
    that was still to be confirmed."""
    appointment = _locked(appointment)
    policy.authorize(changed_by, "appointment.change", appointment)
    if appointment.is_cancelled:
        raise ValidationError(_("This appointment is cancelled."), code="cancelled")
    if kind not in AppointmentKind.values:
        raise _invalid("kind", _("Choose one of the options."), "choice")
    trajectory = appointment.trajectory
    if with_client and trajectory is None:
        raise _invalid("with_client", _("Only an appointment of a client's trajectory has the client taking part."),
                       "no_client")
    _check_times(starts_at, ends_at)
    place, video_link = _clean_place(place, video_link, required=True)
    employer_contact_name, employer_contact_email = _clean_employer(employer_contact_name, employer_contact_email)
    people = _check_participants(trajectory=trajectory, participants=list(participants),
                                 region_id=appointment.region_id)
    _check_expert(trajectory=trajectory, expert=expert, region_id=appointment.region_id)
    _check_links(user=changed_by, trajectory=trajectory, plan_action=plan_action, deployment_request=None,
                 support_group_meeting=None)
    now = now or timezone.now()
    before = _people_told(appointment)
    employer_before = appointment.employer_contact_email
    seen_before = (appointment.kind, appointment.starts_at, appointment.ends_at, appointment.place,
                   appointment.video_link)
    previous_starts_at = appointment.starts_at
    moved = starts_at != appointment.starts_at or ends_at != appointment.ends_at
    appointment.kind, appointment.starts_at, appointment.ends_at = kind, starts_at, ends_at
    appointment.place, appointment.video_link, appointment.with_client = place, video_link, with_client
    appointment.expert = expert
    appointment.employer_contact_name, appointment.employer_contact_email = employer_contact_name, employer_contact_email
    appointment.plan_action = plan_action
    appointment.status = AppointmentStatus.PLANNED
    appointment.sequence += 1
    appointment.updated_at = now
    appointment.save()
    appointment.participants.set(people)
    _record(appointment, ChangeKind.RESCHEDULED if moved else ChangeKind.CHANGED, changed_by, now, reason=reason,
            previous_starts_at=previous_starts_at if moved else None)
    after = _people_told(appointment)
    if appointment.ends_at > now:
        notifications.notify_many(recipients=[*after, *before], actor=changed_by,
                                  kind=NotificationKind.APPOINTMENT_CHANGED, obj=appointment, link=_link(appointment),
                                  due_at=appointment.starts_at)
    # The employer contact: taken off (or replaced) → cancelled for them; added → invited; still
    # there → told when what they see (kind, time, place) changed.
    if employer_before and employer_before != employer_contact_email:
        _mail_employer(appointment, "cancelled", now, address=employer_before)
    if employer_contact_email and employer_contact_email != employer_before:
        _mail_employer(appointment, "invited", now)
    elif employer_contact_email and seen_before != (kind, starts_at, ends_at, place, video_link):
        _mail_employer(appointment, "changed", now)
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, cancelled_by: User, reason: str = "",
                       now: datetime | None = None) -> Appointment:
    """Cancel: the appointment stays (with its history) and calendars mark it cancelled."""
    appointment = _locked(appointment)
    policy.authorize(cancelled_by, "appointment.cancel", appointment)
    if appointment.is_cancelled:
        raise ValidationError(_("This appointment is already cancelled."), code="cancelled")
    now = now or timezone.now()
    appointment.status = AppointmentStatus.CANCELLED
    appointment.sequence += 1
    appointment.updated_at = now
    appointment.save(update_fields=["status", "sequence", "updated_at"])
    _record(appointment, ChangeKind.CANCELLED, cancelled_by, now, reason=reason)
    _tell(appointment, NotificationKind.APPOINTMENT_CANCELLED, cancelled_by, now)
    _mail_employer(appointment, "cancelled", now)
    return appointment


# Deployment kinds that are an appointment of their own kind; every other deployment is a "deployment".
_KIND_OF_DEPLOYMENT = {"three_way": AppointmentKind.THREE_WAY, "support_group": AppointmentKind.SUPPORT_GROUP}


def appointment_plan_for_deployment(*, deployment, starts_at: datetime, ends_at: datetime, place: str = "",
                                    video_link: str = "", now: datetime | None = None) -> Appointment:
    """The appointment of a deployment the expert just accepted, at the time and place they chose,
    with the requester and the expert (and the client, for a talk with them). Called inside
    `request_accept`, which has authorized and logged the acceptance and checked the time against
    the request's period; this consequence of it is not a second access."""
    request = deployment.request
    from werkbrug.experience_experts.models import ExpertProfile

    place, video_link = when_and_where_clean(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    profile = ExpertProfile.objects.filter(person_id=deployment.expert_id).first()
    now = now or timezone.now()
    with_client = request.trajectory_id is not None and deployment.kind in ("one_on_one", "three_way")
    appointment = Appointment.objects.create(
        region_id=deployment.region_id, trajectory_id=request.trajectory_id,
        kind=_KIND_OF_DEPLOYMENT.get(deployment.kind, AppointmentKind.DEPLOYMENT),
        status=AppointmentStatus.PLANNED, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link,
        with_client=with_client, expert=profile, deployment_request=request, organiser=request.requested_by,
        created_at=now, updated_at=now,
    )
    appointment.participants.set([request.requested_by])
    _record(appointment, ChangeKind.PLANNED, deployment.expert, now)
    _tell(appointment, NotificationKind.APPOINTMENT_PLANNED, deployment.expert, now)
    return appointment


def appointment_move_for_deployment(*, deployment, changed_by: User, starts_at: datetime, ends_at: datetime,
                                    place: str = "", video_link: str = "", reason: str = "",
                                    now: datetime | None = None) -> Appointment | None:
    """The expert changed a planned deployment's time or place: its appointment (the one made when
    it was accepted, if not cancelled) follows — a "moved" or "changed" row in its history, a higher
    SEQUENCE, everyone taking part told, an employer contact mailed. Called inside
    `deployment_plan`, which has authorized and logged the change."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("trajectory", "trajectory__client", "expert", "expert__person", "organiser")
        .filter(deployment_request_id=deployment.request_id, expert__person_id=deployment.expert_id)
        .exclude(status=AppointmentStatus.CANCELLED).order_by("id").first()
    )
    if appointment is None:
        return None
    place, video_link = when_and_where_clean(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    now = now or timezone.now()
    moved = starts_at != appointment.starts_at or ends_at != appointment.ends_at
    if not moved and (place, video_link) == (appointment.place, appointment.video_link):
        return appointment
    before = _people_told(appointment)
    previous_starts_at = appointment.starts_at
    appointment.starts_at, appointment.ends_at = starts_at, ends_at
    appointment.place, appointment.video_link = place, video_link
    appointment.status = AppointmentStatus.PLANNED
    appointment.sequence += 1
    appointment.updated_at = now
    appointment.save()
    _record(appointment, ChangeKind.RESCHEDULED if moved else ChangeKind.CHANGED, changed_by, now, reason=reason,
            previous_starts_at=previous_starts_at if moved else None)
    if appointment.ends_at > now:
        notifications.notify_many(recipients=[*_people_told(appointment), *before], actor=changed_by,
                                  kind=NotificationKind.APPOINTMENT_CHANGED, obj=appointment, link=_link(appointment),
                                  due_at=appointment.starts_at)
    _mail_employer(appointment, "changed", now)
    return appointment


def appointments_cancel_for_deployment_request(*, request, cancelled_by: User, reason: str = "",
                                               now: datetime | None = None) -> int:
    """Cancel the appointments of a deployment request that was just cancelled. Called inside
    `request_cancel`, which has authorized and logged the cancellation; the participants are told."""
    now = now or timezone.now()
    cancelled = 0
    for appointment in (Appointment.objects.select_for_update(of=("self",))
                        .filter(deployment_request=request).exclude(status=AppointmentStatus.CANCELLED)):
        appointment.status = AppointmentStatus.CANCELLED
        appointment.sequence += 1
        appointment.updated_at = now
        appointment.save(update_fields=["status", "sequence", "updated_at"])
        _record(appointment, ChangeKind.CANCELLED, cancelled_by, now, reason=reason)
        _tell(appointment, NotificationKind.APPOINTMENT_CANCELLED, cancelled_by, now)
        _mail_employer(appointment, "cancelled", now)
        cancelled += 1
    return cancelled


# --- the personal calendar feed --------------------------------------------------------------


@transaction.atomic
def calendar_feed_issue(*, person: User, now: datetime | None = None) -> tuple[CalendarFeed, str]:
    """Make (or renew) `person`'s feed: returns it and the secret, shown once and never stored.
    A renewed feed's old address stops working at once."""
    policy.authorize(person, "calendar_feed.manage", None)
    secret = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.select_for_update().update_or_create(
        person=person, defaults={"digest": digest(secret), "prefix": secret[:8], "created_at": now or timezone.now()},
    )
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, person: User) -> bool:
    """Switch `person`'s feed off: its address answers 404 from now on."""
    policy.authorize(person, "calendar_feed.manage", None)
    return CalendarFeed.objects.filter(person=person).delete()[0] > 0
