"""Writes for experience experts (ervaringsdeskundigen).

An experience expert is a trained peer worker who uses their own recovery methodically. This
module keeps their profile, the requests professionals make for them and the answer the expert
gives (accepting or declining — declining needs no reason), one uniform registration of every
deployment whatever its kind, the weekly wellbeing check-in and the signals that watch the
expert's time balance and own limits, and support-group series.

A request for a client needs the client's consent for the expert's organisation to take part;
recording that consent is the professional's job (in the client's file), these services refuse
without it. An expert who accepts a client request joins the client's team through
`trajectories.services.team_member_add`, which writes the one access-log record of that request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import Organisation, Region, User
from werkbrug.core.policy.clients import consented_categories
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.workflow import trajectory_is_open

from . import balance
from .models import (
    CLIENT_CONTACT_KINDS,
    DEFAULT_MEETINGS,
    DEFAULT_THEMES,
    Absence,
    Attendance,
    CheckIn,
    ClientWish,
    CoordinatorAssignment,
    Deployment,
    DeploymentKind,
    DeploymentRequest,
    DeploymentStatus,
    ExpertProfile,
    ExpertSignal,
    LivedExperienceDomain,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
    Setting,
    SignalKind,
    SupportGroup,
    SupportGroupMeeting,
    SupportGroupParticipant,
)

__all__ = [
    "absence_add", "attendance_record", "buddy_pair", "checkin_submit", "client_wish_record", "coordinator_assign",
    "DeploymentSchedule", "deployment_complete", "deployment_plan", "deployment_register", "domain_create", "domain_update", "expert_signals_check",
    "meeting_update", "participant_add", "profile_create", "profile_update", "request_accept",
    "request_create", "request_decline", "request_offer", "support_group_create",
]

MAX_MINUTES = 24 * 60


def _invalid(field: str, message: str, code: str) -> ValidationError:
    """An error on one field that keeps its code (for forms, the API and tests)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _authorize(user: User, action: str, obj) -> None:
    policy.authorize(user, action, obj)


# --- domains and profiles -------------------------------------------------------------------


@transaction.atomic
def domain_create(*, region: Region, name: str, created_by: User) -> LivedExperienceDomain:
    _authorize(created_by, "ee_domain.change", None)
    name = name.strip()
    if not name:
        raise _invalid("name", _("Give the domain a name."), "required")
    if LivedExperienceDomain.objects.filter(region=region, name__iexact=name).exists():
        raise _invalid("name", _("This domain is already on the list."), "duplicate")
    return LivedExperienceDomain.objects.create(region=region, name=name)


@transaction.atomic
def domain_update(*, domain: LivedExperienceDomain, changed_by: User, name: str | None = None,
                  active: bool | None = None) -> LivedExperienceDomain:
    domain = LivedExperienceDomain.objects.select_for_update().get(pk=domain.pk)
    _authorize(changed_by, "ee_domain.change", domain)
    if name is not None:
        name = name.strip()
        if not name:
            raise _invalid("name", _("Give the domain a name."), "required")
        if LivedExperienceDomain.objects.filter(region_id=domain.region_id, name__iexact=name).exclude(pk=domain.pk).exists():
            raise _invalid("name", _("This domain is already on the list."), "duplicate")
        domain.name = name
    if active is not None:
        domain.active = active
    domain.save()
    return domain


def _check_hours(contract_hours: Decimal, limit: Decimal) -> None:
    if contract_hours is None or not (Decimal(0) < Decimal(contract_hours) <= 60):
        raise _invalid("contract_hours", _("Contract hours must be more than 0 and at most 60 a week."), "hours")
    if limit is None or not (Decimal(0) <= Decimal(limit) <= Decimal(contract_hours)):
        raise _invalid("client_contact_limit", _("The own limit must be between 0 and the contract hours."), "limit")


def _check_coordinator(coordinator: User | None, region_id: int) -> None:
    if coordinator is not None and (coordinator.region_id != region_id or not coordinator.has_role(Role.EE_COORDINATOR)):
        raise _invalid("coordinator", _("Choose an experience-expert coordinator of this region."), "coordinator")


PROFILE_FIELDS = {"higher_vocational", "education_field", "training_name", "training_year", "availability", "active"}


@transaction.atomic
def profile_create(*, person: User, created_by: User, contract_hours: Decimal, client_contact_limit: Decimal,
                   coordinator: User | None = None, domains: Iterable[LivedExperienceDomain] = (), **fields) -> ExpertProfile:
    """A new profile. Naming its coordinator is an assignment like any other (`coordinator_assign`):
    only the region administrator makes it, and the expert is told."""
    if not person.is_professional or person.region_id is None or not person.has_role(Role.EXPERIENCE_EXPERT):
        raise _invalid("person", _("This person is not an experience expert."), "not_expert")
    profile = ExpertProfile(person=person, region_id=person.region_id)
    _authorize(created_by, "ee_profile.create", profile)
    if coordinator is not None and not policy.can(created_by, "ee_profile.assign_coordinator", profile):
        raise _invalid("coordinator", _("Only the region administrator decides who coordinates an expert."),
                       "coordinator_not_allowed")
    if ExpertProfile.objects.filter(person=person).exists():
        raise _invalid("person", _("This expert already has a profile."), "duplicate")
    _check_hours(contract_hours, client_contact_limit)
    _check_coordinator(coordinator, person.region_id)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile.contract_hours = Decimal(contract_hours)
    profile.client_contact_limit = Decimal(client_contact_limit)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    profile.domains.set([d for d in domains if d.region_id == person.region_id])
    if coordinator is not None:
        coordinator_assign(profile=profile, coordinator=coordinator, assigned_by=created_by)
        profile.refresh_from_db()
    return profile


@transaction.atomic
def profile_update(*, profile: ExpertProfile, changed_by: User, domains: Iterable[LivedExperienceDomain] | None = None,
                   **fields) -> ExpertProfile:
    """The expert's own details. Who coordinates the expert is not among them: `coordinator_assign`."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(changed_by, "ee_profile.change", profile)
    if "coordinator" in fields:
        raise _invalid("coordinator", _("The region administrator assigns coordinators, not a profile change."),
                       "coordinator_not_allowed")
    allowed = PROFILE_FIELDS | {"contract_hours", "client_contact_limit"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(profile, key, value)
    _check_hours(profile.contract_hours, profile.client_contact_limit)
    profile.save()
    if domains is not None:
        profile.domains.set([d for d in domains if d.region_id == profile.region_id])
    return profile


@transaction.atomic
def coordinator_assign(*, profile: ExpertProfile, coordinator: User | None, assigned_by: User,
                       now: datetime | None = None) -> CoordinatorAssignment:
    """Make `coordinator` (None: nobody) the expert's coordinator.

    The coordinator reads the expert's wellbeing, so only the region administrator decides it
    (`ee_profile.assign_coordinator`). Every assignment is kept (who, whom, by whom, when) and
    the expert is told by mail — a link, no wellbeing data — and on their own profile page.
    """
    profile = ExpertProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    _authorize(assigned_by, "ee_profile.assign_coordinator", profile)
    _check_coordinator(coordinator, profile.region_id)
    if coordinator is not None and coordinator.pk == profile.person_id:
        raise _invalid("coordinator", _("An expert cannot coordinate themselves."), "coordinator")
    if (coordinator.pk if coordinator else None) == profile.coordinator_id:
        raise _invalid("coordinator", _("This is already the expert's coordinator."), "unchanged")
    assignment = CoordinatorAssignment.objects.create(
        profile=profile, coordinator=coordinator, previous_id=profile.coordinator_id, assigned_by=assigned_by,
        assigned_at=now or timezone.now(),
    )
    profile.coordinator = coordinator
    profile.save(update_fields=["coordinator"])
    _tell_expert_about_coordinator(profile, coordinator)
    return assignment


def _tell_expert_about_coordinator(profile: ExpertProfile, coordinator: User | None) -> None:
    """Mail after commit: who coordinates the expert now, with an absolute link; no wellbeing data."""
    import logging
    import smtplib

    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    email = profile.person.email
    if not email:
        return
    url = settings.WERKBRUG_BASE_URL + reverse("experience_experts:profile", args=[profile.pk])
    if coordinator is None:
        body = _("You no longer have an experience-expert coordinator. See your profile: %(url)s") % {"url": url}
    else:
        body = _("%(name)s is now your experience-expert coordinator and can read your wellbeing check-ins. "
                 "See your profile: %(url)s") % {"name": coordinator.get_full_name(), "url": url}
    subject = _("Werkbrug: your coordinator has changed")

    def deliver() -> None:
        # A mail server that is down must not undo the assignment; the profile page shows it too.
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        except (OSError, smtplib.SMTPException):
            logging.getLogger(__name__).warning("coordinator mail could not be sent", exc_info=True)

    transaction.on_commit(deliver)


@transaction.atomic
def buddy_pair(*, profile: ExpertProfile, buddy: ExpertProfile | None, changed_by: User) -> ExpertProfile:
    """Buddies are paired both ways; pairing with someone else ends the old pair."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(changed_by, "ee_profile.change", profile)
    if buddy is not None:
        buddy = ExpertProfile.objects.select_for_update().get(pk=buddy.pk)
        if buddy.pk == profile.pk:
            raise _invalid("buddy", _("An expert cannot be their own buddy."), "self")
        if buddy.region_id != profile.region_id:
            raise _invalid("buddy", _("Choose a buddy in the same region."), "region")
    ExpertProfile.objects.filter(buddy=profile).update(buddy=None)
    if buddy is not None:
        ExpertProfile.objects.filter(buddy=buddy).update(buddy=None)
        buddy.buddy = profile
        buddy.save(update_fields=["buddy"])
    profile.buddy = buddy
    profile.save(update_fields=["buddy"])
    return profile


@transaction.atomic
def absence_add(*, profile: ExpertProfile, start: date, end: date, added_by: User, note: str = "") -> Absence:
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(added_by, "ee_profile.change", profile)
    if start is None or end is None or end < start:
        raise _invalid("end", _("The end date lies before the start date."), "end_before_start")
    return Absence.objects.create(profile=profile, start=start, end=end, note=note)


@transaction.atomic
def absence_remove(*, absence: Absence, removed_by: User) -> None:
    """Take back a planned absence (plans change): the expert themselves or a coordinator."""
    profile = ExpertProfile.objects.select_for_update().get(pk=absence.profile_id)
    _authorize(removed_by, "ee_profile.change", profile)
    Absence.objects.filter(pk=absence.pk).delete()


def absent_days(profile: ExpertProfile, start: date, end: date) -> int:
    days = set()
    for absence in profile.absences.all():
        first, last = max(start, absence.start), min(end, absence.end)
        while first <= last:
            days.add(first)
            first += timedelta(days=1)
    return len(days)


# --- requests ---------------------------------------------------------------------------------


def _check_minutes(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise _invalid("minutes", _("Give the minutes as a whole number."), "minutes") from None
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise _invalid("minutes", _("Minutes must be more than 0 and at most one day (1440)."), "minutes")
    return minutes


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise _invalid(field, _("Choose one of the options."), "choice")


def _client_trajectory(client: Client, professional: User):
    from werkbrug.trajectories.models import Trajectory

    return (
        Trajectory.objects.filter(client=client, status="active", team__person=professional, team__left_at__isnull=True)
        .select_related("client").first()
    )


def _has_participation_consent(client: Client, organisation_id: int | None) -> bool:
    return DataCategory.PARTICIPATION in consented_categories(client, organisation_id)


def _expert_profile(expert: User, region_id: int) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(person=expert, region_id=region_id, active=True).prefetch_related("absences").first()
    if profile is None or not expert.has_role(Role.EXPERIENCE_EXPERT):
        raise _invalid("expert", _("This person is not an active experience expert in the region."), "not_expert")
    return profile


@transaction.atomic
def request_create(
    *, requested_by: User, kind: str, period_start: date, period_end: date, minutes: int = 60,
    setting: str = Setting.OWN_OFFICE, client: Client | None = None, trajectory=None, topic: str = "",
    domains: Iterable[LivedExperienceDomain] = (), note: str = "", expert: User | None = None,
    now: datetime | None = None,
) -> DeploymentRequest:
    """A professional asks for an experience expert, for a client (in a trajectory) or a group/topic."""
    if trajectory is not None:
        client = trajectory.client
    _check_choice(kind, DeploymentKind, "kind")
    _check_choice(setting, Setting, "setting")
    minutes = _check_minutes(minutes)
    if period_start is None or period_end is None or period_end < period_start:
        raise _invalid("period_end", _("The end date lies before the start date."), "end_before_start")
    topic = (topic or "").strip()
    if client is None and not topic:
        raise _invalid("topic", _("Say which client, or which group or topic, the request is for."), "required")
    if requested_by.organisation_id is None or requested_by.region_id is None:
        raise ValidationError(_("Only professionals of an organisation in the region make requests."), code="no_org")
    _authorize(requested_by, "ee_request.create", client)
    if client is not None:
        trajectory = trajectory or _client_trajectory(client, requested_by)
        if trajectory is None or trajectory.client_id != client.pk or not trajectory_is_open(trajectory):
            raise ValidationError(_("The client has no active trajectory with you in the team."), code="no_trajectory")
    request = DeploymentRequest.objects.create(
        region_id=requested_by.region_id, requested_by=requested_by, organisation_id=requested_by.organisation_id,
        kind=kind, setting=setting, client=client, trajectory=trajectory, topic=topic, period_start=period_start,
        period_end=period_end, minutes=minutes, note=note, created_at=now or timezone.now(),
    )
    request.domains.set([d for d in domains if d.region_id == requested_by.region_id])
    if expert is not None:
        _offer(request, expert, requested_by, now=now)
    return request


def _refuse_expired(request: DeploymentRequest, now: datetime | None) -> None:
    """The period has passed (the daily task closes the request; until then it is refused here)."""
    from . import workflow

    if workflow.is_expired(status=request.status, period_end=request.period_end,
                           today=timezone.localdate(now or timezone.now())):
        raise ValidationError(_("The requested period has passed: this request has expired."), code="expired")


def _offer(request: DeploymentRequest, expert: User, offered_by: User, *, now: datetime | None = None) -> RequestOffer:
    from .selectors import match_for_expert

    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is not waiting for an expert."), code="not_open")
    _refuse_expired(request, now)
    profile = _expert_profile(expert, request.region_id)
    if absent_days(profile, request.period_start, request.period_end) >= (request.period_end - request.period_start).days + 1:
        raise _invalid("expert", _("%(name)s is absent for the whole requested period. Choose another expert or period.")
                               % {"name": expert}, "absent")
    if request.client_id is not None and not _has_participation_consent(request.client, expert.organisation_id):
        raise _invalid("expert", _("The client has not (or no longer) consented to %(org)s taking part. Record the consent in the "
                         "client's file first.") % {"org": expert.organisation}, "no_consent")
    if RequestOffer.objects.filter(request=request, expert=expert).exists():
        raise _invalid("expert", _("This request was already put to this expert."), "already_offered")
    match = match_for_expert(request=request, profile=profile)
    offer = RequestOffer.objects.create(
        request=request, expert=expert, offered_by=offered_by, offered_at=now or timezone.now(),
        reasons=[str(r) for r in match.reasons] if match else [],
    )
    request.status = RequestStatus.OFFERED
    request.expert = expert
    request.save(update_fields=["status", "expert"])
    notifications.notify_many(recipients=[expert], actor=offered_by, kind=NotificationKind.DEPLOYMENT_OFFERED,
                              obj=request, link=reverse("experience_experts:request", kwargs={"pk": request.pk}))
    return offer


@transaction.atomic
def request_offer(*, request: DeploymentRequest, expert: User, offered_by: User, now: datetime | None = None) -> RequestOffer:
    """Put the request to the chosen expert (after matching)."""
    request = DeploymentRequest.objects.select_for_update(of=("self",)).select_related("client").get(pk=request.pk)
    _authorize(offered_by, "ee_request.offer", request)
    return _offer(request, expert, offered_by, now=now)


def _pending_offer(request: DeploymentRequest) -> RequestOffer | None:
    return RequestOffer.objects.select_for_update().filter(request=request, outcome=OfferOutcome.PENDING).first()


@dataclass(frozen=True)
class DeploymentSchedule:
    """When and where a planned deployment takes place (its appointment): chosen by the expert
    when they accept, changed with `deployment_plan`."""

    starts_at: datetime | None
    ends_at: datetime | None
    place: str = ""
    video_link: str = ""


def _check_schedule(request: DeploymentRequest | None, schedule: DeploymentSchedule | None) -> DeploymentSchedule:
    """Within the request's period (its first to its last day, in Europe/Amsterdam), ending after
    it starts, with a place or video link (the appointments' own rules for time and place)."""
    from werkbrug.appointments.services import when_and_where_clean

    if schedule is None:
        raise _invalid("starts_at", _("Give the day and time of the deployment."), "required")
    place, video_link = when_and_where_clean(starts_at=schedule.starts_at, ends_at=schedule.ends_at,
                                             place=schedule.place, video_link=schedule.video_link)
    if request is not None:
        day = timezone.localdate(schedule.starts_at, timezone.get_default_timezone())
        if not request.period_start <= day <= request.period_end:
            raise _invalid("starts_at", _("Choose a day in the requested period, %(start)s to %(end)s.") % {
                "start": formats.date_format(request.period_start, "j F Y"),
                "end": formats.date_format(request.period_end, "j F Y")}, "outside_period")
        if timezone.localdate(schedule.ends_at, timezone.get_default_timezone()) != day:
            raise _invalid("ends_at", _("The deployment ends on the day it starts."), "other_day")
    return DeploymentSchedule(schedule.starts_at, schedule.ends_at, place, video_link)


def _minutes(schedule: DeploymentSchedule) -> int:
    return max(1, int((schedule.ends_at - schedule.starts_at).total_seconds() // 60))


@transaction.atomic
def request_accept(*, request: DeploymentRequest, expert: User, schedule: DeploymentSchedule | None,
                   now: datetime | None = None) -> Deployment:
    """The expert accepts, choosing the day, time and place (`schedule`, within the request's
    period): the request is theirs, a planned deployment is pre-filled from it, it becomes an
    appointment at that time and, for a client, the expert joins the client's team."""
    from werkbrug.trajectories.models import TeamMembership
    from werkbrug.trajectories.services import team_member_add

    request = DeploymentRequest.objects.select_for_update(of=("self",)).select_related("client", "trajectory").get(pk=request.pk)
    offer = _pending_offer(request)
    joins_team = (
        request.client_id is not None and request.trajectory_id is not None
        and not TeamMembership.objects.filter(trajectory_id=request.trajectory_id, person=expert, left_at__isnull=True).exists()
    )
    if joins_team:
        # team_member_add writes this request's one access-log record (the team change the
        # requester asked for); the expert's own right to answer is checked without a second one.
        if not policy.can(expert, "ee_request.answer", request):
            _authorize(expert, "ee_request.answer", request)  # logs the refused attempt and raises
    else:
        _authorize(expert, "ee_request.answer", request)
    if offer is None or offer.expert_id != expert.pk:
        raise ValidationError(_("This request is not waiting for your answer."), code="not_offered")
    _refuse_expired(request, now)
    schedule = _check_schedule(request, schedule)
    if request.client_id is not None and not _has_participation_consent(request.client, expert.organisation_id):
        raise ValidationError(
            _("The client has not (or no longer) consented to %(org)s taking part. Ask the professional to record "
              "the consent first.") % {"org": expert.organisation},
            code="no_consent",
        )
    now = now or timezone.now()
    offer.outcome = OfferOutcome.ACCEPTED
    offer.decided_at = now
    offer.save(update_fields=["outcome", "decided_at"])
    request.status = RequestStatus.ACCEPTED
    request.expert = expert
    request.save(update_fields=["status", "expert"])
    if joins_team:
        team_member_add(trajectory=request.trajectory, person=expert, role=Role.EXPERIENCE_EXPERT, added_by=request.requested_by)
    notifications.notify_many(recipients=[request.requested_by], actor=expert, kind=NotificationKind.DEPLOYMENT_ACCEPTED,
                              obj=request, link=reverse("experience_experts:request", kwargs={"pk": request.pk}))
    deployment = Deployment.objects.create(
        region_id=request.region_id, expert=expert, request=request, status=DeploymentStatus.PLANNED,
        date=timezone.localdate(schedule.starts_at, timezone.get_default_timezone()), kind=request.kind,
        minutes=_minutes(schedule), setting=request.setting,
        client=request.client, topic=request.topic, organisation_served_id=request.organisation_id,
    )
    # The deployment becomes an appointment at the time and place chosen.
    from werkbrug.appointments.services import appointment_plan_for_deployment

    appointment_plan_for_deployment(deployment=deployment, starts_at=schedule.starts_at, ends_at=schedule.ends_at,
                                    place=schedule.place, video_link=schedule.video_link, now=now)
    return deployment


@transaction.atomic
def deployment_plan(*, deployment: Deployment, expert: User, schedule: DeploymentSchedule | None,
                    now: datetime | None = None) -> Deployment:
    """The expert changes when or where a planned deployment takes place (still within the
    request's period): the deployment's day and minutes follow, and so does its appointment
    (moved, everyone taking part told)."""
    deployment = (Deployment.objects.select_for_update(of=("self",))
                  .select_related("client", "request").get(pk=deployment.pk))
    _authorize(expert, "deployment.change", deployment)
    if deployment.status != DeploymentStatus.PLANNED:
        raise ValidationError(_("Only a planned deployment can be moved."), code="not_planned")
    if deployment.request is not None and deployment.request.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("The request of this deployment is no longer accepted."), code="closed")
    schedule = _check_schedule(deployment.request, schedule)
    deployment.date = timezone.localdate(schedule.starts_at, timezone.get_default_timezone())
    deployment.minutes = _minutes(schedule)
    deployment.save(update_fields=["date", "minutes"])
    if deployment.request_id is not None:
        from werkbrug.appointments.services import appointment_move_for_deployment

        appointment_move_for_deployment(deployment=deployment, changed_by=expert, starts_at=schedule.starts_at,
                                        ends_at=schedule.ends_at, place=schedule.place,
                                        video_link=schedule.video_link, now=now)
    return deployment


@transaction.atomic
def request_decline(*, request: DeploymentRequest, expert: User, now: datetime | None = None) -> RequestOffer:
    """The expert declines — no reason needed. The request is free for another expert."""
    request = DeploymentRequest.objects.select_for_update(of=("self",)).select_related("client").get(pk=request.pk)
    _authorize(expert, "ee_request.answer", request)
    offer = _pending_offer(request)
    if offer is None or offer.expert_id != expert.pk:
        raise ValidationError(_("This request is not waiting for your answer."), code="not_offered")
    offer.outcome = OfferOutcome.DECLINED
    offer.decided_at = now or timezone.now()
    offer.save(update_fields=["outcome", "decided_at"])
    notifications.notify_many(recipients=[request.requested_by], actor=expert, kind=NotificationKind.DEPLOYMENT_DECLINED,
                              obj=request, link=reverse("experience_experts:request", kwargs={"pk": request.pk}))
    request.status = RequestStatus.OPEN
    request.expert = None
    request.save(update_fields=["status", "expert"])
    return offer


@transaction.atomic
def client_wish_record(*, trajectory, recorded_by: User, now: datetime | None = None) -> ClientWish:
    """The client asked for an experience expert (shown as a suggestion on the trajectory)."""
    _authorize(recorded_by, "team.change", trajectory)
    if not trajectory_is_open(trajectory):
        raise _invalid("trajectory", _("This trajectory is closed: a wish can only be noted in an active trajectory."),
                       "closed")
    return ClientWish.objects.create(trajectory=trajectory, recorded_by=recorded_by, recorded_at=now or timezone.now())


# --- deployments ------------------------------------------------------------------------------


def _check_deployment(*, expert: User, day: date, kind: str, minutes, setting: str, client: Client | None,
                      topic: str, organisation_served: Organisation | None, today: date) -> int:
    _check_choice(kind, DeploymentKind, "kind")
    _check_choice(setting, Setting, "setting")
    minutes = _check_minutes(minutes)
    if day is None:
        raise _invalid("date", _("Give the date."), "required")
    if day > today:
        raise _invalid("date", _("A deployment is registered once it has taken place; the date lies in the future."), "future")
    if organisation_served is None or organisation_served.region_id != expert.region_id:
        raise _invalid("organisation_served", _("Choose an organisation of the region."), "organisation")
    if client is None and not (topic or "").strip():
        raise _invalid("topic", _("Say which client, or which group or topic, it was for."), "required")
    if client is not None:
        if not _has_participation_consent(client, expert.organisation_id):
            raise _invalid("client", _("The client has not (or no longer) consented to %(org)s taking part. A deployment for this "
                             "client cannot be registered.") % {"org": expert.organisation}, "no_consent")
        if _client_trajectory(client, expert) is None:
            raise _invalid("client", _("You are not in this client's team. Ask the professional for a request."), "not_in_team")
    return minutes


@transaction.atomic
def deployment_register(
    *, expert: User, date: date, kind: str, minutes: int, setting: str, organisation_served: Organisation,
    client: Client | None = None, topic: str = "", outcome: str = "", now: datetime | None = None,
    check_signals: bool = True,
) -> Deployment:
    """Register a deployment that took place. Every kind the same way.

    `check_signals=False` is for bulk loads (the demo), which run `expert_signals_check` once at the end.
    """
    now = now or timezone.now()
    minutes = _check_deployment(expert=expert, day=date, kind=kind, minutes=minutes, setting=setting, client=client,
                                topic=topic, organisation_served=organisation_served, today=timezone.localdate(now))
    deployment = Deployment(
        region_id=expert.region_id, expert=expert, status=DeploymentStatus.REGISTERED, date=date, kind=kind,
        minutes=minutes, setting=setting, client=client, topic=(topic or "").strip(),
        organisation_served=organisation_served, outcome=outcome.strip(), registered_at=now,
    )
    _authorize(expert, "deployment.create", deployment)
    deployment.save()
    if check_signals:
        expert_signals_check(expert=expert, today=timezone.localdate(now), weeks=[balance.week_start(date)])
    return deployment


@transaction.atomic
def deployment_complete(*, deployment: Deployment, expert: User, date: date, minutes: int, setting: str,
                        outcome: str = "", kind: str | None = None, now: datetime | None = None) -> Deployment:
    """Register a planned deployment (pre-filled from an accepted request) as taken place."""
    now = now or timezone.now()
    deployment = Deployment.objects.select_for_update(of=("self",)).select_related("client", "organisation_served").get(pk=deployment.pk)
    _authorize(expert, "deployment.change", deployment)
    if deployment.status != DeploymentStatus.PLANNED:
        raise ValidationError(_("This deployment is already registered."), code="registered")
    kind = kind or deployment.kind
    minutes = _check_deployment(expert=expert, day=date, kind=kind, minutes=minutes, setting=setting,
                                client=deployment.client, topic=deployment.topic or "-",
                                organisation_served=deployment.organisation_served, today=timezone.localdate(now))
    deployment.date, deployment.kind, deployment.minutes, deployment.setting = date, kind, minutes, setting
    deployment.outcome = outcome.strip()
    deployment.status = DeploymentStatus.REGISTERED
    deployment.registered_at = now
    deployment.save()
    expert_signals_check(expert=expert, today=timezone.localdate(now), weeks=[balance.week_start(date)])
    return deployment


# --- wellbeing and signals --------------------------------------------------------------------


def _score(value, field: str) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise _invalid(field, _("Choose a score from 1 to 5."), "score")
    return value


@transaction.atomic
def checkin_submit(*, expert: User, energy: int, load: int, note: str = "", now: datetime | None = None) -> CheckIn:
    """The weekly check-in. Filling it in again in the same week replaces that week's answers."""
    now = now or timezone.now()
    profile = ExpertProfile.objects.filter(person=expert).first()
    _authorize(expert, "ee_wellbeing.create", profile)
    energy, load = _score(energy, "energy"), _score(load, "load")
    week = balance.week_start(timezone.localdate(now))
    checkin = CheckIn.objects.select_for_update().filter(expert=expert, week=week).first()
    if checkin is None:
        checkin = CheckIn(expert=expert, week=week)
    checkin.energy, checkin.load, checkin.note, checkin.created_at = energy, load, note.strip(), now
    checkin.save()
    expert_signals_check(expert=expert, today=week)
    return checkin


def _signal(expert: User, kind: str, period: date, detail: str, now: datetime) -> ExpertSignal | None:
    if ExpertSignal.objects.filter(expert=expert, kind=kind, period=period).exists():
        return None
    try:
        with transaction.atomic():
            signal = ExpertSignal.objects.create(expert=expert, kind=kind, period=period, detail=detail, created_at=now)
    except IntegrityError:  # made at the same moment by a parallel check
        return None
    _tell_expert_signal(signal)
    return signal


def _tell_expert_signal(signal: ExpertSignal) -> None:
    """Balance and wellbeing signals go to the expert and their current coordinator only."""
    from werkbrug.notifications.kinds import Kind

    coordinator_id = ExpertProfile.objects.filter(person_id=signal.expert_id).values_list("coordinator_id", flat=True).first()
    people = [signal.expert, *User.objects.filter(pk=coordinator_id)]
    kind = Kind.WELLBEING_SIGNAL if signal.kind == SignalKind.LOW_ENERGY else Kind.BALANCE_SIGNAL
    notifications.notify_many(recipients=people, kind=kind, obj=signal, link=reverse("experience_experts:index"))


def _entries(expert: User, first: date, last: date) -> list[balance.Entry]:
    return [
        balance.Entry(date=d, minutes=m, setting=s, kind=k)
        for d, m, s, k in Deployment.objects.filter(
            expert=expert, status=DeploymentStatus.REGISTERED, date__gte=first, date__lte=last
        ).values_list("date", "minutes", "setting", "kind")
    ]


def expert_signals_check(*, expert: User, today: date, weeks: Iterable[date] = ()) -> list[ExpertSignal]:
    """Make the signals that apply on `today` (idempotent: one per expert, kind and period).

    Checks the weeks given plus today's and last week (hours over contract or own limit), the two
    completed months before today (out of balance) and the check-ins up to this week (low energy).
    """
    profile = ExpertProfile.objects.select_related("region").filter(person=expert).first()
    if profile is None:
        return []
    now = timezone.now()
    made: list[ExpertSignal] = []
    this_week = balance.week_start(today)
    check_weeks = sorted({this_week, this_week - timedelta(weeks=1), *(balance.week_start(w) for w in weeks)})
    first_month = balance.add_months(balance.month_start(today), -2)
    entries = _entries(expert, min(first_month, check_weeks[0]), max(today, check_weeks[-1] + timedelta(days=6)))
    contract_minutes = float(profile.contract_hours) * 60
    limit_minutes = float(profile.client_contact_limit) * 60
    for week in check_weeks:
        total = balance.week_minutes(entries, week=week)
        if total > contract_minutes:
            made.append(_signal(expert, SignalKind.OVER_CONTRACT, week, _("%(hours)s h registered in the week of %(week)s; "
                                "contract %(contract)s h.") % {"hours": round(total / 60, 1), "week": week.isoformat(),
                                                               "contract": profile.contract_hours}, now))
        contact = balance.week_minutes(entries, week=week, kinds=CLIENT_CONTACT_KINDS)
        if contact > limit_minutes:
            made.append(_signal(expert, SignalKind.OVER_LIMIT, week, _("%(hours)s h of client contact in the week of "
                                "%(week)s; own limit %(limit)s h.") % {"hours": round(contact / 60, 1),
                                                                        "week": week.isoformat(),
                                                                        "limit": profile.client_contact_limit}, now))
    target = balance.target_split(profile.region.settings)
    months = [balance.add_months(balance.month_start(today), -2), balance.add_months(balance.month_start(today), -1)]
    balances = [balance.month_balance(entries, month=m, contract_hours=profile.contract_hours, target=target) for m in months]
    if balance.out_of_balance_two_months(balances):
        made.append(_signal(expert, SignalKind.OUT_OF_BALANCE, months[-1], _("Own office %(a)s%% and %(b)s%% of the hours "
                            "in %(m1)s and %(m2)s (target at least %(t)s%%), or more hours than the contract.")
                            % {"a": round(balances[0].own_office_share or 0), "b": round(balances[1].own_office_share or 0),
                               "m1": months[0].strftime("%m-%Y"), "m2": months[1].strftime("%m-%Y"), "t": target["own_office"]},
                            now))
    checkins = CheckIn.objects.filter(expert=expert, week__lte=this_week, week__gte=this_week - timedelta(weeks=3))
    if balance.low_energy_run(checkins.values_list("week", "energy"), up_to=this_week):
        made.append(_signal(expert, SignalKind.LOW_ENERGY, this_week,
                            _("Energy 1 or 2 in three check-ins in a row, up to the week of %(week)s.")
                            % {"week": this_week.isoformat()}, now))
    return [s for s in made if s is not None]


def signals_check_region(*, region: Region, today: date) -> int:
    """The daily run (Celery beat or cron): every active expert of the region."""
    made = 0
    for profile in ExpertProfile.objects.filter(region=region, active=True).select_related("person"):
        made += len(expert_signals_check(expert=profile.person, today=today))
    return made


# --- support groups ---------------------------------------------------------------------------


def _check_facilitator_overlap(facilitators: Iterable[User], starts_at: datetime, ends_at: datetime,
                               exclude_meeting: int | None = None) -> None:
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("A meeting ends after it starts."), "end_before_start")
    for person in facilitators:
        clash = (
            SupportGroupMeeting.objects.filter(group__facilitators=person, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk=exclude_meeting).select_related("group").first()
        )
        if clash is not None:
            raise ValidationError(
                _("%(name)s already facilitates a meeting at that time (%(group)s, meeting %(n)s).")
                % {"name": person, "group": clash.group.name, "n": clash.number},
                code="overlap",
            )


@transaction.atomic
def support_group_create(
    *, organisation: Organisation, name: str, facilitators: Iterable[User], created_by: User, first_meeting_at: datetime,
    meetings: int = DEFAULT_MEETINGS, interval_days: int = 7, duration_minutes: int = 120, now: datetime | None = None,
) -> SupportGroup:
    """A series of meetings (default six, weekly) with the default themes, to be adapted with the group."""
    _authorize(created_by, "support_group.create", None)
    facilitators = list(facilitators)
    name = (name or "").strip()
    if not name:
        raise _invalid("name", _("Give the group a name."), "required")
    if not facilitators:
        raise _invalid("facilitators", _("Choose at least one facilitator."), "required")
    if organisation.region_id != created_by.region_id or any(f.region_id != created_by.region_id for f in facilitators):
        raise ValidationError(_("The organisation and the facilitators must be in your region."), code="region")
    if not 1 <= int(meetings) <= 20:
        raise _invalid("meetings", _("A series has 1 to 20 meetings."), "meetings")
    if not 15 <= int(duration_minutes) <= 480:
        raise _invalid("duration_minutes", _("A meeting lasts 15 minutes to 8 hours."), "duration")
    group = SupportGroup.objects.create(region_id=organisation.region_id, organisation=organisation, name=name,
                                        created_by=created_by, created_at=now or timezone.now())
    for number in range(1, int(meetings) + 1):
        starts_at = first_meeting_at + timedelta(days=interval_days * (number - 1))
        ends_at = starts_at + timedelta(minutes=int(duration_minutes))
        _check_facilitator_overlap(facilitators, starts_at, ends_at)
        theme = DEFAULT_THEMES[number - 1] if number <= len(DEFAULT_THEMES) else DEFAULT_THEMES[-1]
        SupportGroupMeeting.objects.create(group=group, number=number, theme=str(theme), starts_at=starts_at, ends_at=ends_at)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def meeting_update(*, meeting: SupportGroupMeeting, changed_by: User, theme: str, starts_at: datetime,
                   ends_at: datetime, notes: str = "") -> SupportGroupMeeting:
    meeting = SupportGroupMeeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    _authorize(changed_by, "support_group.change", meeting.group)
    if not (theme or "").strip():
        raise _invalid("theme", _("Give the meeting a theme."), "required")
    _check_facilitator_overlap(meeting.group.facilitators.all(), starts_at, ends_at, exclude_meeting=meeting.pk)
    meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes = theme.strip(), starts_at, ends_at, notes
    meeting.save()
    return meeting


@transaction.atomic
def participant_add(*, group: SupportGroup, client: Client, added_by: User, now: datetime | None = None) -> SupportGroupParticipant:
    """A client joins the group — only with consent for the group's organisation to take part."""
    group = SupportGroup.objects.select_for_update().get(pk=group.pk)
    participant = SupportGroupParticipant(group=group, client=client, added_by=added_by, added_at=now or timezone.now())
    if client.region_id == group.region_id and not _has_participation_consent(client, group.organisation_id):
        raise _invalid("client", _("The client has not consented to %(org)s taking part. Record the consent first.")
             % {"org": group.organisation}, "no_consent")
    _authorize(added_by, "support_group.add_participant", participant)
    if SupportGroupParticipant.objects.filter(group=group, client=client).exists():
        raise _invalid("client", _("This client already takes part."), "duplicate")
    participant.save()
    return participant


@transaction.atomic
def attendance_record(*, meeting: SupportGroupMeeting, present: Iterable[int], recorded_by: User,
                      notes: str | None = None) -> list[Attendance]:
    """Who was there (participant ids); everyone else of the group is recorded absent."""
    meeting = SupportGroupMeeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    _authorize(recorded_by, "support_group.change", meeting.group)
    present = {int(p) for p in present}
    participants = list(meeting.group.participants.all())
    unknown = present - {p.pk for p in participants}
    if unknown:
        raise ValidationError(_("Someone ticked is not a participant of this group."), code="unknown_participant")
    result = []
    for participant in participants:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, participant=participant, defaults={"present": participant.pk in present}
        )
        result.append(row)
    if notes is not None:
        meeting.notes = notes
        meeting.save(update_fields=["notes"])
    return result


# Corrections and withdrawals of registrations, cancelling and expiring requests (a module of
# their own; re-exported here, the module other code imports).
from .registrations import (  # noqa: E402
    deployment_correct,
    deployment_withdraw,
    expert_open_requests,
    expert_requests_release,
    request_cancel,
    requester_open_requests,
    requester_requests_hand_over,
    requests_expire,
)

__all__ += ["deployment_correct", "deployment_withdraw", "expert_open_requests", "expert_requests_release",
            "request_cancel", "requester_open_requests", "requester_requests_hand_over", "requests_expire"]
