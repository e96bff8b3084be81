"""Rules for trajectories, their teams, the integrated intake and the caseload.

Everything here rests on `client_data`: an active team membership plus the client's current
consent for the member's organisation and the data category. The trajectory page itself is
`participation` data; each intake section carries its own category (see
`werkbrug.trajectories.intake`), so a member may see the page but not every section. Reading or
writing the intake logs one record for the intake (`participation`) and one for each further
category of the sections shown or written (care, work and income, debts); a write to a section
without consent is refused and logged as refused, for that section's category.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..choices import CASEWORK_ROLES, DataCategory
from . import ALLOW, Decision, memo, rule
from .clients import _membership_role, client_data, consented_categories, is_own_file

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


@dataclass(frozen=True)
class IntakeWrite:
    """What an intake save asks for: the trajectory, and the categories of the fields it writes."""

    trajectory: Trajectory
    categories: frozenset[str]

    @property
    def logged_object(self) -> Trajectory:
        return self.trajectory


def _intake_categories() -> frozenset[str]:
    from werkbrug.trajectories.intake import SECTIONS

    return frozenset(section.category for section in SECTIONS)


def _is_open(trajectory: Trajectory) -> bool:
    from werkbrug.trajectories.workflow import trajectory_is_open

    return trajectory_is_open(trajectory)


def _former_role(user: User, trajectory: Trajectory) -> str | None:
    """The user's role in a closed trajectory's team as it was when it closed (a closed
    trajectory's team does not change; a withdrawal of the organisation's participation still
    ends the membership, and with it the reading), or None."""

    def read() -> str | None:
        from werkbrug.trajectories.models import TeamMembership

        return min(TeamMembership.objects.filter(
            trajectory_id=trajectory.pk, person_id=user.pk, left_at__isnull=True,
        ).values_list("role", flat=True), default=None)

    return memo.recall(memo.FORMER_ROLE, user, trajectory.pk, read)


def archived_data(user: User, trajectory: Trajectory, category: str, *, code: str = "R") -> Decision:
    """`client_data` for a closed trajectory (the archive): the former team — the members when it
    closed — reads it while the client still consents to their organisation for `category`; the
    client always reads their own file. Nobody writes to it (`workflow.trajectory_is_open`)."""
    client = trajectory.client
    if is_own_file(user, client):
        return client_data(user, client, category, code=code)
    if not user.is_professional or user.region_id != client.region_id or trajectory.erased_at is not None:
        return Decision(False, reason="not in this region", client=client, category=category, code=code)
    role = _former_role(user, trajectory)
    consent = category in consented_categories(client, user.organisation_id, user)
    allowed = role is not None and consent
    reason = "" if allowed else ("not in the former team" if role is None else "no consent")
    return Decision(allowed, reason=reason, client=client, category=category, code=code,
                    purpose="archive" if role else "", role=role or user.primary_role,
                    relation=role is not None, consent=consent)


def trajectory_data(user: User, trajectory: Trajectory, category: str, *, code: str = "R") -> Decision:
    """Reading `category` data of one trajectory: the active team's rule (`client_data`) while it
    runs, the archive's (`archived_data`: its former team) once it is closed. A read rule about a
    trajectory's own data asks this, so a closed file is read by the team it had, not by whoever
    is in the client's team now."""
    if _is_open(trajectory):
        return client_data(user, trajectory.client, category, code=code)
    return archived_data(user, trajectory, category, code=code)


def trajectory_write(user: User, trajectory: Trajectory, category: str, *, code: str) -> Decision:
    """Writing `category` data to one trajectory: the active team's rule (`client_data`) while it
    runs; nobody once it is closed (the archive is read-only: `workflow.trajectory_is_open`). The
    former team's refusal says "closed" and, like every refusal about a named object, answers 404;
    the client's next team is refused as the archive refuses an outsider."""
    if _is_open(trajectory):
        return client_data(user, trajectory.client, category, code=code)
    read = archived_data(user, trajectory, category, code=code)
    return replace(read, allowed=False, reason="closed", hide=True) if read.allowed else read


def archived_categories(user: User, trajectory: Trajectory) -> frozenset[str]:
    """`visible_categories` for a closed trajectory (no log: the page logs once)."""
    if is_own_file(user, trajectory.client):
        return frozenset(DataCategory.values)
    if not archived_data(user, trajectory, DataCategory.PARTICIPATION).allowed:
        return frozenset()
    return consented_categories(trajectory.client, user.organisation_id, user)


def trajectory_categories(user: User, trajectory: Trajectory) -> frozenset[str]:
    """The categories of this trajectory `user` may see now: the active team's, or the archive's."""
    if _is_open(trajectory):
        return visible_categories(user, trajectory.client)
    return archived_categories(user, trajectory)


@rule("trajectory.view")
def view_trajectory(user: User, trajectory: Trajectory) -> Decision:
    """An active trajectory: its team; a closed one: its former team, read-only (the archive)."""
    if not _is_open(trajectory):
        return archived_data(user, trajectory, DataCategory.PARTICIPATION)
    return client_data(user, trajectory.client, DataCategory.PARTICIPATION)


@rule("trajectory.reopen")
def reopen_trajectory(user: User, trajectory: Trajectory) -> Decision:
    """Any professional of the former team (the plan director may have left the organisation)."""
    if user.is_client:
        return Decision(False, reason="professionals reopen a trajectory", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code="U")
    if _is_open(trajectory):
        decision = client_data(user, trajectory.client, DataCategory.PARTICIPATION, code="U")
        return replace(decision, allowed=False, reason="not closed", hide=not decision.allowed) if decision.allowed \
            else decision
    return archived_data(user, trajectory, DataCategory.PARTICIPATION, code="U")


@rule("archive.search")
def search_archive(user: User, _obj: Any) -> Decision:
    """The archive list: the closed trajectories of the user's former teams. One `R` record."""
    decision = search_caseload(user, _obj)
    return replace(decision, purpose="archive") if decision.allowed else decision


@rule("intake.view")
def view_intake(user: User, trajectory: Trajectory) -> Decision:
    """The intake page: `participation`, plus a record for each other category it shows."""
    decision = view_trajectory(user, trajectory)
    if not decision.allowed:
        return decision
    shown = (trajectory_categories(user, trajectory) & _intake_categories()) - {DataCategory.PARTICIPATION}
    return replace(decision, more_categories=tuple(sorted(shown)))


@rule("intake.change")
def change_intake(user: User, write: IntakeWrite | Trajectory) -> Decision:
    """Saving the intake: `participation` (U), and each other category written. A section the
    client did not consent to for the user's organisation is refused, for its own category."""
    if not isinstance(write, IntakeWrite):
        write = IntakeWrite(write, frozenset())
    decision = change_team(user, write.trajectory)
    if not decision.allowed:
        return decision
    written = sorted(write.categories - {DataCategory.PARTICIPATION})
    refused = [c for c in written if c not in visible_categories(user, write.trajectory.client)]
    if refused:
        return Decision(
            False, reason="no consent for this part of the intake", client=write.trajectory.client,
            category=refused[0], more_categories=tuple(refused[1:]), code="U", purpose=decision.purpose,
            role=decision.role, relation=decision.relation, consent=False, hide=False,
        )
    return replace(decision, more_categories=tuple(written))


@rule("team.change")
def change_team(user: User, trajectory: Trajectory) -> Decision:
    if user.is_client:
        return Decision(False, reason="the team and intake are changed by professionals", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code="U")
    return trajectory_write(user, trajectory, DataCategory.PARTICIPATION, code="U")


@dataclass(frozen=True)
class TeamSeat:
    """A place in a client's team: the client's region and the role the person would hold in it."""

    region_id: int | None
    role: str


@rule("team.join")
def join_team(person: User, seat: TeamSeat) -> Decision:
    """May `person` be a member of a client's team (of `seat.region_id`) in `seat.role`?

    Only a professional of the client's region, in an organisation, and only in a casework role
    they hold (`RoleAssignment`): a manager, editor or researcher never joins a team, and nobody
    joins in a role they do not have — the team role is what the access log records and what
    decides which work they do. Asked for the person who joins (whoever adds them); the adding
    itself is `team.change`.
    """
    if not person.is_professional or person.region_id != seat.region_id or person.organisation_id is None:
        return Decision(False, reason="not a professional in the client's region", hide=False)
    if seat.role not in CASEWORK_ROLES:
        return Decision(False, reason="not a casework role", hide=False)
    if seat.role not in person.roles:
        return Decision(False, reason="a role the person does not hold", hide=False)
    return ALLOW


def possible_members(people: QuerySet) -> QuerySet:
    """The people `join_team` can allow in some role: professionals with a casework role."""
    from ..models import RoleAssignment

    return people.filter(
        kind="professional", organisation__isnull=False,
        pk__in=RoleAssignment.objects.filter(role__in=CASEWORK_ROLES).values("person_id"),
    )


def _director_in_team(trajectory: Trajectory) -> bool:
    from werkbrug.trajectories.models import TeamMembership

    return TeamMembership.objects.filter(
        trajectory_id=trajectory.pk, person_id=trajectory.plan_director_id, left_at__isnull=True,
    ).exists()


@rule("trajectory.hand_over", "trajectory.close")
def plan_director_only(user: User, trajectory: Trajectory) -> Decision:
    """The plan director; any team member once the plan director has left the team (when the
    client withdrew their organisation's consent to take part), so the role can move on."""
    decision = client_data(user, trajectory.client, DataCategory.PARTICIPATION, code="U")
    if decision.allowed and trajectory.plan_director_id != user.pk and _director_in_team(trajectory):
        return Decision(False, reason="plan director only", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code="U", relation=True, consent=True, hide=False)
    return decision


# Each caseload column summarises a page and shows only what that page would show the member
# (the caseload lists only the user's own teams, so the page rule comes down to the client's
# consent for the column's category): plan state and next action due → `plan.view`, IPS phase →
# `ips.view`, open signals → `signal.view`.
CASELOAD_COLUMN_CATEGORIES = {
    "plan_state": DataCategory.PLAN,
    "next_action_due": DataCategory.PLAN,
    "ips_phase": DataCategory.JOB_OUTCOMES,
    "open_signals": DataCategory.SIGNALS,
}


def caseload_column_shown(column: str, *, client: str, organisation: Any, today: Any) -> Any:
    """The condition (an `Exists` over the outer query's column `client`) under which `column` is
    shown to a member of `organisation` on `today`: the client's current consent for the column's
    category (`ConsentState.objects.current`)."""
    from django.db.models import Exists, OuterRef

    from werkbrug.clients.models import ConsentState

    return Exists(ConsentState.objects.current(today).filter(
        client_id=OuterRef(client), organisation_id=organisation, category=CASELOAD_COLUMN_CATEGORIES[column],
    ))


@rule("caseload.search")
def search_caseload(user: User, _obj: Any) -> Decision:
    """A professional's own caseload. One `R` record per request; the list itself is scoped
    in the database by `caseload_trajectories` (team membership × current consent)."""
    allowed = user.is_professional and bool(user.roles & CASEWORK_ROLES or user.is_superuser)
    return Decision(
        allowed, reason="" if allowed else "casework roles only", code="R",
        category=DataCategory.PARTICIPATION, purpose="caseload", role=user.primary_role,
        relation=allowed, consent=allowed, hide=False, log=True,
    )


@rule("work.view")
def view_my_work(user: User, _obj: Any) -> Decision:
    """"My work" on the home page: the same scoping and the same one record as the caseload."""
    decision = search_caseload(user, _obj)
    return replace(decision, purpose="my work") if decision.allowed else decision


def visible_categories(user: User, client: Client) -> frozenset[str]:
    """The data categories of `client` that `user` may see now (no log: the page logs once)."""
    if is_own_file(user, client):
        return frozenset(DataCategory.values)
    if not user.is_professional or user.region_id != client.region_id:
        return frozenset()
    if _membership_role(user, client) is None:
        return frozenset()
    return consented_categories(client, user.organisation_id, user)
