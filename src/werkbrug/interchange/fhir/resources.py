"""Werkbrug's records as FHIR R4 resources, read through the pages' selectors and policy.

Each handler has `read(user, id)` (one resource; Http404 for missing and forbidden alike) and
`search(user, search)` (a page of resources and whether there are more). A search is always
about clients the acting person may see: the one named by `patient`, else the person's own
caseload (the policy's `client.view` scope); every resource in the answer is authorized, and
so logged, one by one, exactly as when the person opens it in the pages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.http import Http404

from werkbrug.clients.models import Client, ConsentState
from werkbrug.core import policy
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans.models import Action, ActionStatus
from werkbrug.plans.workflow import AgreementState
from werkbrug.trajectories.models import TeamMembership, Trajectory
from werkbrug.trajectories.workflow import trajectory_is_open

from .base import (
    BSN_SYSTEM,
    EXTENSION,
    FHIR_ID,
    PSEUDONYM_SYSTEM,
    FhirError,
    Search,
    filter_updated,
    instant,
)

if TYPE_CHECKING:
    from werkbrug.core.models import User


def _patient_ref(client: Client) -> dict:
    return {"reference": f"Patient/{client.pseudonym}",
            "identifier": {"system": PSEUDONYM_SYSTEM, "value": client.pseudonym}}


def _practitioner(person) -> dict:
    return {"display": person.get_full_name() or person.username}


def _clients(user: User, search: Search) -> QuerySet[Client]:
    """The clients a search is about: the named patient (404 when not visible) or the caseload."""
    if search.patient is not None:
        client = Client.objects.filter(pseudonym=search.patient).first()
        if client is None or not policy.can(user, "client.view", client):
            raise Http404
        return Client.objects.filter(pk=client.pk)
    return policy.scope(user, "client.view", Client.objects.all())


def _readable(user: User, action: str, obj) -> bool:
    """In a search, a resource the person may not read is left out (not an error); one they may
    read is authorized, and so logged, as when they open it."""
    if not policy.can(user, action, obj):
        return False
    policy.authorize(user, action, obj)
    return True


def _page(queryset: QuerySet, search: Search) -> tuple[list, bool]:
    rows = list(queryset[search.offset: search.offset + search.count + 1])
    return rows[: search.count], len(rows) > search.count


# --- Patient ---------------------------------------------------------------------------------

def patient(user: User, client: Client) -> dict:
    resource = {
        "resourceType": "Patient", "id": client.pseudonym,
        "meta": {"lastUpdated": instant(client.created_at)},
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": client.pseudonym}],
        "active": client.merged_into_id is None,
        "name": [{"family": client.last_name, "given": [client.first_name]}],
        "birthDate": client.date_of_birth.isoformat(),
    }
    # The BSN only where the organisation has the legal basis: the same rule as the client page.
    if client.has_bsn and policy.can(user, "client.view_bsn", client):
        resource["identifier"].append({"system": BSN_SYSTEM, "value": client.reveal_bsn()})
    telecom = [{"system": "email", "value": client.email}] if client.email else []
    telecom += [{"system": "phone", "value": client.phone}] if client.phone else []
    if telecom:
        resource["telecom"] = telecom
    if client.address or client.city:
        resource["address"] = [{"line": [client.address] if client.address else [],
                                "postalCode": client.postcode, "city": client.city, "country": "NL"}]
    return resource


def patient_read(user: User, pk: str) -> dict:
    from werkbrug.clients.selectors import client_by_pseudonym

    return patient(user, client_by_pseudonym(user=user, pseudonym=pk))


def patient_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.status is not None:
        raise FhirError(400, "not-supported", "Patient has no status search")
    clients = _clients(user, search)
    if search.identifier is not None:
        system, _sep, value = search.identifier.rpartition("|")
        if system not in ("", PSEUDONYM_SYSTEM) or not FHIR_ID.fullmatch(value):
            raise FhirError(400, "not-supported", "search Patient by its pseudonymous identifier")
        clients = clients.filter(pseudonym=value)
    clients = filter_updated(clients, "created_at", search).order_by("pk")
    rows, more = _page(clients, search)
    out = []
    for client in rows:
        if _readable(user, "client.view", client):
            out.append(patient(user, client))
    return out, more


# --- CarePlan, CareTeam, Task: one trajectory's plan and team --------------------------------

def _trajectories(user: User, search: Search) -> QuerySet[Trajectory]:
    queryset = Trajectory.objects.filter(client__in=_clients(user, search)).select_related("client")
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
        "subject": _patient_ref(trajectory.client),
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
         "description": {"text": goal.title}, "subject": _patient_ref(trajectory.client),
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
    rows, more = _page(trajectories.order_by("pk"), search)
    out = []
    for trajectory in rows:
        if _readable(user, "plan.view", trajectory):
            out.append(careplan(trajectory))
    return out, more


def careteam(trajectory: Trajectory) -> dict:
    members = (TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
               .select_related("person", "organisation").order_by("joined_at", "pk"))
    participants = [{"role": [{"text": "client"}], "member": _patient_ref(trajectory.client)}]
    for m in members:
        roles = [{"text": m.get_role_display()}]
        if m.person_id == trajectory.plan_director_id:
            roles.append({"coding": [{"system": EXTENSION + "team-role", "code": "plan-director"}],
                          "text": "regievoerder"})
        participants.append({"role": roles, "member": _practitioner(m.person),
                             "onBehalfOf": {"display": str(m.organisation)},
                             "period": {"start": instant(m.joined_at)}})
    return {
        "resourceType": "CareTeam", "id": str(trajectory.pk),
        "status": "active" if trajectory_is_open(trajectory) else "inactive",
        "subject": _patient_ref(trajectory.client), "participant": participants,
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
    rows, more = _page(_trajectories(user, search).order_by("pk"), search)
    out = []
    for trajectory in rows:
        if _readable(user, "trajectory.view", trajectory):
            out.append(careteam(trajectory))
    return out, more


TASK_STATUS = {ActionStatus.OPEN: "requested", ActionStatus.DONE: "completed", ActionStatus.CANCELLED: "cancelled"}


def task(action: Action, trajectory: Trajectory) -> dict:
    owner = {"reference": f"Patient/{trajectory.client.pseudonym}"} if action.owner_is_client else (
        _practitioner(action.owner) if action.owner_id else None)
    resource = {
        "resourceType": "Task", "id": str(action.pk),
        "identifier": [{"system": EXTENSION + "plan-action", "value": str(action.key)}],
        "basedOn": [{"reference": f"CarePlan/{trajectory.pk}"}],
        "status": TASK_STATUS[action.status], "intent": "plan", "description": action.title,
        "for": _patient_ref(trajectory.client),
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
    rows, more = _page(actions.order_by("pk"), search)
    out = []
    for action in rows:
        trajectory = action.version.plan.trajectory
        if _readable(user, "plan.view", trajectory):
            out.append(task(action, trajectory))
    return out, more


# --- Consent ---------------------------------------------------------------------------------

def consent(state: ConsentState) -> dict:
    event = state.last_event
    resource = {
        "resourceType": "Consent", "id": str(state.pk),
        "meta": {"versionId": str(state.version), "lastUpdated": instant(event.recorded_at)},
        "status": "active" if state.granted else "inactive",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": EXTENSION + "data-category", "code": state.category}],
                      "text": state.get_category_display()}],
        "patient": _patient_ref(state.client),
        "dateTime": instant(event.recorded_at),
        "organization": [{"display": str(state.organisation)}],
        "provision": {
            "type": "permit" if state.granted else "deny",
            "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                            "code": "IRCP"}]}, "reference": {"display": str(state.organisation)}}],
            "class": [{"system": EXTENSION + "data-category", "code": state.category}],
        },
    }
    period = {}
    if event.given_on:
        period["start"] = event.given_on.isoformat()
    if state.valid_until:
        period["end"] = state.valid_until.isoformat()
    if period:
        resource["provision"]["period"] = period
    return resource


def _consent_rows() -> QuerySet[ConsentState]:
    return ConsentState.objects.select_related("client", "organisation", "last_event")


def consent_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    state = _consent_rows().filter(pk=int(pk)).first()
    if state is None:
        raise Http404
    policy.authorize(user, "consent.view", state.client)
    return consent(state)


def consent_search(user: User, search: Search) -> tuple[list[dict], bool]:
    states = _consent_rows().filter(client__in=_clients(user, search))
    if search.status is not None:
        if search.status not in ("active", "inactive"):
            raise FhirError(400, "invalid", "status is active or inactive")
        states = states.filter(granted=search.status == "active")
    states = filter_updated(states, "last_event__recorded_at", search).order_by("pk")
    rows, more = _page(states, search)
    out = []
    for state in rows:
        if _readable(user, "consent.view", state.client):
            out.append(consent(state))
    return out, more


HANDLERS = {
    "Patient": (patient_read, patient_search),
    "CarePlan": (careplan_read, careplan_search),
    "CareTeam": (careteam_read, careteam_search),
    "Task": (task_read, task_search),
    "Consent": (consent_read, consent_search),
}
