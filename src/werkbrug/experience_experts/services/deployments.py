"""Experience-expert services: deployments."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, User

from .. import balance
from ..models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    Setting,
)
from ._common import _authorize, _invalid
from .requests import _check_choice, _check_minutes, _client_trajectory, _has_participation_consent
from .wellbeing import expert_signals_check

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
