"""Known in the region?: the check, the request to join the existing file's team, and its answer.

The check answers yes or no and nothing more (see `clients/known.py` for the matching). Every
check is a probe of the region's register, so each one writes one access-log record — with the
pseudonym of the (first) matching client, so the client sees in the portal that someone asked,
and the privacy officer sees who probes — and a professional may make only
`KNOWN_CHECKS_PER_HOUR` of them per hour (counted from those records).

On yes, the asker can ask the plan director of each matching file to add them to the team. The
request names the asker, their organisation and role; the plan director adds them (through the
team's own `team_member_add`, so the client's consent for the asker's organisation is still
needed) or declines. The asker is told the answer, and still learns nothing of the file until
they are in its team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.access_log import access_log_write
from werkbrug.core.choices import DataCategory

from ..known import KNOWN_CHECKS_PER_HOUR, possible_matches
from ..models import Client, JoinRequest, JoinRequestStatus

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["KnownCheckLimit", "KnownAnswer", "known_check", "join_request_create", "join_request_decide"]

ACTION = "client.known_check"


class KnownCheckLimit(PermissionDenied):
    """Too many checks in the last hour (answered 429)."""


@dataclass(frozen=True)
class KnownAnswer:
    possibly_known: bool
    requests_sent: int = 0


def _limit(user: User) -> int:
    configured = ((user.region.settings or {}).get("clients") or {}).get("known_checks_per_hour") if user.region else None
    try:
        return max(1, min(int(configured), 1000)) if configured is not None else KNOWN_CHECKS_PER_HOUR
    except (TypeError, ValueError):
        return KNOWN_CHECKS_PER_HOUR


def _log(user: User, *, granted: bool, client: Client | None, purpose: str) -> None:
    access_log_write(
        actor=user, code="R", action=ACTION, granted=granted,
        client_pseudonym=client.pseudonym if client is not None else "", data_category=DataCategory.PARTICIPATION,
        obj=client, purpose=purpose, role=user.primary_role, relation=False, consent=False,
        region_id=user.region_id,
    )


def _checked(user: User, first_name: str, last_name: str, date_of_birth: date | None, purpose: str) -> list[Client]:
    """Authorize, rate limit, match and log one probe; the matches (never shown to the asker)."""
    from werkbrug.core.models import AccessLogRecord

    policy.check(user, ACTION, None)  # a refusal is logged there
    since = timezone.now() - timedelta(hours=1)
    # Through the index (region, time): the region's last hour, then this person's checks in it.
    done = AccessLogRecord.objects.filter(region_id_snapshot=user.region_id, occurred_at__gte=since,
                                          actor_id_snapshot=user.pk, action=ACTION).count()
    if done >= _limit(user):
        _log(user, granted=False, client=None, purpose="known in the region? (limit reached)")
        raise KnownCheckLimit(_("You have made many checks in the last hour. Try again later."))
    errors = {}
    if not (first_name or "").strip():
        errors["first_name"] = ValidationError(_("Give the first name."), code="required")
    if not (last_name or "").strip():
        errors["last_name"] = ValidationError(_("Give the last name."), code="required")
    if date_of_birth is None:
        errors["date_of_birth"] = ValidationError(_("Give the date of birth."), code="required")
    if errors:
        raise ValidationError(errors)
    matches = possible_matches(region_id=user.region_id, first_name=first_name, last_name=last_name,
                               date_of_birth=date_of_birth)
    _log(user, granted=True, client=matches[0] if matches else None, purpose=purpose)
    return matches


def known_check(*, user: User, first_name: str, last_name: str, date_of_birth: date | None) -> KnownAnswer:
    """Whether a person with these details may already be known in the user's region. Nothing else."""
    matches = _checked(user, first_name, last_name, date_of_birth, "known in the region?")
    return KnownAnswer(possibly_known=bool(matches))


def _target(client: Client):
    """The file to ask to join: the client's active trajectory, else the newest closed one."""
    from werkbrug.trajectories.models import Trajectory

    return (Trajectory.objects.filter(client=client, erased_at__isnull=True).select_related("plan_director")
            .order_by("-status", "-started_on", "-id").first())  # "closed" < "active": active first


def join_request_create(
    *, user: User, first_name: str, last_name: str, date_of_birth: date | None, role: str, note: str = "",
) -> KnownAnswer:
    """Ask the plan director of each matching file to add `user` (in `role`) to its team.

    The answer says only whether anyone may be known; how many requests went out is not told to
    the asker (the API returns `possibly_known` only)."""
    from werkbrug.core.policy.trajectories import TeamSeat
    from werkbrug.notifications import services as notifications
    from werkbrug.notifications.kinds import Kind

    if not policy.can(user, "team.join", TeamSeat(region_id=user.region_id, role=role)):
        raise ValidationError({"role": ValidationError(
            _("Choose a role that works with clients and that you hold."), code="role")})
    if len(note or "") > 300:
        raise ValidationError({"note": ValidationError(_("Keep the note under 300 characters."), code="too_long")})
    matches = _checked(user, first_name, last_name, date_of_birth, "known in the region? (request to join)")
    sent = 0
    now = timezone.now()
    for client in matches:
        trajectory = _target(client)
        if trajectory is None or trajectory.team.filter(person=user, left_at__isnull=True).exists():
            continue
        try:
            with transaction.atomic():  # one request and its notice together, per file
                request = JoinRequest.objects.create(client=client, trajectory=trajectory, requested_by=user,
                                                     role=role, note=(note or "").strip(), created_at=now)
                notifications.notify(recipient=trajectory.plan_director, kind=Kind.JOIN_REQUESTED, obj=request,
                                     link=reverse("clients:join_request", kwargs={"pk": request.pk}))
        except IntegrityError:  # already asked and still open
            continue
        sent += 1
    return KnownAnswer(possibly_known=bool(matches), requests_sent=sent)


@transaction.atomic
def join_request_decide(*, request: JoinRequest, decided_by: User, accept: bool) -> JoinRequest:
    """The plan director adds the asker to the team (`team_member_add`: consent is still needed)
    or declines. The asker is told either way."""
    from werkbrug.notifications import services as notifications
    from werkbrug.notifications.kinds import Kind
    from werkbrug.trajectories.services import team_member_add

    request = JoinRequest.objects.select_for_update().select_related(
        "trajectory", "trajectory__client", "requested_by").get(pk=request.pk)
    policy.authorize(decided_by, "join_request.decide", request)
    if request.status != JoinRequestStatus.OPEN:
        raise ValidationError(_("This request has been answered already."), code="decided")
    if accept:
        team_member_add(trajectory=request.trajectory, person=request.requested_by, role=request.role,
                        added_by=decided_by)
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_by, request.decided_at = decided_by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    link = (reverse("trajectories:detail", kwargs={"pk": request.trajectory_id}) if accept
            else reverse("clients:known"))
    notifications.notify(recipient=request.requested_by, kind=Kind.JOIN_DECIDED, obj=request, link=link)
    return request
