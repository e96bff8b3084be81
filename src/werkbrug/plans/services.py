"""Writes for the one shared plan: save a new version, ask for agreement, agree, disagree.

Every save of the content makes a new `PlanVersion` (see workflow.py for what that does to
agreement). Saves use optimistic locking: the caller says which version number its change was
based on (`based_on`) and which revision of the plan (`revision`: `Plan.revision` counts every
change, also an action's status, which is recorded on the current version without a new one);
when someone else changed the plan in between, `PlanConflict` is raised and nothing is written, so
the caller can show both. The plan row is locked while saving and while changing a status, so two
simultaneous changes cannot both win and a save never reverts a change its editor has not seen.

Each service authorizes once, before its transaction, so the access-log record of an attempt
stays even when the attempt is refused for bad input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.policy.clients import is_own_file
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.models import TeamMembership, Trajectory
from werkbrug.trajectories.workflow import ensure_open

from . import workflow
from .models import (
    Action,
    ActionStatus,
    ActionStatusChange,
    Goal,
    Plan,
    PlanResponse,
    PlanVersion,
    ResponseKind,
)

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = [
    "ActionInput",
    "GoalInput",
    "PlanConflict",
    "action_status_set",
    "action_tick",
    "goals_from_version",
    "plan_agree",
    "plan_disagree",
    "plan_save",
    "plan_submit",
]

CLIENT_OWNER = "client"


class PlanConflict(ValidationError):
    """Someone else saved a newer version after the one this change was based on."""

    def __init__(self, *, based_on: int, current: int, revision: int | None = None):
        if based_on == current:
            message = _("Someone else changed version %(current)s of the plan (the status of an action) while you "
                        "were editing it. Nothing of yours was saved yet: look at the plan as it is saved now and "
                        "save yours again.") % {"current": current}
        else:
            message = _("Someone else changed the plan while you were editing it (you started from version "
                        "%(based_on)s; version %(current)s is the newest). Nothing of yours was saved yet: "
                        "look at their change and save yours again.") % {"based_on": based_on, "current": current}
        super().__init__(message, code="version_conflict")
        self.based_on = based_on
        self.current = current
        self.revision = revision


@dataclass
class ActionInput:
    title: str
    owner: str  # "client" or a person's id, as text
    due_on: date
    status: str = ActionStatus.OPEN
    key: uuid.UUID | None = None


@dataclass
class GoalInput:
    title: str
    description: str = ""
    actions: list[ActionInput] | None = None
    key: uuid.UUID | None = None


def goals_from_version(version: PlanVersion) -> list[GoalInput]:
    """A version's content as input (keys kept), to change and save as the next version."""
    return [
        GoalInput(
            key=g.key, title=g.title, description=g.description,
            actions=[ActionInput(key=a.key, title=a.title, owner=CLIENT_OWNER if a.owner_is_client else str(a.owner_id),
                                 due_on=a.due_on, status=a.status) for a in g.actions.order_by("position", "id")],
        )
        for g in version.goals.all()
    ]


def _members(trajectory: Trajectory) -> dict[int, TeamMembership]:
    return {
        m.person_id: m
        for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True).select_related("person")
    }


def _normalise(goals: list[GoalInput], *, trajectory: Trajectory, members: dict[int, Any]) -> list[GoalInput]:
    """Check the content; raise one ValidationError listing every problem."""
    errors: list[ValidationError] = []
    if not goals:
        errors.append(ValidationError(_("A plan needs at least one goal."), code="no_goals"))
    seen: set[uuid.UUID] = set()
    for gi, goal in enumerate(goals, start=1):
        goal.title = (goal.title or "").strip()
        goal.description = (goal.description or "").strip()
        if not goal.title:
            errors.append(ValidationError(_("Goal %(n)s has no title.") % {"n": gi}, code="goal_title"))
        if goal.key is not None:
            if goal.key in seen:
                errors.append(ValidationError(_("Goal %(n)s appears twice.") % {"n": gi}, code="duplicate"))
            seen.add(goal.key)
        for action in goal.actions or []:
            action.title = (action.title or "").strip()
            label = action.title or _("(no title)")
            if not action.title:
                errors.append(ValidationError(_("An action of goal %(n)s has no title.") % {"n": gi}, code="action_title"))
            owner = str(action.owner or "").strip()
            if owner != CLIENT_OWNER and (not owner.isdigit() or int(owner) not in members):
                errors.append(ValidationError(
                    _("The action “%(action)s” needs an owner from the team: the client or a team member.")
                    % {"action": label}, code="owner_not_in_team"))
            if action.due_on is None:
                errors.append(ValidationError(_("The action “%(action)s” has no due date.") % {"action": label}, code="due_missing"))
            elif action.due_on < trajectory.started_on:
                errors.append(ValidationError(
                    _("The due date of “%(action)s” lies before the start of the plan (%(start)s).")
                    % {"action": label, "start": trajectory.started_on.strftime("%d-%m-%Y")}, code="due_before_start"))
            if action.status not in ActionStatus.values:
                errors.append(ValidationError(_("Unknown status for “%(action)s”.") % {"action": label}, code="status"))
            if action.key is not None:
                if action.key in seen:
                    errors.append(ValidationError(_("The action “%(action)s” appears twice.") % {"action": label}, code="duplicate"))
                seen.add(action.key)
    if errors:
        raise ValidationError(errors)
    return goals


def _content(version: PlanVersion | None) -> list[tuple]:
    """A comparable snapshot of a version's content (to refuse saves that change nothing)."""
    if version is None:
        return []
    actions: dict[int, list[tuple]] = {}
    for a in version.actions.all():
        owner = CLIENT_OWNER if a.owner_is_client else str(a.owner_id)
        actions.setdefault(a.goal_id, []).append((str(a.key), a.title, owner, a.due_on, a.status))
    return [(str(g.key), g.title, g.description, actions.get(g.pk, [])) for g in version.goals.all()]


def _input_content(goals: list[GoalInput], keys: dict) -> list[tuple]:
    return [
        (str(keys[id(g)]), g.title, g.description,
         [(str(keys[id(a)]), a.title, str(a.owner).strip(), a.due_on, a.status) for a in g.actions or []])
        for g in goals
    ]


def plan_save(
    *,
    trajectory: Trajectory,
    actor: User,
    based_on: int,
    goals: list[GoalInput],
    note: str = "",
    submit: bool = False,
    revision: int | None = None,
) -> PlanVersion:
    """Save the plan's content as a new version (based on version `based_on`, 0 for none, and on
    the plan's `revision`; pages and the API always give it, None skips that check for callers
    that build the content from the current version themselves, such as the demo).

    With `submit`, the new version asks everyone for agreement at once; otherwise it is a draft.
    """
    policy.authorize(actor, "plan.change", trajectory)
    with transaction.atomic():
        # The lock serialises saves of one plan: the second of two simultaneous saves waits here,
        # then sees the first one's version and gets a conflict instead of overwriting it.
        trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        ensure_open(trajectory, _("This trajectory is closed; its plan can no longer change."))
        Plan.objects.get_or_create(trajectory=trajectory)
        plan = Plan.objects.select_for_update(of=("self",)).select_related("current_version").get(trajectory=trajectory)
        current = plan.current_version
        current_number = current.number if current else 0
        if based_on != current_number or (revision is not None and revision != plan.revision):
            raise PlanConflict(based_on=based_on, current=current_number, revision=plan.revision)
        members = _members(trajectory)
        goals = _normalise(goals, trajectory=trajectory, members=members)
        known_keys = set()
        if current is not None:
            known_keys = {g.key for g in current.goals.all()} | {a.key for a in current.actions.all()}
        # Keys the current version does not know are treated as new items.
        keys = {}
        for g in goals:
            keys[id(g)] = g.key if g.key in known_keys else uuid.uuid4()
            for a in g.actions or []:
                keys[id(a)] = a.key if a.key in known_keys else uuid.uuid4()
        if current is not None and _input_content(goals, keys) == _content(current):
            raise ValidationError(_("Nothing was changed, so no new version was made."), code="unchanged")
        now = timezone.now()
        try:
            with transaction.atomic():
                version = PlanVersion.objects.create(
                    plan=plan, number=current_number + 1, created_by=actor, created_at=now,
                    note=note.strip()[:300], submitted_at=now if submit else None,
                )
        except IntegrityError as exc:  # belt and braces under the lock: the number is taken
            raise PlanConflict(based_on=based_on, current=current_number + 1) from exc
        for gi, g in enumerate(goals):
            goal = Goal.objects.create(version=version, key=keys[id(g)], position=gi, title=g.title, description=g.description)
            Action.objects.bulk_create([
                Action(
                    version=version, goal=goal, key=keys[id(a)], position=ai, title=a.title,
                    owner_id=None if str(a.owner).strip() == CLIENT_OWNER else int(a.owner),
                    owner_is_client=str(a.owner).strip() == CLIENT_OWNER, due_on=a.due_on, status=a.status,
                )
                for ai, a in enumerate(g.actions or [])
            ])
        plan.current_version = version
        plan.revision += 1
        plan.save(update_fields=["current_version", "revision"])
        _tell_new_owners(plan.trajectory, current, version, actor)
        if submit:
            _tell_team(plan.trajectory, NotificationKind.PLAN_AGREEMENT_REQUESTED, actor=actor, version=version)
        return version


def _lock_current(plan_version: PlanVersion) -> tuple[Plan, PlanVersion]:
    plan = Plan.objects.select_for_update().select_related("trajectory").get(pk=plan_version.plan_id)
    version = PlanVersion.objects.select_for_update().get(pk=plan_version.pk)
    if plan.current_version_id != version.pk:
        current = PlanVersion.objects.get(pk=plan.current_version_id)
        raise ValidationError(
            _("You are answering version %(old)s, but the plan has changed since then: version %(new)s "
              "is the current one. Read the new version and answer that one.")
            % {"old": version.number, "new": current.number},
            code="outdated_version",
        )
    return plan, version


def version_facts(version: PlanVersion, trajectory: Trajectory) -> workflow.Facts:
    from .selectors import plan_members

    members = [m.person_id for m in plan_members(trajectory)[0]]
    agreed = PlanResponse.objects.filter(version=version, kind=ResponseKind.AGREE, for_client=False).values_list("person_id", flat=True)
    return workflow.facts(
        submitted=version.submitted_at is not None, disagreed=version.disagreed,
        client_agreed=version.client_agreed, members=members, agreed=agreed,
    )


def plan_submit(*, plan_version: PlanVersion, actor: User) -> PlanVersion:
    """Ask everyone to agree to a draft version."""
    policy.authorize(actor, "plan.submit", plan_version.plan.trajectory)
    with transaction.atomic():
        plan, version = _lock_current(plan_version)
        state = workflow.version_state(version_facts(version, plan.trajectory))
        if not workflow.step_allowed(state, workflow.Step.SUBMIT):
            raise ValidationError(_("This version has already been sent to everyone for agreement."), code="already_submitted")
        version.submitted_at = timezone.now()
        version.save(update_fields=["submitted_at"])
        _tell_team(plan.trajectory, NotificationKind.PLAN_AGREEMENT_REQUESTED, actor=actor, version=version)
        return version


def _tell_new_owners(trajectory, previous: PlanVersion | None, version: PlanVersion, actor: User) -> None:
    """Whoever an open action newly belongs to (a new action, or one that changed hands) is told."""
    from django.urls import reverse

    before = {} if previous is None else dict(previous.actions.values_list("key", "owner_id"))
    owners = {owner for key, owner in version.actions.filter(status=ActionStatus.OPEN, owner__isnull=False)
              .values_list("key", "owner_id") if before.get(key) != owner}
    if owners:
        from werkbrug.core.models import User

        notifications.notify_many(recipients=User.objects.filter(pk__in=owners), actor=actor,
                                  kind=NotificationKind.ACTION_ASSIGNED, obj=version, ref_number=trajectory.pk,
                                  link=reverse("plans:plan", kwargs={"trajectory_pk": trajectory.pk}))


def actions_remind(*, today: date | None = None) -> int:
    """Daily: tell each owner of an open action of a current plan that is due tomorrow or became
    overdue yesterday (once each: one unread notice per person, kind and plan version)."""
    from django.urls import reverse

    today = today or timezone.localdate()
    told = 0
    for kind, due_on in ((NotificationKind.ACTION_DUE, today + timedelta(days=1)),
                         (NotificationKind.ACTION_OVERDUE, today - timedelta(days=1))):
        for action in (Action.objects.filter(status=ActionStatus.OPEN, owner__isnull=False, due_on=due_on,
                                             version__plan__current_version_id=F("version_id"),
                                             version__plan__trajectory__status="active")
                       .select_related("owner", "version__plan")):
            trajectory_pk = action.version.plan.trajectory_id
            told += bool(notifications.notify(recipient=action.owner, kind=kind, obj=action, ref_number=trajectory_pk,
                                              link=reverse("plans:plan", kwargs={"trajectory_pk": trajectory_pk})))
    return told


def _tell_team(trajectory, kind: str, *, actor: User, version: PlanVersion) -> None:
    """The active team members whose organisation may see the plan, and the client in the portal."""
    from django.urls import reverse

    from werkbrug.core.models import User
    from werkbrug.trajectories.models import TeamMembership

    from .selectors import plan_consented_org_ids

    consented = plan_consented_org_ids(trajectory)
    members = [m.person for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
               .select_related("person") if m.organisation_id in consented]
    link = reverse("plans:plan", kwargs={"trajectory_pk": trajectory.pk})
    notifications.notify_many(recipients=members, actor=actor, kind=kind, obj=version, link=link,
                              ref_number=trajectory.pk)
    if kind == NotificationKind.PLAN_AGREEMENT_REQUESTED:
        # The client's portal account, read apart: loading `trajectory.client` here would keep a
        # stale client (without a portal account made later in the same flow) on the trajectory.
        notifications.notify_many(recipients=User.objects.filter(client_record=trajectory.client_id), actor=actor,
                                  kind=kind, obj=version, link=reverse("portal:plan"), ref_number=trajectory.pk)


def _answer(*, plan_version: PlanVersion, person: User, kind: str, comment: str, for_client: bool) -> PlanResponse:
    trajectory = plan_version.plan.trajectory
    own = is_own_file(person, trajectory.client)
    # Someone else answering for the client: the policy's `plan.<kind>_for_client` (only for a
    # client without a portal account).
    policy.authorize(person, f"plan.{kind}_for_client" if for_client and not own else f"plan.{kind}", trajectory)
    with transaction.atomic():
        plan, version = _lock_current(plan_version)
        facts = version_facts(version, plan.trajectory)
        if not workflow.step_allowed(workflow.version_state(facts), kind):
            raise ValidationError(_("This version is a draft: nobody has been asked to agree yet."), code="draft")
        for_client = for_client or own
        answered = PlanResponse.objects.filter(version=version, for_client=for_client)
        if not for_client:
            answered = answered.filter(person=person)
        if answered.exists():
            if for_client and not own:
                raise ValidationError(_("The client has already answered this version."), code="already_answered")
            raise ValidationError(_("You have already answered this version."), code="already_answered")
        if kind == ResponseKind.DISAGREE and not comment.strip():
            raise ValidationError({"comment": ValidationError(
                _("Say why you do not agree, so the team can change the plan."), code="comment_required")})
        now = timezone.now()
        response = PlanResponse.objects.create(
            version=version, person=person, for_client=for_client, kind=kind, comment=comment.strip(), responded_at=now,
        )
        if kind == ResponseKind.DISAGREE:
            version.disagreed = True
        elif for_client:
            version.client_agreed = True
        # The facts after this answer, without asking the database again.
        after = workflow.facts(
            submitted=True, disagreed=version.disagreed, client_agreed=version.client_agreed, members=facts.members,
            agreed=facts.agreed_members | ({person.pk} if kind == ResponseKind.AGREE and not for_client else set()),
        )
        if workflow.version_state(after) == workflow.AgreementState.AGREED:
            version.agreed_at = now
        version.save(update_fields=["disagreed", "client_agreed", "agreed_at"])
        if version.agreed_at == now:
            _tell_team(plan.trajectory, NotificationKind.PLAN_AGREED, actor=person, version=version)
        elif kind == ResponseKind.DISAGREE:
            _tell_team(plan.trajectory, NotificationKind.PLAN_DISAGREED, actor=person, version=version)
        return response


def plan_agree(*, plan_version: PlanVersion, person: User, for_client: bool = False) -> PlanResponse:
    """`person` (the client or a team member) agrees to this version, which must be the current one.

    With `for_client`, a team member records the client's own answer, given in a conversation
    or on paper — only for a client without a portal account (`plan.agree_for_client`); a client
    with one answers for themself.
    """
    return _answer(plan_version=plan_version, person=person, kind=ResponseKind.AGREE, comment="", for_client=for_client)


def plan_disagree(*, plan_version: PlanVersion, person: User, comment: str, for_client: bool = False) -> PlanResponse:
    """`person` does not agree to this version; the comment says why (required)."""
    return _answer(plan_version=plan_version, person=person, kind=ResponseKind.DISAGREE, comment=comment,
                   for_client=for_client)


def _lock_action(action: Action) -> tuple[Plan, Action]:
    """The plan row first, as plan_save locks it: a save and a status change never interleave."""
    plan = Plan.objects.select_for_update().get(pk=action.version.plan_id)
    action = Action.objects.select_for_update().select_related("version__plan").get(pk=action.pk)
    if plan.current_version_id != action.version_id:
        raise ValidationError(_("This action belongs to an older version of the plan."), code="outdated_version")
    return plan, action


def _status_change(plan: Plan, action: Action, *, actor: User, status: str) -> None:
    ActionStatusChange.objects.create(
        action=action, previous=action.status, new=status, changed_by=actor, changed_at=timezone.now()
    )
    action.status = status
    action.save(update_fields=["status"])
    plan.revision += 1
    plan.save(update_fields=["revision"])


def action_status_set(*, action: Action, actor: User, status: str) -> Action:
    """Record progress on an action of the current version (not a content change: no new version)."""
    policy.authorize(actor, "plan.action_status", action.version.plan.trajectory)
    with transaction.atomic():
        plan, action = _lock_action(action)
        if status not in ActionStatus.values:
            raise ValidationError({"status": ValidationError(_("Unknown status."), code="status")})
        if status == action.status:
            return action
        _status_change(plan, action, actor=actor, status=status)
        return action


def action_tick(*, action: Action, person: User, done: bool) -> Action:
    """The client ticks off one of their own actions (`done`), or un-ticks it; the plan director
    is told. Only open and done actions: a cancelled one is the team's to reopen. Like any
    status, it is progress on the current version, not a change that needs agreement again."""
    policy.authorize(person, "plan.action_tick", action)
    with transaction.atomic():
        plan, action = _lock_action(action)
        if action.status == ActionStatus.CANCELLED:
            raise ValidationError(_("This action was cancelled by your team; it cannot be ticked off."),
                                  code="cancelled")
        status = ActionStatus.DONE if done else ActionStatus.OPEN
        if status == action.status:
            return action
        _status_change(plan, action, actor=person, status=status)
        trajectory = Trajectory.objects.only("id", "plan_director").select_related("plan_director").get(
            pk=action.version.plan.trajectory_id)
        if done and trajectory.plan_director is not None and trajectory.plan_director_id != person.pk:
            from django.urls import reverse

            notifications.notify(recipient=trajectory.plan_director, kind=NotificationKind.ACTION_DONE_BY_CLIENT,
                                 obj=action, ref_number=trajectory.pk,
                                 link=reverse("plans:plan", kwargs={"trajectory_pk": trajectory.pk}))
        return action
