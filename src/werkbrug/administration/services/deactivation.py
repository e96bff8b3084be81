"""Deactivating and reactivating an account, with everything the person held.

Deactivation closes an account only once nothing is left in the person's hands, and it hands
over, in the same transaction, every position outside client teams (the places in client teams
come first, through `person_hand_over`, since each needs its own successor per client):

- ambassador: the appointment ends (`ambassadors.services.ambassador_step_down`); their open
  questions go to a colleague ambassador of the organisation or, with none, to the region's
  fallback (the network coordinator, else the region administrators), who is told;
- experience-expert coordinator: the experts they coordinate get the successor the administrator
  chooses (another coordinator of the region, or nobody for now) through
  `experience_experts.services.coordinator_assign`; the requests put to those experts follow
  their coordinator, and the new coordinator is told;
- experience expert: requests put to them go back to open, accepted requests whose deployment is
  still planned are cancelled, the requesters told
  (`experience_experts.services.expert_requests_release`); the profile is set inactive;
- the personal calendar feed is switched off (`appointments.services.calendar_feed_revoke`),
  the API tokens revoked, and every role ends: a reactivated account starts without roles, so
  nothing is silently restored.

One `AdministrationEvent` records what was handed over to whom. Reactivation opens the account
again, with a reason, and tells the person (a set-password link when they never chose one).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.ambassadors.services import ambassador_step_down
from werkbrug.api.models import tokens_revoke_all
from werkbrug.appointments.services import calendar_feed_revoke
from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.links import absolute_url
from werkbrug.core.models import RoleAssignment, User
from werkbrug.core.principal import forget
from werkbrug.experience_experts.services import (
    coordinator_assign,
    expert_requests_release,
    profile_update,
    requester_requests_hand_over,
)
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind

from ..models import EventAction
from ..selectors import Positions, positions_of
from .audit import event_record
from .people import _active_region_admins, _lock, set_password_link

log = logging.getLogger(__name__)
MAX_REASON = 500


def _reason(reason: str | None, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason."), code="required")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": ValidationError(_("At most %(n)s characters.") % {"n": MAX_REASON},
                                                         code="too_long")})
    return reason


_UNSET = object()


def _coordinator_successor(positions: Positions, coordinator: object) -> User | None:
    if not positions.coordinated:
        return None
    if coordinator is _UNSET:
        raise ValidationError({"coordinator": ValidationError(
            _("Choose who coordinates this person's experience experts from now on."), code="required")})
    if coordinator is None:
        return None
    chosen = next((c for c in positions.coordinator_candidates if c.pk == getattr(coordinator, "pk", coordinator)), None)
    if chosen is None:
        raise ValidationError({"coordinator": ValidationError(
            _("Choose an active experience-expert coordinator of the region."), code="coordinator")})
    return chosen


@transaction.atomic
def person_deactivate(*, person: User, actor: User, coordinator: object = _UNSET, reason: str = "") -> User:
    """Close an account and hand over every position the person holds (see the module docstring).

    Refused while the person still holds a place in an active client team (as member or plan
    director): the hand-over comes first (`person_hand_over`), so that no client is left without
    their plan director or with a member who can no longer sign in. `coordinator` is needed when
    the person coordinates experience experts: a coordinator of the region, or None for nobody."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not person.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    if not person.is_professional:
        raise ValidationError(_("Only professionals are administered here."), code="not_professional")
    positions = positions_of(person)
    if positions.seats:
        raise ValidationError(
            _("This person still has a place in %(n)s client teams. Hand those over first.") % {"n": len(positions.seats)},
            code="hand_over_first",
        )
    if person.has_role(Role.REGION_ADMIN) and _active_region_admins(person.region_id) <= 1:
        raise ValidationError(_("The region needs at least one region administrator."), code="last_admin")
    reason = _reason(reason, required=False)
    successor = _coordinator_successor(positions, coordinator)
    now = timezone.now()
    before: dict = {"is_active": True, "roles": sorted(person.roles)}
    after: dict = {"is_active": False, "roles": []}

    if positions.ambassador is not None:
        questions = list(positions.ambassador_question_ids)
        ambassador_step_down(ambassador=positions.ambassador, changed_by=actor, now=now)
        before["ambassador"] = {"organisation": positions.ambassador.organisation_id, "open_questions": questions}
        after["ambassador"] = {"questions": _question_holders(questions)}

    if positions.coordinated:
        for profile in positions.coordinated:
            coordinator_assign(profile=profile, coordinator=successor, assigned_by=actor, now=now)
        before["coordinated_experts"] = [p.person_id for p in positions.coordinated]
        after["coordinator"] = successor.pk if successor else None
        if successor is not None:
            # Named by a count only: the title and the mail carry no names.
            notifications.notify_many(
                recipients=[successor], actor=actor, kind=Kind.EXPERTS_HANDED_OVER,
                ref_number=len(positions.coordinated), link=reverse("experience_experts:profiles"))

    if positions.expert_requests:
        released = expert_requests_release(
            expert=person, released_by=actor, now=now,
            reason=reason or gettext("The experience expert's account has been deactivated."))
        before["expert_requests"] = [r.pk for r in positions.expert_requests]
        after["expert_requests"] = released
    if positions.requested:
        moved = requester_requests_hand_over(
            requester=person, released_by=actor, now=now,
            reason=reason or gettext("The requester's account has been deactivated."))
        before["requested"] = [r.pk for r in positions.requested]
        after["requested"] = moved
    if positions.expert_profile is not None:
        profile_update(profile=positions.expert_profile, changed_by=actor, active=False)
        before["expert_profile_active"], after["expert_profile_active"] = True, False

    if positions.calendar_feed:
        calendar_feed_revoke(person=person)
        before["calendar_feed"], after["calendar_feed"] = True, False

    RoleAssignment.objects.filter(person=person).delete()
    person.is_active = False
    person.save(update_fields=["is_active"])
    after["api_tokens_revoked"] = tokens_revoke_all(person)
    if reason:
        after["reason"] = reason
    forget(person.pk)
    event_record(actor=actor, action=EventAction.PERSON_DEACTIVATED, region_id=person.region_id, person=person,
                 organisation=person.organisation, before=before, after=after)
    return person


def _question_holders(question_ids: list[int]) -> dict[str, str]:
    """Where each open question went: `ambassador:<person id>` or `fallback:<person id>` or `nobody`."""
    from werkbrug.ambassadors.models import EventKind, QuestionEvent

    result: dict[str, str] = {}
    events = (QuestionEvent.objects.filter(question_id__in=question_ids, kind__in=[EventKind.ASSIGNED,
                                                                                   EventKind.ESCALATED_UP])
              .select_related("ambassador").order_by("question_id", "at", "id"))
    for event in events:
        if event.kind == EventKind.ASSIGNED and event.ambassador is not None:
            result[str(event.question_id)] = f"ambassador:{event.ambassador.person_id}"
        elif event.kind == EventKind.ESCALATED_UP and event.person_id is not None:
            result[str(event.question_id)] = f"fallback:{event.person_id}"
    return {str(pk): result.get(str(pk), "nobody") for pk in question_ids}


def _send_reactivation(person: User, actor: User, reason: str) -> None:
    """Mail after commit, in Dutch: the account is open again; a set-password link if the person
    never chose a password, else the sign-in page. Nothing about clients."""
    needs_password = not person.has_usable_password()
    link = set_password_link(person) if needs_password else absolute_url(reverse("web:login"))
    with translation.override("nl"):
        subject = gettext("Your Werkbrug account is active again")
        if needs_password:
            step = gettext("Choose your password here (the link works once, for a few days):")
        else:
            step = gettext("Sign in with your user name %(username)s and your own password:") % {
                "username": person.username}
        body = gettext(
            "Hello %(name)s,\n\n"
            "%(actor)s has made your Werkbrug account at %(organisation)s active again.\n"
            "%(step)s\n\n%(link)s\n\n"
            "Your roles are given again separately. If you did not expect this mail, tell your region administrator.\n"
        ) % {
            "name": person.get_full_name(), "actor": actor.get_full_name() or actor.username,
            "organisation": person.organisation, "step": step, "link": link,
        }

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except (OSError, smtplib.SMTPException):
            log.warning("reactivation mail could not be sent", exc_info=True)

    if person.email:
        transaction.on_commit(deliver)


@transaction.atomic
def person_reactivate(*, person: User, actor: User, reason: str) -> User:
    """Open a deactivated account again, with a reason. The person has no roles (they ended at
    deactivation; any left from before are ended now too, and recorded): the administrator gives
    the roles again, one by one, each in the audit trail. The person is told by mail."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    reason = _reason(reason, required=True)
    if person.is_active:
        raise ValidationError(_("This account is active."), code="active")
    if not person.is_professional or person.organisation_id is None:
        raise ValidationError(_("Only professionals of an organisation are administered here."),
                              code="not_professional")
    left = sorted(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    RoleAssignment.objects.filter(person=person).delete()
    person.is_active = True
    person.save(update_fields=["is_active"])
    forget(person.pk)
    event_record(actor=actor, action=EventAction.PERSON_REACTIVATED, region_id=person.region_id, person=person,
                 organisation=person.organisation, before={"is_active": False, "roles": left},
                 after={"is_active": True, "roles": [], "reason": reason,
                        "set_password_link": not person.has_usable_password()})
    _send_reactivation(person, actor, reason)
    return person
