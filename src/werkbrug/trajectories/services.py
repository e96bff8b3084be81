"""Writes for trajectories, their teams and the plan director.

A trajectory is a client's route to paid work. Its team is the client plus professionals of any
organisations, each with a role in this trajectory. A professional joins only once the client
consents to their organisation taking part (data category `participation`). There is always
exactly one plan director (planregisseur), from any organisation, who must be in the team;
handing the role over is recorded in `PlanDirectorChange`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from werkbrug.clients.models import Client, ConsentMethod
from werkbrug.clients.services import client_register, consent_grant
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import User
from werkbrug.core.policy import memo
from werkbrug.core.policy.administration import HandOverSeat
from werkbrug.core.policy.clients import consented_categories
from werkbrug.core.policy.trajectories import IntakeWrite, TeamSeat, visible_categories
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .intake import FIELD_CATEGORY, REQUIRED_TO_COMPLETE
from .models import (
    CloseOutcome,
    CloseReason,
    Intake,
    IntakeStatus,
    PlanDirectorChange,
    TeamMembership,
    Trajectory,
    TrajectoryEvent,
    TrajectoryEventKind,
    TrajectoryStatus,
)
from .workflow import can_transition, ensure_open

__all__ = [
    "client_register_and_start",
    "trajectory_start",
    "trajectory_close",
    "trajectory_reopen",
    "team_member_add",
    "team_member_remove",
    "team_memberships_end_for_withdrawal",
    "plan_director_hand_over",
    "intake_save",
]


def _check_professional(person: User, client: Client, role: str) -> None:
    """The policy's `team.join`: a professional of the region, in a casework role they hold."""
    if not person.is_professional or person.region_id != client.region_id or person.organisation_id is None:
        raise ValidationError({"person": ValidationError(_("This person is not a professional in the client's region."), code="unknown_member")})
    if not policy.can(person, "team.join", TeamSeat(region_id=client.region_id, role=role)):
        raise ValidationError({"role": ValidationError(
            _("Choose a role that works with clients and that this person holds."), code="role")})


@transaction.atomic
def trajectory_start(
    *,
    client: Client,
    started_by: User,
    role: str,
    consent_method: str,
    consent_evidence: str = "",
    started_on: date | None = None,
) -> Trajectory:
    """Start a trajectory with `started_by` as first team member and plan director.

    The client's consent for the starter's organisation to take part is asked in the first
    conversation; it is recorded here (how: verbally or on paper; `consent_evidence`: where it
    can be checked, else this first conversation) in the same transaction, for the starter's own
    organisation, as any professional's recording, and shown to the client in the portal.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_professional(started_by, client, role)
    if Trajectory.objects.filter(client=client, status=TrajectoryStatus.ACTIVE).exists():
        raise ValidationError(_("This client already has an active trajectory."), code="already_active")
    if consent_method not in (ConsentMethod.VERBAL, ConsentMethod.PAPER):
        raise ValidationError({"consent_method": ValidationError(_("Say how the client gave consent."), code="method")})
    now = timezone.now()
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": ValidationError(_("A trajectory cannot start in the future."), code="future")})
    try:
        with transaction.atomic():
            trajectory = Trajectory.objects.create(
                region=client.region, client=client, started_on=started_on, plan_director=started_by,
            )
    except IntegrityError as exc:  # a concurrent start for the same client
        raise ValidationError(_("This client already has an active trajectory."), code="already_active") from exc
    TeamMembership.objects.create(
        trajectory=trajectory, person=started_by, organisation=started_by.organisation, role=role, joined_at=now,
    )
    PlanDirectorChange.objects.create(trajectory=trajectory, previous=None, new=started_by, changed_by=started_by, changed_at=now)
    memo.forget(facts=(memo.TEAM_ROLE,))
    if DataCategory.PARTICIPATION not in consented_categories(client, started_by.organisation_id):
        consent_grant(
            client=client, organisation=started_by.organisation, category=DataCategory.PARTICIPATION,
            recorded_by=started_by, method=consent_method,
            evidence=consent_evidence or gettext("Asked in the first conversation, at the start of the trajectory."),
        )
    return trajectory


@sensitive_variables()  # the BSN never reaches an error report (no local variables in it)
@transaction.atomic
def client_register_and_start(
    *, registered_by: User, role: str, consent_method: str, consent_evidence: str = "",
    started_on: date | None = None, **client_fields: Any
) -> Trajectory:
    """Register a client and start their trajectory with the registering professional as first
    team member and plan director: one step, so there is never a client without a team."""
    if not policy.can(registered_by, "team.join", TeamSeat(region_id=registered_by.region_id, role=role)):
        raise ValidationError({"role": ValidationError(
            _("Choose a role that works with clients and that this person holds."), code="role")})
    if consent_method not in (ConsentMethod.VERBAL, ConsentMethod.PAPER):
        raise ValidationError({"consent_method": ValidationError(_("Say how the client gave consent."), code="method")})
    client = client_register(registered_by=registered_by, **client_fields)
    return trajectory_start(
        client=client, started_by=registered_by, role=role, consent_method=consent_method,
        consent_evidence=consent_evidence, started_on=started_on,
    )


@transaction.atomic
def team_member_add(
    *, trajectory: Trajectory, person: User, role: str, added_by: User, as_plan_director: bool = False,
    handing_over_from: User | None = None,
) -> TeamMembership:
    """Add a professional. Needs the client's consent for the person's organisation first.

    `as_plan_director` exists so that a request for a second plan director gets a clear answer:
    there is exactly one, and the role moves only by `plan_director_hand_over`.
    `handing_over_from`: the person joins in the place of this leaving colleague, added by the
    region administrator or the leaver's manager (`administration.services.person_hand_over`).
    """
    trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
    _authorize_team_change(added_by, trajectory, handing_over_from, person)
    client = trajectory.client
    ensure_open(trajectory)
    if as_plan_director:
        raise ValidationError(
            _("This trajectory already has a plan director. Add the person to the team, then hand the role over."),
            code="second_plan_director",
        )
    _check_professional(person, client, role)
    if DataCategory.PARTICIPATION not in consented_categories(client, person.organisation_id):
        raise ValidationError({"person": ValidationError(_("The client has not (or no longer) consented to %(org)s taking part. The client gives that consent in the portal, or a professional of %(org)s records it.")
             % {"org": person.organisation}, code="no_consent")})
    if TeamMembership.objects.filter(trajectory=trajectory, person=person, left_at__isnull=True).exists():
        raise ValidationError({"person": ValidationError(_("This person is already in the team."), code="duplicate")})
    member = TeamMembership.objects.create(
        trajectory=trajectory, person=person, organisation=person.organisation, role=role, joined_at=timezone.now()
    )
    memo.forget(facts=(memo.TEAM_ROLE, memo.FORMER_ROLE))
    notifications.notify_many(recipients=[person], actor=added_by, kind=NotificationKind.TEAM_MEMBER, obj=trajectory,
                              link=reverse("trajectories:detail", kwargs={"pk": trajectory.pk}))
    return member


def _authorize_team_change(user: User, trajectory: Trajectory, leaving: User | None, successor: User | None) -> None:
    """A team member changes the team (`team.change`); a hand-over of a leaving person's place
    is the region administrator's or the leaver's manager's (`team.hand_over`)."""
    if leaving is None:
        policy.authorize(user, "team.change", trajectory)
    else:
        policy.authorize(user, "team.hand_over", HandOverSeat(trajectory, leaving, successor))


@transaction.atomic
def team_member_remove(
    *, membership: TeamMembership, removed_by: User, handing_over_from: User | None = None
) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update().select_related("trajectory").get(pk=membership.pk)
    if handing_over_from is not None and handing_over_from.pk != membership.person_id:
        raise ValidationError(_("Only the leaving person's own place is handed over."), code="not_leaving")
    _authorize_team_change(removed_by, membership.trajectory, handing_over_from, None)
    if membership.left_at is not None:
        raise ValidationError(_("This person has already left the team."), code="already_left")
    if membership.trajectory.plan_director_id == membership.person_id:
        raise ValidationError(_("Hand over the plan director role before this person leaves the team."), code="plan_director")
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    memo.forget(facts=(memo.TEAM_ROLE, memo.FORMER_ROLE))
    return membership


def team_memberships_end_for_withdrawal(*, client: Client, organisation_id: int) -> list[TeamMembership]:
    """End (left_at: now) the active team memberships of `organisation_id`'s people in `client`'s
    trajectories: the client withdrew that organisation's `participation` consent.

    Called by `clients.services.consent_withdraw` inside its transaction (which authorized the
    withdrawal), so the withdrawal and the leaving are one change. A plan director of that
    organisation leaves too: the client's withdrawal counts at once, and another team member
    takes the role over (`trajectory.hand_over` allows any member while the director is out).
    """
    memberships = list(
        TeamMembership.objects.select_for_update()
        .filter(trajectory__client=client, organisation_id=organisation_id, left_at__isnull=True)
        .select_related("person").order_by("pk")
    )
    now = timezone.now()
    for membership in memberships:
        membership.left_at = now
        membership.save(update_fields=["left_at"])
    memo.forget(facts=(memo.TEAM_ROLE, memo.FORMER_ROLE))
    return memberships


@transaction.atomic
def plan_director_hand_over(
    *, trajectory: Trajectory, new_director: User, handed_over_by: User, note: str = "",
    handing_over_from: User | None = None,
) -> Trajectory:
    """Exactly one plan director: the role moves to another active team member.

    `handing_over_from`: the leaving plan director, whose role the region administrator (or the
    leaver's manager, to a colleague of the same organisation) hands over."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if handing_over_from is None:
        policy.authorize(handed_over_by, "trajectory.hand_over", trajectory)
    else:
        if handing_over_from.pk != trajectory.plan_director_id:
            raise ValidationError(_("Only the leaving person's own place is handed over."), code="not_leaving")
        policy.authorize(handed_over_by, "team.hand_over", HandOverSeat(trajectory, handing_over_from, new_director))
    ensure_open(trajectory)
    if new_director.pk == trajectory.plan_director_id:
        raise ValidationError({"new_director": ValidationError(_("This person is already the plan director."), code="same")})
    if not TeamMembership.objects.filter(trajectory=trajectory, person=new_director, left_at__isnull=True).exists():
        raise ValidationError({"new_director": ValidationError(_("The plan director must be a member of the team."), code="not_member")})
    previous = trajectory.plan_director
    trajectory.plan_director = new_director
    trajectory.save(update_fields=["plan_director"])
    PlanDirectorChange.objects.create(
        trajectory=trajectory, previous=previous, new=new_director, changed_by=handed_over_by,
        changed_at=timezone.now(), note=note,
    )
    notifications.notify_many(recipients=[new_director], actor=handed_over_by, kind=NotificationKind.PLAN_DIRECTOR,
                              obj=trajectory, link=reverse("trajectories:detail", kwargs={"pk": trajectory.pk}))
    return trajectory


def _team_people(trajectory: Trajectory) -> list[User]:
    return [m.person for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
            .select_related("person").order_by("pk")]


@transaction.atomic
def trajectory_close(
    *, trajectory: Trajectory, closed_by: User, reason: str, outcome: str, note: str = "",
    ended_on: date | None = None,
) -> Trajectory:
    """Close the trajectory (the plan director): a reason and an outcome, one `TrajectoryEvent`.

    The team stays as it was, so that its members read the file in the archive (read-only); the
    trajectory leaves everyone's caseload. The team is told.
    """
    trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
    policy.authorize(closed_by, "trajectory.close", trajectory)
    ensure_open(trajectory, _("This trajectory is already closed."))
    errors = {}
    if reason not in CloseReason.values:
        errors["reason"] = ValidationError(_("Choose why the trajectory ends."), code="reason")
    if outcome not in CloseOutcome.values:
        errors["outcome"] = ValidationError(_("Choose the outcome."), code="outcome")
    ended_on = ended_on or timezone.localdate()
    if ended_on < trajectory.started_on:
        errors["ended_on"] = ValidationError(_("The end date lies before the start date."), code="end_before_start")
    elif ended_on > timezone.localdate():
        errors["ended_on"] = ValidationError(_("The end date lies in the future."), code="future")
    if len(note) > 500:
        errors["note"] = ValidationError(_("Keep the note under 500 characters."), code="too_long")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    trajectory.status = TrajectoryStatus.CLOSED
    trajectory.ended_on = ended_on
    trajectory.close_reason, trajectory.outcome, trajectory.outcome_note = reason, outcome, note.strip()
    trajectory.closed_at = now
    trajectory.save(update_fields=["status", "ended_on", "close_reason", "outcome", "outcome_note", "closed_at"])
    TrajectoryEvent.objects.create(trajectory=trajectory, kind=TrajectoryEventKind.CLOSED, close_reason=reason,
                                   outcome=outcome, note=note.strip(), ended_on=ended_on, by=closed_by, at=now)
    memo.forget(facts=(memo.TEAM_ROLE,))  # nobody's active team any more; the former team reads the archive
    notifications.notify_many(recipients=_team_people(trajectory), actor=closed_by,
                              kind=NotificationKind.TRAJECTORY_CLOSED, obj=trajectory,
                              link=reverse("trajectories:detail", kwargs={"pk": trajectory.pk}))
    return trajectory


@transaction.atomic
def trajectory_reopen(*, trajectory: Trajectory, reopened_by: User, reason: str) -> Trajectory:
    """Reopen a closed trajectory (a member of its former team), with a reason.

    The closing stays in the history (`TrajectoryEvent`); the former team is the team again and
    the plan director the one at closing. Refused while the client has another active
    trajectory (`already_active`) and for a file the retention job erased (`erased`).
    """
    trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
    policy.authorize(reopened_by, "trajectory.reopen", trajectory)
    if not can_transition(trajectory.status, TrajectoryStatus.ACTIVE):
        raise ValidationError(_("This trajectory is not closed."), code="open")
    if trajectory.erased_at is not None:
        raise ValidationError(_("This file was erased after its retention period and cannot be reopened."),
                              code="erased")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the trajectory is reopened."), code="required")})
    if len(reason) > 500:
        raise ValidationError({"reason": ValidationError(_("Keep the reason under 500 characters."), code="too_long")})
    Client.objects.select_for_update().get(pk=trajectory.client_id)  # serialises with a concurrent start
    if Trajectory.objects.filter(client_id=trajectory.client_id, status=TrajectoryStatus.ACTIVE).exists():
        raise ValidationError(_("This client already has an active trajectory."), code="already_active")
    now = timezone.now()
    trajectory.status = TrajectoryStatus.ACTIVE
    trajectory.ended_on = trajectory.closed_at = None
    trajectory.close_reason = trajectory.outcome = trajectory.outcome_note = ""
    try:
        with transaction.atomic():
            trajectory.save(update_fields=["status", "ended_on", "close_reason", "outcome", "outcome_note", "closed_at"])
    except IntegrityError as exc:  # a concurrent start or reopen for the same client
        raise ValidationError(_("This client already has an active trajectory."), code="already_active") from exc
    TrajectoryEvent.objects.create(trajectory=trajectory, kind=TrajectoryEventKind.REOPENED, note=reason,
                                   by=reopened_by, at=now)
    memo.forget(facts=(memo.TEAM_ROLE,))
    notifications.notify_many(recipients=_team_people(trajectory), actor=reopened_by,
                              kind=NotificationKind.TRAJECTORY_REOPENED, obj=trajectory,
                              link=reverse("trajectories:detail", kwargs={"pk": trajectory.pk}))
    return trajectory


@transaction.atomic
def intake_save(
    *,
    trajectory: Trajectory,
    saved_by: User,
    data: dict[str, Any],
    expected_version: int | None = None,
    complete: bool = False,
) -> Intake:
    """Save (part of) the integrated intake; with `complete=True` also mark it complete.

    A professional may only fill in the sections whose data category the client consented to for
    their organisation. `expected_version` is the version the form was loaded with: a save on an
    older version is refused ("someone else changed it"), so nobody's text is overwritten. A draft
    can be completed later; a complete intake stays complete when it is edited.
    """
    trajectory = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
    # The policy logs the write once per data category written; a section without consent is
    # refused (and logged as refused) there.
    written = frozenset(FIELD_CATEGORY[name] for name in data if name in FIELD_CATEGORY)
    try:
        policy.authorize(saved_by, "intake.change", IntakeWrite(trajectory, written))
    except PermissionDenied:
        allowed = visible_categories(saved_by, trajectory.client)
        hidden = sorted(name for name in data if name in FIELD_CATEGORY and FIELD_CATEGORY[name] not in allowed)
        raise ValidationError({name: ValidationError(_("This part of the intake is not shared with your organisation."), code="not_consented") for name in hidden}) from None
    ensure_open(trajectory)
    unknown = set(data) - set(FIELD_CATEGORY)
    if unknown:
        raise ValidationError({name: ValidationError(_("There is no such field in the intake."), code="unknown_field") for name in sorted(unknown)})
    intake = Intake.objects.select_for_update().filter(trajectory=trajectory).first()
    current = intake.version if intake else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Someone else changed this intake in the meantime. Reload the page to see their changes, then try again."),
            code="stale",
        )
    if intake is None:
        intake = Intake(trajectory=trajectory, created_by=saved_by, updated_by=saved_by, version=0)
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(intake, name, value)
    # Type checks first (API input may be strings); they convert the values in place.
    intake.clean_fields(exclude=["trajectory", "created_by", "updated_by"])
    hours = intake.wished_hours_per_week
    if hours is not None and not 1 <= hours <= 60:
        raise ValidationError({"wished_hours_per_week": ValidationError(_("Give a number of hours between 1 and 60."), code="hours")})
    if complete or intake.status == IntakeStatus.COMPLETE:
        missing = [name for name in REQUIRED_TO_COMPLETE if not getattr(intake, name)]
        if missing:
            raise ValidationError({name: ValidationError(_("Write down the client's own goal before completing the intake."), code="incomplete") for name in missing})
    if complete and intake.status != IntakeStatus.COMPLETE:
        intake.status = IntakeStatus.COMPLETE
        intake.completed_at = timezone.now()
    intake.updated_by = saved_by
    intake.version += 1
    intake.full_clean(exclude=["trajectory", "created_by", "updated_by"])
    intake.save()
    return intake
