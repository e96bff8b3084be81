"""CarePlan, CareTeam and Task: one trajectory's plan, its team and the plan's actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans.models import Action, ActionStatus
from werkbrug.plans.workflow import AgreementState
from werkbrug.trajectories.models import TeamMembership, Trajectory
from werkbrug.trajectories.workflow import trajectory_is_open

from ..base import EXTENSION, FhirError, Search, filter_updated, instant
from .common import clients_of, page, patient_ref, practitioner, readable

if TYPE_CHECKING:
    from werkbrug.core.models import User


def _trajectories(user: User, search: Search) -> QuerySet[Trajectory]:
    queryset = Trajectory.objects.filter(client__in=clients_of(user, search)).select_related("client")
    if search.status is not None:
        statuses = {"active": "active", "completed": "closed"}
        if search.status not in statuses:
            raise FhirError(400, "invalid", "status is active or completed")
        queryset = queryset.filter(status=statuses[search.status])
    return queryset


def careplan(trajectory: Trajectory) -> dict:
    overview = plan_selectors.plan_overview(trajectory=trajectory)
    version = overview.version
    resource = {
        "resourceType": "CarePlan", "id": str(trajectory.pk),
        "status": "active" if trajectory_is_open(trajectory) else "completed",
        "intent": "plan", "title": "Werkplan",
        "subject": patient_ref(trajectory.client),
        "period": {"start": trajectory.started_on.isoformat(),
                   **({"end": trajectory.ended_on.isoformat()} if trajectory.ended_on else {})},
        "careTeam": [{"reference": f"CareTeam/{trajectory.pk}"}],
    }
    if version is None:
        resource["status"] = "draft" if resource["status"] == "active" else resource["status"]
        return resource
    resource["meta"] = {"versionId": str(version.number), "lastUpdated": instant(version.created_at)}
    resource["created"] = instant(version.created_at)
    if version.agreed_at is None and resource["status"] == "active":
        resource["status"] = "draft"
    goals = list(version.goals.all().order_by("position", "pk"))
    actions = list(Action.objects.filter(version=version).order_by("goal__position", "position", "pk"))
    resource["contained"] = [
        {"resourceType": "Goal", "id": f"goal-{goal.pk}", "lifecycleStatus": "active",
         "description": {"text": goal.title}, "subject": patient_ref(trajectory.client),
         **({"note": [{"text": goal.description}]} if goal.description else {})}
        for goal in goals
    ]
    resource["goal"] = [{"reference": f"#goal-{goal.pk}"} for goal in goals]
    resource["activity"] = [{"reference": {"reference": f"Task/{action.pk}", "display": action.title}}
                            for action in actions]
    answers = [
        {"url": "agreedBy", "extension": [
            {"url": "party", "valueString": "client" if p.is_client else p.name},
            {"url": "answer", "valueCode": p.answer.kind},
            {"url": "at", "valueDateTime": instant(p.answer.responded_at)},
        ]}
        for p in overview.participants if p.answer is not None
    ]
    resource["extension"] = [{"url": EXTENSION + "plan-agreement", "extension": [
        {"url": "state", "valueCode": str(AgreementState(overview.state).value)}, *answers,
        *([{"url": "agreedAt", "valueDateTime": instant(version.agreed_at)}] if version.agreed_at else []),
    ]}]
    return resource


def careplan_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    return careplan(plan_selectors.plan_get(user=user, trajectory_pk=int(pk)))


def careplan_search(user: User, search: Search) -> tuple[list[dict], bool]:
    trajectories = filter_updated(_trajectories(user, search), "plan__current_version__created_at", search)
    rows, more = page(trajectories.order_by("pk"), search)
    out = []
    for trajectory in rows:
        if readable(user, "plan.view", trajectory):
            out.append(careplan(trajectory))
    return out, more


def careteam(trajectory: Trajectory) -> dict:
    members = (TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
               .select_related("person", "organisation").order_by("joined_at", "pk"))
    participants = [{"role": [{"text": "client"}], "member": patient_ref(trajectory.client)}]
    for m in members:
        roles = [{"text": m.get_role_display()}]
        if m.person_id == trajectory.plan_director_id:
            roles.append({"coding": [{"system": EXTENSION + "team-role", "code": "plan-director"}],
                          "text": "regievoerder"})
        participants.append({"role": roles, "member": practitioner(m.person),
                             "onBehalfOf": {"display": str(m.organisation)},
                             "period": {"start": instant(m.joined_at)}})
    return {
        "resourceType": "CareTeam", "id": str(trajectory.pk),
        "status": "active" if trajectory_is_open(trajectory) else "inactive",
        "subject": patient_ref(trajectory.client), "participant": participants,
    }


def _trajectory_get(user: User, pk: str, action: str) -> Trajectory:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    trajectory = Trajectory.objects.select_related("client").filter(pk=int(pk)).first()
    if trajectory is None:
        raise Http404
    policy.authorize(user, action, trajectory)
    return trajectory


def careteam_read(user: User, pk: str) -> dict:
    return careteam(_trajectory_get(user, pk, "trajectory.view"))


def careteam_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.updated:
        raise FhirError(400, "not-supported", "CareTeam has no _lastUpdated search")
    rows, more = page(_trajectories(user, search).order_by("pk"), search)
    out = []
    for trajectory in rows:
        if readable(user, "trajectory.view", trajectory):
            out.append(careteam(trajectory))
    return out, more


TASK_STATUS = {ActionStatus.OPEN: "requested", ActionStatus.DONE: "completed", ActionStatus.CANCELLED: "cancelled"}


def task(action: Action, trajectory: Trajectory) -> dict:
    owner = {"reference": f"Patient/{trajectory.client.pseudonym}"} if action.owner_is_client else (
        practitioner(action.owner) if action.owner_id else None)
    resource = {
        "resourceType": "Task", "id": str(action.pk),
        "identifier": [{"system": EXTENSION + "plan-action", "value": str(action.key)}],
        "basedOn": [{"reference": f"CarePlan/{trajectory.pk}"}],
        "status": TASK_STATUS[action.status], "intent": "plan", "description": action.title,
        "for": patient_ref(trajectory.client),
        "restriction": {"period": {"end": action.due_on.isoformat()}},
    }
    if owner:
        resource["owner"] = owner
    return resource


def _current_actions(trajectories: QuerySet[Trajectory]) -> QuerySet[Action]:
    return Action.objects.filter(
        version__plan__trajectory__in=trajectories, version__plan__current_version=F("version_id"),
    ).select_related("owner", "version__plan__trajectory__client")


def task_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    action = Action.objects.select_related("owner", "version__plan__trajectory__client").filter(pk=int(pk)).first()
    if action is None:
        raise Http404
    trajectory = action.version.plan.trajectory
    policy.authorize(user, "plan.view", trajectory)
    return task(action, trajectory)


def task_search(user: User, search: Search) -> tuple[list[dict], bool]:
    status = search.status
    search = replace(search, status=None)
    actions = _current_actions(_trajectories(user, search))
    if status is not None:
        reverse = {v: k for k, v in TASK_STATUS.items()}
        if status not in reverse:
            raise FhirError(400, "invalid", "status is requested, completed or cancelled")
        actions = actions.filter(status=reverse[status])
    if search.updated:
        raise FhirError(400, "not-supported", "Task has no _lastUpdated search")
    rows, more = page(actions.order_by("pk"), search)
    out = []
    for action in rows:
        trajectory = action.version.plan.trajectory
        if readable(user, "plan.view", trajectory):
            out.append(task(action, trajectory))
    return out, more




def task_update(user: User, pk: str, read: Callable[[], dict]) -> dict:
    """An action's progress from the organisation's own system: only `status` changes (the plan's
    content changes only through a new version, in the pages). Checked before the body is read."""
    from django.core.exceptions import ValidationError

    from werkbrug.plans.services import PlanConflict, action_status_set

    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    action = Action.objects.select_related("owner", "version__plan__trajectory__client").filter(pk=int(pk)).first()
    if action is None:
        raise Http404
    trajectory = action.version.plan.trajectory
    policy.check(user, "plan.action_status", trajectory)
    body = read()
    if body.get("resourceType") != "Task" or str(body.get("id")) != pk:
        raise FhirError(400, "invalid", "send the Task with its own id")
    reverse = {v: k for k, v in TASK_STATUS.items()}
    if body.get("status") not in reverse:
        raise FhirError(422, "code-invalid", "status is requested, completed or cancelled")
    try:
        action = action_status_set(action=action, actor=user, status=reverse[body["status"]])
    except PlanConflict as exc:
        raise FhirError(409, "conflict", "; ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise FhirError(422, "invariant", "; ".join(exc.messages)) from exc
    action = Action.objects.select_related("owner", "version__plan__trajectory__client").get(pk=action.pk)
    return task(action, action.version.plan.trajectory)
