"""Rules for trajectories, their teams, the integrated intake and the caseload.

Everything here rests on `client_data`: an active team membership plus the client's current
consent for the member's organisation and the data category. The trajectory page itself is
`participation` data; each intake section carries its own category (see
`werkbrug.trajectories.intake`), so a member may see the page but not every section.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..choices import CASEWORK_ROLES, DataCategory
from . import ALLOW, Decision, rule
from .clients import _membership_role, client_data, consented_categories, is_own_file

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


@rule("trajectory.view", "intake.view")
def view_trajectory(user: User, trajectory: Trajectory) -> Decision:
    return client_data(user, trajectory.client, DataCategory.PARTICIPATION)


@rule("team.change", "intake.change")
def change_team(user: User, trajectory: Trajectory) -> Decision:
    if user.is_client:
        return Decision(False, reason="the team and intake are changed by professionals", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code="U")
    return client_data(user, trajectory.client, DataCategory.PARTICIPATION, code="U")


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
