"""Writes that correct what was registered or asked: corrections and withdrawals of an expert's
registrations, cancelling a deployment request, and closing requests whose period has passed.

A registration (a `Deployment` that took place) is corrected or withdrawn by the expert or by the
coordinator named on their profile, always with a reason. Nothing is overwritten without a trace:
each change appends a `DeploymentVersion` (the figures after the change, who, when, why); the first
correction also records the registration as it was first made. A withdrawal is such a version too
and sets the status to withdrawn; every figure (balance, reports, signals, matching) counts
registered deployments only, so a withdrawn one drops out of them.

A request is cancelled by its requester or a coordinator, with a reason; the expert it was put to
(or who accepted it) is told. A request still waiting for an expert after its period closes
itself (`requests_expire`, daily); `workflow.is_expired` is the one definition of "expired".

These functions are re-exported by `services`, the module other code imports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.models import Organisation, Region, User
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .. import balance, workflow
from ..models import (
    Deployment,
    DeploymentKind,
    DeploymentRequest,
    DeploymentStatus,
    DeploymentVersion,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
    Setting,
    VersionChange,
)

__all__ = ["deployment_correct", "deployment_withdraw", "expert_open_requests", "expert_requests_release", "request_cancel",
           "requests_expire"]

MAX_REASON = 500


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("Give a reason."), "reason_required")
    if len(reason) > MAX_REASON:
        raise _invalid("reason", _("The reason is at most 500 characters."), "reason_too_long")
    return reason


def snapshot(deployment: Deployment) -> dict[str, Any]:
    """The figures of a registration as a version keeps them."""
    return {
        "date": deployment.date.isoformat(), "kind": deployment.kind, "minutes": deployment.minutes,
        "setting": deployment.setting, "topic": deployment.topic, "outcome": deployment.outcome,
        "organisation_served": deployment.organisation_served_id,
        "organisation_served_name": deployment.organisation_served.name if deployment.organisation_served_id else "",
    }


def _last_version(deployment: Deployment, now: datetime) -> DeploymentVersion:
    """The newest version; before the first change, version 1 is written: the registration as first made."""
    last = deployment.versions.order_by("-number").first()
    if last is None:
        last = DeploymentVersion.objects.create(
            deployment=deployment, number=1, change=VersionChange.REGISTERED, data=snapshot(deployment),
            changed_by=deployment.expert, changed_at=deployment.registered_at or now,
        )
    return last


def _locked_registration(deployment: Deployment, user: User) -> Deployment:
    deployment = (
        Deployment.objects.select_for_update(of=("self",))
        .select_related("client", "organisation_served", "expert").get(pk=deployment.pk)
    )
    policy.authorize(user, "deployment.correct", deployment)
    if deployment.status != DeploymentStatus.REGISTERED:
        raise ValidationError(_("Only a registered deployment can be corrected or withdrawn."), code="not_registered")
    return deployment


@transaction.atomic
def deployment_correct(
    *, deployment: Deployment, changed_by: User, reason: str, date: date | None = None, kind: str | None = None,
    minutes: int | None = None, setting: str | None = None, organisation_served: Organisation | None = None,
    topic: str | None = None, outcome: str | None = None, now: datetime | None = None,
) -> Deployment:
    """Correct a registration (only the fields given change). The client is not among them: a
    deployment registered for the wrong client is withdrawn and registered again."""
    from .requests import _check_choice, _check_minutes
    from .wellbeing import expert_signals_check

    now = now or timezone.now()
    deployment = _locked_registration(deployment, changed_by)
    reason = _reason(reason)
    last = _last_version(deployment, now)
    old_week = balance.week_start(deployment.date)
    if date is not None:
        if date > timezone.localdate(now):
            raise _invalid("date", _("A deployment is registered once it has taken place; the date lies in the future."),
                           "future")
        deployment.date = date
    if kind is not None:
        _check_choice(kind, DeploymentKind, "kind")
        deployment.kind = kind
    if minutes is not None:
        deployment.minutes = _check_minutes(minutes)
    if setting is not None:
        _check_choice(setting, Setting, "setting")
        deployment.setting = setting
    if organisation_served is not None:
        if organisation_served.region_id != deployment.region_id:
            raise _invalid("organisation_served", _("Choose an organisation of the region."), "organisation")
        deployment.organisation_served = organisation_served
    if topic is not None:
        deployment.topic = topic.strip()
    if outcome is not None:
        deployment.outcome = outcome.strip()[:500]
    if deployment.client_id is None and not deployment.topic:
        raise _invalid("topic", _("Say which client, or which group or topic, it was for."), "required")
    if last.data == snapshot(deployment):
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    DeploymentVersion.objects.create(deployment=deployment, number=last.number + 1, change=VersionChange.CORRECTED,
                                     data=snapshot(deployment), reason=reason, changed_by=changed_by, changed_at=now)
    deployment.save()
    expert_signals_check(expert=deployment.expert, today=timezone.localdate(now),
                         weeks=[old_week, balance.week_start(deployment.date)])
    return deployment


@transaction.atomic
def deployment_withdraw(*, deployment: Deployment, withdrawn_by: User, reason: str,
                        now: datetime | None = None) -> Deployment:
    """Withdraw a registration (the deletion of the expert's or the coordinator's choice): it stays
    on record as withdrawn, with who, when and why, and no figure counts it any more."""
    now = now or timezone.now()
    deployment = _locked_registration(deployment, withdrawn_by)
    reason = _reason(reason)
    last = _last_version(deployment, now)
    DeploymentVersion.objects.create(deployment=deployment, number=last.number + 1, change=VersionChange.WITHDRAWN,
                                     data=snapshot(deployment), reason=reason, changed_by=withdrawn_by, changed_at=now)
    deployment.status = DeploymentStatus.WITHDRAWN
    deployment.save(update_fields=["status"])
    return deployment


def _withdraw_pending_offer(request: DeploymentRequest, now: datetime) -> RequestOffer | None:
    offer = RequestOffer.objects.select_for_update().filter(request=request, outcome=OfferOutcome.PENDING).first()
    if offer is not None:
        offer.outcome = OfferOutcome.WITHDRAWN
        offer.decided_at = now
        offer.save(update_fields=["outcome", "decided_at"])
    return offer


@transaction.atomic
def request_cancel(*, request: DeploymentRequest, cancelled_by: User, reason: str,
                   now: datetime | None = None) -> DeploymentRequest:
    """Cancel a request that is open, offered or accepted. The expert it was put to (or who
    accepted it) is told; an accepted request's planned deployment is cancelled with it. A
    deployment already registered stays: it took place."""
    now = now or timezone.now()
    request = (
        DeploymentRequest.objects.select_for_update(of=("self",)).select_related("client", "expert").get(pk=request.pk)
    )
    policy.authorize(cancelled_by, "ee_request.cancel", request)
    reason = _reason(reason)
    return _cancel(request, cancelled_by=cancelled_by, reason=reason, now=now, tell=(request.expert, request.requested_by))


def _cancel(request: DeploymentRequest, *, cancelled_by: User, reason: str, now: datetime,
            tell: tuple[User | None, ...]) -> DeploymentRequest:
    """Cancel a locked, authorized request (with its planned deployment and appointment) and tell
    `tell` (never whoever cancels)."""
    if not workflow.can_change(request.status, RequestStatus.CANCELLED):
        raise ValidationError(_("This request is already closed (%(status)s).")
                              % {"status": request.get_status_display()}, code="closed")
    _withdraw_pending_offer(request, now)
    Deployment.objects.filter(request=request, status=DeploymentStatus.PLANNED).update(status=DeploymentStatus.CANCELLED)
    request.status = RequestStatus.CANCELLED
    request.closed_at, request.closed_by, request.close_reason = now, cancelled_by, reason
    request.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    from werkbrug.appointments.services import appointments_cancel_for_deployment_request

    appointments_cancel_for_deployment_request(request=request, cancelled_by=cancelled_by, reason=reason, now=now)
    link = reverse("experience_experts:request", kwargs={"pk": request.pk})
    told = [p for p in tell if p is not None and p.pk != cancelled_by.pk]
    for person in {p.pk: p for p in told}.values():
        notifications.notify(recipient=person, kind=NotificationKind.DEPLOYMENT_CANCELLED, obj=request, link=link)
    return request


def expert_open_requests(expert: User):
    """The requests a leaving expert still holds: put to them and waiting for their answer, or
    accepted with the deployment still planned (a registered deployment took place and stays)."""
    planned = Deployment.objects.filter(request=OuterRef("pk"), status=DeploymentStatus.PLANNED)
    return (
        DeploymentRequest.objects.filter(expert=expert)
        .filter(Q(status=RequestStatus.OFFERED) | Q(Exists(planned), status=RequestStatus.ACCEPTED))
        .order_by("period_start", "pk")
    )


@transaction.atomic
def expert_requests_release(*, expert: User, released_by: User, reason: str,
                            now: datetime | None = None) -> dict[str, list[int]]:
    """An expert who leaves (the account is deactivated) can no longer come. A request still put
    to them goes back to open, as after a decline, so another expert can be asked; a request they
    accepted whose deployment is still planned is cancelled with that deployment and its
    appointment (the workflow has no way back from accepted). The requester is told either way.
    Returns the request ids: {"reopened": [...], "cancelled": [...]}."""
    now = now or timezone.now()
    reason = _reason(reason)
    done: dict[str, list[int]] = {"reopened": [], "cancelled": []}
    ids = list(expert_open_requests(expert).values_list("pk", flat=True))
    for request in (DeploymentRequest.objects.select_for_update(of=("self",)).select_related("client", "requested_by")
                    .filter(pk__in=ids).order_by("pk")):
        policy.authorize(released_by, "ee_request.release", request)
        if request.status == RequestStatus.OFFERED:
            _withdraw_pending_offer(request, now)
            request.status = RequestStatus.OPEN
            request.expert = None
            request.save(update_fields=["status", "expert"])
            notifications.notify_many(
                recipients=[request.requested_by], actor=released_by, kind=NotificationKind.DEPLOYMENT_DECLINED,
                obj=request, link=reverse("experience_experts:request", kwargs={"pk": request.pk}))
            done["reopened"].append(request.pk)
        else:
            _cancel(request, cancelled_by=released_by, reason=reason, now=now, tell=(request.requested_by,))
            done["cancelled"].append(request.pk)
    return done


def requester_open_requests(requester: User):
    """The requests a leaving professional made that are still running: looking for an expert,
    waiting for one, or accepted with the deployment still planned."""
    planned = Deployment.objects.filter(request=OuterRef("pk"), status=DeploymentStatus.PLANNED)
    return (
        DeploymentRequest.objects.filter(requested_by=requester)
        .filter(Q(status__in=[RequestStatus.OPEN, RequestStatus.OFFERED])
                | Q(Exists(planned), status=RequestStatus.ACCEPTED))
        .order_by("period_start", "pk")
    )


def requester_requests_hand_over(*, requester: User, released_by: User, reason: str,
                                 now: datetime | None = None) -> dict[str, list[int]]:
    """A professional who leaves (the account is deactivated) no longer follows up the requests
    they made. A request for a client goes to that client's plan director (after the team
    hand-over, a colleague), who is told; a request without a client, or whose plan director is
    the leaver, has nobody to follow it up and is cancelled, the expert told.
    Returns the request ids: {"handed_over": [...], "cancelled": [...]}."""
    now = now or timezone.now()
    reason = _reason(reason)
    done: dict[str, list[int]] = {"handed_over": [], "cancelled": []}
    ids = list(requester_open_requests(requester).values_list("pk", flat=True))
    for request in (DeploymentRequest.objects.select_for_update(of=("self",))
                    .select_related("trajectory__plan_director", "expert").filter(pk__in=ids).order_by("pk")):
        policy.authorize(released_by, "ee_request.release", request)
        director = request.trajectory.plan_director if request.trajectory_id else None
        if director is not None and director.is_active and director.pk != requester.pk:
            request.requested_by = director
            request.save(update_fields=["requested_by"])
            notifications.notify_many(
                recipients=[director], actor=released_by, kind=NotificationKind.REQUESTS_HANDED_OVER,
                obj=request, link=reverse("experience_experts:request", kwargs={"pk": request.pk}))
            done["handed_over"].append(request.pk)
        else:
            _cancel(request, cancelled_by=released_by, reason=reason, now=now, tell=(request.expert,))
            done["cancelled"].append(request.pk)
    return done


def requests_expire(*, today: date, region: Region | None = None, now: datetime | None = None) -> int:
    """Close every request still waiting for an expert after its period ended (daily; idempotent).
    Each request in its own transaction, locked, so a request accepted meanwhile is left alone."""
    now = now or timezone.now()
    candidates = DeploymentRequest.objects.filter(workflow.expired_q(today))
    if region is not None:
        candidates = candidates.filter(region=region)
    closed = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            request = DeploymentRequest.objects.select_for_update().filter(pk=pk).filter(workflow.expired_q(today)).first()
            if request is None:
                continue
            _withdraw_pending_offer(request, now)
            request.status = RequestStatus.EXPIRED
            request.closed_at = now
            request.save(update_fields=["status", "closed_at"])
            closed += 1
    return closed
