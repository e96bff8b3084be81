"""Rules for trajectories, their teams, the integrated intake and the caseload.

Everything here rests on `client_data`: an active team membership plus the client's current
consent for the member's organisation and the data category. The trajectory page itself is
`participation` data; each intake section carries its own category (see
`werkbrug.trajectories.intake`), so a member may see the page but not every section.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..choices import CASEWORK_ROLES, DataCategory
from . import Decision, rule
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


@rule("trajectory.hand_over", "trajectory.close")
def plan_director_only(user: User, trajectory: Trajectory) -> Decision:
    decision = client_data(user, trajectory.client, DataCategory.PARTICIPATION, code="U")
    if decision.allowed and trajectory.plan_director_id != user.pk:
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
