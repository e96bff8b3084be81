"""Experience-expert services: requests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import User
from werkbrug.core.policy.clients import consented_categories
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.workflow import trajectory_is_open

from ..models import (
    ClientWish,
    Deployment,
    DeploymentKind,
    DeploymentRequest,
    DeploymentStatus,
    ExpertProfile,
    LivedExperienceDomain,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
    Setting,
)
from ._common import MAX_MINUTES, _authorize, _invalid
from .profiles import absent_days

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
    from .. import workflow

    if workflow.is_expired(status=request.status, period_end=request.period_end,
                           today=timezone.localdate(now or timezone.now())):
        raise ValidationError(_("The requested period has passed: this request has expired."), code="expired")


def _offer(request: DeploymentRequest, expert: User, offered_by: User, *, now: datetime | None = None) -> RequestOffer:
    from ..selectors import match_for_expert

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
