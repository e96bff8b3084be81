"""Writes for signals and referrals. Other apps import only this module and `selectors.py`.

Signals: one professional informs the others when they think it is relevant (e.g. the debt
counsellor expects something to hit the client's mood and warns the jobcoach). The author picks
recipients from the active team, or the whole team; every recipient acknowledges their own copy.
An urgent signal that nobody acknowledged within `SIGNAL_ESCALATION_HOURS` (24 by default, per
region in `Region.settings["SIGNAL_ESCALATION_HOURS"]`) escalates once to the plan director, who
is added as a recipient and mailed (no client data in the mail, only a link).

Referrals: a team member refers the client to another organisation's service; that needs the
client's consent for the receiving organisation to take part first. The steps are in
`workflow.py`; `referral_transition` is the one function that takes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory
from werkbrug.core.models import Organisation
from werkbrug.core.policy.clients import consented_categories
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus
from werkbrug.trajectories.workflow import ensure_open

from . import workflow
from .models import (
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralService,
    ReferralState,
    Signal,
    SignalCategory,
    SignalRecipient,
    Urgency,
)

if TYPE_CHECKING:
    from werkbrug.core.models import Region, User

__all__ = [
    "escalation_hours",
    "signal_create",
    "signal_acknowledge",
    "signals_escalate",
    "referral_create",
    "referral_transition",
    "referral_accept",
    "referral_reject",
    "referral_withdraw",
    "referral_complete",
    "referral_join_team",
]

MAX_TEXT = 4000


def escalation_hours(region: Region) -> float:
    """Hours before an unacknowledged urgent signal escalates: region setting, else the setting."""
    default = getattr(settings, "SIGNAL_ESCALATION_HOURS", 24)
    value = (region.settings or {}).get("SIGNAL_ESCALATION_HOURS", default)
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return float(default)
    return hours if hours > 0 else float(default)


def _active_trajectory(trajectory: Trajectory) -> Trajectory:
    ensure_open(trajectory)
    return trajectory


# --- signals -----------------------------------------------------------------------------------


def signal_create(
    *,
    trajectory: Trajectory,
    author: User,
    category: str,
    urgency: str,
    text: str,
    recipients: Iterable[User] = (),
    whole_team: bool = False,
) -> Signal:
    """Send a signal to chosen active team members, or to the whole team (minus the author).

    Every recipient must be an active team member whose organisation the client consented to
    receive signals; with `whole_team`, members without that consent are left out (they may not
    read it), and at least one recipient must remain.
    """
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(author, "signal.create", trajectory)
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
        _active_trajectory(trajectory)
        errors: dict[str, list] = {}
        text = (text or "").strip()
        if not text:
            errors.setdefault("text", []).append(ValidationError(_("Write what the signal is about."), code="required"))
        elif len(text) > MAX_TEXT:
            errors.setdefault("text", []).append(
                ValidationError(_("The message is too long (at most %(n)s characters).") % {"n": MAX_TEXT}, code="too_long"))
        if category not in SignalCategory.values:
            errors.setdefault("category", []).append(ValidationError(_("Choose what the signal is about."), code="invalid_choice"))
        if urgency not in Urgency.values:
            errors.setdefault("urgency", []).append(ValidationError(_("Choose normal or urgent."), code="invalid_choice"))
        members = {
            m.person_id: m
            for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True).select_related("person")
        }
        client = trajectory.client

        def consents(member: TeamMembership) -> bool:
            return DataCategory.SIGNALS in consented_categories(client, member.organisation_id)

        chosen: list[User] = []
        if whole_team:
            chosen = [m.person for pid, m in members.items() if pid != author.pk and consents(m)]
            if not chosen:
                errors.setdefault("recipients", []).append(ValidationError(
                    _("Nobody else in the team may receive signals: the client has not consented to it for their organisations."),
                    code="no_recipients"))
        else:
            seen: set[int] = set()
            for person in recipients:
                pk = getattr(person, "pk", person)
                if pk in seen:
                    continue
                seen.add(pk)
                member = members.get(pk)
                if member is None:
                    # Never say who it is: the id may be anyone's, in any region.
                    errors.setdefault("recipients", []).append(ValidationError(
                        _("Choose members of this team."), code="not_member"))
                elif pk == author.pk:
                    errors.setdefault("recipients", []).append(ValidationError(
                        _("You cannot send a signal to yourself."), code="self"))
                elif not consents(member):
                    errors.setdefault("recipients", []).append(ValidationError(
                        _("The client has not consented to sharing signals with %(org)s, so %(name)s cannot receive this signal.")
                        % {"org": member.organisation, "name": member.person}, code="no_consent"))
                else:
                    chosen.append(member.person)
            if not seen:
                errors.setdefault("recipients", []).append(ValidationError(
                    _("Choose at least one recipient, or the whole team."), code="required"))
        if errors:
            raise ValidationError(errors)
        signal = Signal.objects.create(
            trajectory=trajectory, author=author, category=category, urgency=urgency, text=text,
            whole_team=whole_team, created_at=timezone.now(),
        )
        SignalRecipient.objects.bulk_create([SignalRecipient(signal=signal, person=p) for p in chosen])
        notifications.notify_many(
            recipients=chosen, actor=author, kind=NotificationKind.SIGNAL_RECEIVED, obj=signal,
            link=_signals_link(trajectory.pk), urgent=urgency == Urgency.URGENT,
        )
        return signal


def _signals_link(trajectory_pk: int) -> str:
    return reverse("collaboration:signals", kwargs={"trajectory_pk": trajectory_pk})


def signal_acknowledge(*, signal: Signal, person: User) -> SignalRecipient:
    """The recipient says they have read it. Once per recipient, with the time."""
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(person, "signal.acknowledge", signal)
    with transaction.atomic():
        signal = Signal.objects.select_related("trajectory__client").get(pk=signal.pk)
        # Lock the recipient row: a double click must not write two different timestamps.
        recipient = SignalRecipient.objects.select_for_update().get(signal=signal, person=person)
        if recipient.acknowledged_at is not None:
            raise ValidationError(_("You have already acknowledged this signal."), code="already_acknowledged")
        recipient.acknowledged_at = timezone.now()
        recipient.save(update_fields=["acknowledged_at"])
        notifications.notify_many(
            recipients=[signal.author], actor=person, kind=NotificationKind.SIGNAL_ACKNOWLEDGED, obj=signal,
            link=_signals_link(signal.trajectory_id),
        )
        return recipient


def _escalation_candidates(now: datetime):
    return (
        Signal.objects.filter(urgency=Urgency.URGENT, escalated_at__isnull=True, trajectory__status=TrajectoryStatus.ACTIVE)
        .exclude(recipients__acknowledged_at__isnull=False)
        .filter(created_at__lte=now)
        .select_related("trajectory__region")
    )


def signals_escalate(*, now: datetime | None = None, notify: bool = True) -> list[Signal]:
    """Escalate every urgent signal nobody acknowledged in time. Idempotent: once per signal.

    Each signal is escalated in its own transaction, locked and checked again, so two runs at
    the same time (cron and the task) escalate it once.
    """
    now = now or timezone.now()
    escalated = []
    for candidate in _escalation_candidates(now).order_by("created_at", "id"):
        deadline = candidate.created_at + timedelta(hours=escalation_hours(candidate.trajectory.region))
        if deadline > now:
            continue
        with transaction.atomic():
            signal = Signal.objects.select_for_update().select_related("trajectory__client", "trajectory__plan_director").get(pk=candidate.pk)
            if signal.escalated_at is not None or signal.recipients.filter(acknowledged_at__isnull=False).exists():
                continue
            director = signal.trajectory.plan_director
            signal.escalated_at = now
            signal.escalated_to = director
            signal.save(update_fields=["escalated_at", "escalated_to"])
            SignalRecipient.objects.get_or_create(signal=signal, person=director, defaults={"by_escalation": True})
            if notify:
                # The mail carries no care content: the kind, a number and a link behind sign-in.
                notifications.notify(recipient=director, kind=NotificationKind.SIGNAL_ESCALATED, obj=signal,
                                     link=_signals_link(signal.trajectory_id), urgent=True)
            escalated.append(signal)
    return escalated


# --- referrals ---------------------------------------------------------------------------------


def referral_create(
    *, trajectory: Trajectory, referred_by: User, organisation: Organisation, service: str, question: str
) -> Referral:
    """Refer the client to `organisation`'s service. Needs the client's consent for it first."""
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(referred_by, "referral.create", trajectory)
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
        _active_trajectory(trajectory)
        client = trajectory.client
        errors: dict[str, list] = {}
        question = (question or "").strip()
        if organisation is None or organisation.region_id != client.region_id:
            errors["organisation"] = [ValidationError(_("Choose an organisation in the client's region."), code="other_region")]
        elif DataCategory.PARTICIPATION not in consented_categories(client, organisation.pk):
            errors["organisation"] = [ValidationError(
                _("The client has not (or no longer) consented to %(org)s taking part. Ask the client and record the consent first.")
                % {"org": organisation}, code="no_consent")]
        elif Referral.objects.filter(trajectory=trajectory, organisation=organisation, service=service,
                                     state__in=workflow.OPEN_STATES).exists():
            errors["organisation"] = [ValidationError(
                _("There is already an open referral to this organisation for this service."), code="duplicate")]
        if service not in ReferralService.values:
            errors["service"] = [ValidationError(_("Choose a service."), code="invalid_choice")]
        if not question:
            errors["question"] = [ValidationError(_("Say what the client needs from this service."), code="required")]
        elif len(question) > 2000:
            errors["question"] = [ValidationError(_("The question is too long (at most 2000 characters)."), code="too_long")]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        referral = Referral.objects.create(
            trajectory=trajectory, organisation=organisation, service=service, question=question,
            referred_by=referred_by, state=ReferralState.REQUESTED, created_at=now, changed_at=now,
        )
        ReferralEvent.objects.create(referral=referral, from_state="", to_state=ReferralState.REQUESTED,
                                     actor=referred_by, at=now)
        receivers = organisation.people.filter(
            is_active=True, role_assignments__role__in=CASEWORK_ROLES).distinct()
        notifications.notify_many(recipients=receivers, actor=referred_by, kind=NotificationKind.REFERRAL_RECEIVED,
                                  obj=referral, link=_referral_link(referral.pk))
        return referral


def _referral_link(referral_pk: int) -> str:
    return reverse("collaboration:referral", kwargs={"pk": referral_pk})


_REFERRAL_NOTICES = {
    ReferralState.ACCEPTED: NotificationKind.REFERRAL_ACCEPTED,
    ReferralState.REJECTED: NotificationKind.REFERRAL_REJECTED,
    ReferralState.COMPLETED: NotificationKind.REFERRAL_COMPLETED,
}


ACTIONS = {
    ReferralState.ACCEPTED: "referral.respond",
    ReferralState.REJECTED: "referral.respond",
    ReferralState.WITHDRAWN: "referral.withdraw",
    ReferralState.COMPLETED: "referral.complete",
}


def referral_transition(
    *, referral: Referral, actor: User, to_state: str, reason: str = "", outcome: str = ""
) -> Referral:
    """Take one step of the referral workflow (the only place that changes a referral's state)."""
    action = ACTIONS.get(to_state)
    if action is None:
        raise ValidationError(_("This is not a step a referral can take."), code="invalid_transition")
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(actor, action, referral)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().select_related("trajectory__client").get(pk=referral.pk)
        reason = (reason or "").strip()
        if not workflow.can_transition(referral.state, to_state):
            raise ValidationError(
                _("A referral that is %(state)s cannot become %(to)s.")
                % {"state": ReferralState(referral.state).label.lower(), "to": ReferralState(to_state).label.lower()},
                code="invalid_transition",
            )
        errors: dict[str, list] = {}
        if to_state in workflow.REASON_REQUIRED and not reason:
            errors["reason"] = [ValidationError(_("Give a reason."), code="required")]
        if len(reason) > 1000:
            errors["reason"] = [ValidationError(_("The reason is too long (at most 1000 characters)."), code="too_long")]
        if to_state == ReferralState.COMPLETED and outcome not in ReferralOutcome.values:
            errors["outcome"] = [ValidationError(_("Say whether the referral was successful."), code="required")]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        ReferralEvent.objects.create(referral=referral, from_state=referral.state, to_state=to_state, actor=actor,
                                     at=now, reason=reason)
        referral.state = to_state
        referral.changed_at = now
        update = ["state", "changed_at"]
        if to_state in (ReferralState.ACCEPTED, ReferralState.REJECTED):
            referral.handled_by = actor
            update.append("handled_by")
        if to_state in (ReferralState.REJECTED, ReferralState.COMPLETED, ReferralState.WITHDRAWN):
            referral.reason = reason
            update.append("reason")
        if to_state == ReferralState.COMPLETED:
            referral.outcome = outcome
            update.append("outcome")
        referral.save(update_fields=update)
        if to_state in _REFERRAL_NOTICES:
            notifications.notify_many(recipients=[referral.referred_by], actor=actor, kind=_REFERRAL_NOTICES[to_state],
                                      obj=referral, link=_referral_link(referral.pk))
        return referral


def referral_accept(*, referral: Referral, actor: User) -> Referral:
    return referral_transition(referral=referral, actor=actor, to_state=ReferralState.ACCEPTED)


def referral_reject(*, referral: Referral, actor: User, reason: str) -> Referral:
    return referral_transition(referral=referral, actor=actor, to_state=ReferralState.REJECTED, reason=reason)


def referral_withdraw(*, referral: Referral, actor: User, reason: str = "") -> Referral:
    return referral_transition(referral=referral, actor=actor, to_state=ReferralState.WITHDRAWN, reason=reason)


def referral_complete(*, referral: Referral, actor: User, successful: bool | str, reason: str) -> Referral:
    if isinstance(successful, bool):
        outcome = ReferralOutcome.SUCCESSFUL if successful else ReferralOutcome.NOT_SUCCESSFUL
    else:
        outcome = successful
    return referral_transition(referral=referral, actor=actor, to_state=ReferralState.COMPLETED, reason=reason,
                               outcome=outcome)


@transaction.atomic
def referral_join_team(*, referral: Referral, person: User, role: str = "") -> TeamMembership:
    """After accepting, the accepting organisation's professional joins the client's team.

    The join goes through `trajectories.services.team_member_add`, which checks consent and
    writes the one access-log record, with the referrer as the one who adds: the referral is
    their invitation. The policy here only decides (no second record).
    """
    from werkbrug.trajectories.services import team_member_add

    referral = Referral.objects.select_for_update().select_related("trajectory__client").get(pk=referral.pk)
    decision = policy.decide(person, "referral.join", referral)
    if not decision.allowed:
        raise ValidationError(_("Only a professional of the receiving organisation can join through this referral."),
                              code="not_receiver")
    if referral.state != ReferralState.ACCEPTED:
        raise ValidationError(_("Accept the referral before joining the team."), code="not_accepted")
    role = role or next((r for r in sorted(person.roles) if r in CASEWORK_ROLES), "")
    trajectory = referral.trajectory
    inviter = referral.referred_by
    if not TeamMembership.objects.filter(trajectory=trajectory, person=inviter, left_at__isnull=True).exists():
        inviter = trajectory.plan_director
    return team_member_add(trajectory=trajectory, person=person, role=role, added_by=inviter)
