"""Reads of plans. `plan_get` is the permission-checked fetch (one access-log record); the rest
read without checking and are called after it, or by other apps that have checked already.

Public for other apps: `current_plan`, `caseload_annotations`, `CASELOAD_PLAN_FIELDS` with
`caseload_plan_states`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.trajectories.models import TeamMembership, Trajectory

from . import workflow
from .models import Action, ActionStatus, Plan, PlanResponse, PlanVersion, ResponseKind

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = [
    "CASELOAD_PLAN_FIELDS",
    "caseload_annotations",
    "caseload_plan_states",
    "current_plan",
    "plan_get",
    "plan_overview",
    "version_get",
]


def trajectory_plain(*, pk: int) -> Trajectory:
    """The trajectory without an access check: only for `plan_get`, which checks."""
    trajectory = Trajectory.objects.select_related("client", "plan_director").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    return trajectory


def plan_get(*, user: User, trajectory_pk: int, action: str = "plan.view") -> Trajectory:
    """The trajectory whose plan `user` may `action`; the same 404 for missing and not allowed."""
    trajectory = trajectory_plain(pk=trajectory_pk)
    policy.authorize(user, action, trajectory)
    return trajectory


def action_of(*, trajectory: Trajectory, pk: int) -> Action | None:
    """An action of one of `trajectory`'s plan versions (the caller has authorized the trajectory)."""
    return (
        Action.objects.filter(pk=pk, version__plan__trajectory=trajectory)
        .select_related("version__plan__trajectory__client", "goal").first()
    )


def action_find(*, pk: int) -> Action | None:
    """An action by id without an access check: for a caller that authorizes the action itself
    (the portal's tick-off, `plan.action_tick`)."""
    return Action.objects.select_related("version__plan__trajectory__client", "goal").filter(pk=pk).first()


def plan_consented_org_ids(trajectory: Trajectory) -> set[int]:
    """Organisations the client now lets see the plan."""
    from werkbrug.clients.models import ConsentState

    today = timezone.localdate()
    return set(
        ConsentState.objects.current(today).filter(client_id=trajectory.client_id, category=DataCategory.PLAN)
        .values_list("organisation_id", flat=True)
    )


def plan_members(trajectory: Trajectory) -> tuple[list[TeamMembership], list[TeamMembership]]:
    """Active team members who take part in the plan (their organisation may see it), and those
    who do not: a member without consent for the plan cannot read it, so is not waited for."""
    members = list(
        TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
        .select_related("person", "organisation").order_by("joined_at")
    )
    allowed = plan_consented_org_ids(trajectory)
    return ([m for m in members if m.person.organisation_id in allowed],
            [m for m in members if m.person.organisation_id not in allowed])


def plan_revision(*, trajectory: Trajectory) -> int:
    """The plan's revision (0 before the first save): what an edit form is based on."""
    return Plan.objects.filter(trajectory=trajectory).values_list("revision", flat=True).first() or 0


def current_plan(*, trajectory: Trajectory) -> PlanVersion | None:
    """The latest version of the trajectory's plan, or None (the caller has authorized)."""
    return (
        PlanVersion.objects.filter(plan__trajectory=trajectory)
        .select_related("plan", "created_by")
        .order_by("-number")
        .first()
    )


def version_get(*, trajectory: Trajectory, number: int) -> PlanVersion:
    version = (
        PlanVersion.objects.filter(plan__trajectory=trajectory, number=number)
        .select_related("plan", "created_by").first()
    )
    if version is None:
        raise Http404
    return version


def versions(*, trajectory: Trajectory):
    return PlanVersion.objects.filter(plan__trajectory=trajectory).select_related("created_by").order_by("-number")


def version_content(version: PlanVersion | None) -> list[dict]:
    """Goals with their actions, for pages and the API."""
    if version is None:
        return []
    actions: dict[int, list[Action]] = {}
    for a in version.actions.select_related("owner").order_by("due_on", "position", "id"):
        actions.setdefault(a.goal_id, []).append(a)
    return [{"goal": g, "actions": actions.get(g.pk, [])} for g in version.goals.all()]


@dataclass
class Participant:
    name: str
    organisation: str
    role: str
    is_client: bool
    is_plan_director: bool
    person_id: int | None
    answer: PlanResponse | None


@dataclass
class PlanOverview:
    trajectory: Trajectory
    version: PlanVersion | None
    state: str
    content: list[dict]
    participants: list[Participant]
    without_consent: list[TeamMembership]

    @property
    def waiting_for(self) -> list[Participant]:
        if self.version is None or self.version.submitted_at is None:
            return []
        return [p for p in self.participants if p.answer is None]

    @property
    def state_label(self) -> str:
        return workflow.AgreementState(self.state).label


def plan_overview(*, trajectory: Trajectory, version: PlanVersion | None = None) -> PlanOverview:
    """Everything a plan page shows: content, state, and each participant's answer."""
    current = current_plan(trajectory=trajectory)
    version = version or current
    members, without_consent = plan_members(trajectory)
    answers = {}
    if version is not None:
        for r in PlanResponse.objects.filter(version=version).select_related("person"):
            answers["client" if r.for_client else r.person_id] = r
    client = trajectory.client
    participants = [
        Participant(client.full_name, "", "client", True, False, client.user_id, answers.get("client"))
    ] + [
        Participant(m.person.get_full_name(), str(m.organisation), m.get_role_display(), False,
                    m.person_id == trajectory.plan_director_id, m.person_id, answers.get(m.person_id))
        for m in members
    ]
    if version is None:
        state = workflow.AgreementState.NONE
    else:
        state = workflow.version_state(workflow.facts(
            submitted=version.submitted_at is not None, disagreed=version.disagreed,
            client_agreed=version.client_agreed, members=[m.person_id for m in members],
            agreed=[pid for pid, r in answers.items() if pid != "client" and r.kind == ResponseKind.AGREE],
        ))
    return PlanOverview(trajectory, version, state, version_content(version), participants, without_consent)


def caseload_annotations() -> dict:
    """Annotations for a Trajectory queryset: `plan_state` and `next_action_due`.

    The same rule as `workflow.version_state`, in SQL, on the current version of each plan.
    """
    current = "plan__current_version"
    from werkbrug.clients.models import ConsentState

    may_see_plan = ConsentState.objects.current().filter(
        client_id=OuterRef("trajectory__client_id"), organisation_id=OuterRef("person__organisation_id"),
        category=DataCategory.PLAN,
    )
    missing_member = TeamMembership.objects.filter(
        Exists(may_see_plan), trajectory=OuterRef("pk"), left_at__isnull=True
    ).exclude(
        Exists(
            PlanResponse.objects.filter(
                version__plan__trajectory_id=OuterRef("trajectory_id"),
                version_id=F("version__plan__current_version_id"),
                person_id=OuterRef("person_id"),
                for_client=False,
                kind=ResponseKind.AGREE,
            )
        )
    )
    plan_state = Case(
        When(Q(**{f"{current}__isnull": True}), then=Value(workflow.AgreementState.NONE)),
        When(Q(**{f"{current}__submitted_at__isnull": True}), then=Value(workflow.AgreementState.DRAFT)),
        When(Q(**{f"{current}__disagreed": True}), then=Value(workflow.AgreementState.DISAGREED)),
        When(Q(**{f"{current}__client_agreed": True}) & ~Exists(missing_member), then=Value(workflow.AgreementState.AGREED)),
        default=Value(workflow.AgreementState.AWAITING),
        output_field=CharField(),
    )
    next_action_due = Subquery(
        Action.objects.filter(
            version_id=OuterRef("plan__current_version_id"), status=ActionStatus.OPEN
        ).order_by("due_on").values("due_on")[:1]
    )
    return {"plan_state": plan_state, "next_action_due": next_action_due}


# What a caseload page reads per trajectory (values of a Trajectory query) for `caseload_plan_states`.
CASELOAD_PLAN_FIELDS = (
    "plan__current_version_id",
    "plan__current_version__submitted_at",
    "plan__current_version__disagreed",
    "plan__current_version__client_agreed",
)


def caseload_plan_states(rows: list[dict], *, today) -> dict[int, str]:
    """The plan state of each trajectory on a caseload page, as `caseload_annotations()["plan_state"]`
    gives it, for a page's rows instead of a query: each row has `id`, `client_id` and the
    `CASELOAD_PLAN_FIELDS`. The rule is `workflow.version_state`; the team's side (members whose
    organisation may see the plan, and who of them agreed) is read only for versions the client
    agreed to, in one query of three plain parts (a correlated query takes the database five
    times longer to plan than this takes to run)."""
    states: dict[int, str] = {}
    team_decides: list[dict] = []
    for row in rows:
        if row["plan__current_version_id"] is None:
            states[row["id"]] = workflow.AgreementState.NONE.value
        elif (row["plan__current_version__submitted_at"] is not None and not row["plan__current_version__disagreed"]
              and row["plan__current_version__client_agreed"]):
            team_decides.append(row)
        else:
            states[row["id"]] = workflow.version_state(_version_facts(row, members=(), agreed=())).value
    if team_decides:
        members, may_see_plan, agreed_by = _plan_team_facts(team_decides, today)
        for row in team_decides:
            version = row["plan__current_version_id"]
            team = [person for person, organisation in members.get(row["id"], ())
                    if (row["client_id"], organisation) in may_see_plan]
            agreed = [person for person in team if (version, person) in agreed_by]
            states[row["id"]] = workflow.version_state(_version_facts(row, members=team, agreed=agreed)).value
    return states


def _version_facts(row: dict, *, members, agreed) -> workflow.Facts:
    return workflow.facts(
        submitted=row["plan__current_version__submitted_at"] is not None,
        disagreed=row["plan__current_version__disagreed"],
        client_agreed=row["plan__current_version__client_agreed"],
        members=members, agreed=agreed,
    )


def _plan_team_facts(rows: list[dict], today):
    """(trajectory id → [(person, organisation)], {(client, organisation) with plan consent},
    {(version, person) who agreed}) for these rows, in one query (SQL compiled once per shape)."""
    from werkbrug.clients.models import ConsentState
    from werkbrug.trajectories import compiled

    def build(v):
        members = (
            TeamMembership.objects.filter(trajectory_id__in=v.ints("ids"), left_at__isnull=True)
            .annotate(part=Value(1)).values_list("part", "trajectory_id", "person_id", "person__organisation_id")
        )
        may_see_plan = (
            ConsentState.objects.current(today).filter(client_id__in=v.ints("clients"), category=DataCategory.PLAN)
            .annotate(part=Value(2), none=Value(0)).values_list("part", "client_id", "organisation_id", "none")
        )
        agreed = (
            PlanResponse.objects.filter(version_id__in=v.ints("versions"), for_client=False, kind=ResponseKind.AGREE)
            .annotate(part=Value(3), none=Value(0)).values_list("part", "version_id", "person_id", "none")
        )
        return members.order_by().union(may_see_plan.order_by(), agreed.order_by(), all=True).order_by()

    values = {
        "ids": sorted({row["id"] for row in rows}), "clients": sorted({row["client_id"] for row in rows}),
        "versions": sorted({row["plan__current_version_id"] for row in rows}),
    }
    members: dict[int, list[tuple[int, int | None]]] = {}
    may_see_plan: set[tuple[int, int]] = set()
    agreed_by: set[tuple[int, int]] = set()
    for part, a, b, c in (tuple(row.values()) for row in
                          compiled.fetch(("plans.caseload_team", today), values, build, model=TeamMembership)):
        if part == 1:
            members.setdefault(a, []).append((b, c))
        elif part == 2:
            may_see_plan.add((a, b))
        else:
            agreed_by.add((a, b))
    return members, may_see_plan, agreed_by


def plan_exists(*, trajectory: Trajectory) -> bool:
    return Plan.objects.filter(trajectory=trajectory, current_version__isnull=False).exists()


def agreed_or_current(*, trajectory: Trajectory) -> PlanVersion | None:
    """The version a printed plan shows by default: the newest one everyone agreed to, else the
    current one (which the document then marks as not agreed)."""
    agreed = (
        PlanVersion.objects.filter(plan__trajectory=trajectory, agreed_at__isnull=False)
        .select_related("plan", "created_by").order_by("-number").first()
    )
    return agreed or current_plan(trajectory=trajectory)


@dataclass
class PlanDocument:
    """What the printed plan holds (the caller has authorized `plan.print`)."""

    trajectory: Trajectory
    version: PlanVersion
    is_current: bool
    state: str
    state_label: str
    content: list[dict]
    answers: list[PlanResponse]
    waiting_for: list[Participant]


def plan_document(*, trajectory: Trajectory, version: PlanVersion) -> PlanDocument:
    """One version as a document: goals and actions, every answer given to it (who, when, the
    client's included, and who recorded it) and, for the current version, who has not answered."""
    current = current_plan(trajectory=trajectory)
    is_current = current is not None and current.pk == version.pk
    answers = list(
        PlanResponse.objects.filter(version=version).select_related("person", "person__organisation")
        .order_by("-for_client", "responded_at", "id")
    )
    waiting: list[Participant] = []
    if is_current:
        overview = plan_overview(trajectory=trajectory, version=version)
        state, label, waiting = overview.state, overview.state_label, overview.waiting_for
    elif version.agreed_at:
        state, label = workflow.AgreementState.AGREED, workflow.AgreementState.AGREED.label
    elif version.disagreed:
        state, label = workflow.AgreementState.DISAGREED, workflow.AgreementState.DISAGREED.label
    else:
        from django.utils.translation import gettext_lazy as _

        state, label = "replaced", _("Replaced by a newer version")
    return PlanDocument(trajectory, version, is_current, state, label, version_content(version), answers, waiting)
