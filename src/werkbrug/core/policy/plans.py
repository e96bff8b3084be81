"""Rules for the shared plan: team members with consent for `plan`, and the client themself.

Everyone in the team (and the client) reads the plan and answers it; only professionals change
it. Every decision is `client_data(..., DataCategory.PLAN)`, so consent withdrawn for `plan`
takes effect on the next request; reading the plan of a closed trajectory is the archive's rule
(`trajectory_data`: its former team, read-only), and every write to it is refused (`trajectory_write`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import DataCategory
from . import Decision, rule
from .clients import is_own_file
from .trajectories import trajectory_data, trajectory_write

if TYPE_CHECKING:
    from werkbrug.plans.models import Action
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


@rule("plan.view")
def view_plan(user: User, trajectory: Trajectory) -> Decision:
    return trajectory_data(user, trajectory, DataCategory.PLAN)


def _professionals_only(user: User, trajectory: Trajectory, code: str) -> Decision:
    if user.is_client:
        return Decision(False, reason="the plan is changed by the team, with the client",
                        client=trajectory.client, category=DataCategory.PLAN, code=code,
                        role="client", relation=True, consent=True, hide=False)
    return trajectory_write(user, trajectory, DataCategory.PLAN, code=code)


@rule("plan.edit")
def open_plan_form(user: User, trajectory: Trajectory) -> Decision:
    """Opening the edit form reads the plan (code R); saving it is `plan.change`."""
    return _professionals_only(user, trajectory, "R")


@rule("plan.change", "plan.submit", "plan.action_status")
def change_plan(user: User, trajectory: Trajectory) -> Decision:
    return _professionals_only(user, trajectory, "U")


@rule("plan.print")
def print_plan(user: User, trajectory: Trajectory) -> Decision:
    """The plan as a PDF document: whoever may read the plan, the client too (an export, code E)."""
    return trajectory_data(user, trajectory, DataCategory.PLAN, code="E")


@rule("plan.action_tick")
def tick_action(user: User, action: Action) -> Decision:
    """The client ticks off (or un-ticks) an action of their own plan that is theirs to do. Team
    members change an action's status with `plan.action_status`."""
    client = action.version.plan.trajectory.client
    if not is_own_file(user, client):
        return Decision(False, reason="only the client ticks off their own actions", client=client,
                        category=DataCategory.PLAN, code="U")
    if not action.owner_is_client:
        return Decision(False, reason="this action is someone else's", client=client, category=DataCategory.PLAN,
                        code="U", role="client", relation=True, consent=True)
    return trajectory_write(user, action.version.plan.trajectory, DataCategory.PLAN, code="U")


@rule("plan.agree", "plan.disagree")
def answer_plan(user: User, trajectory: Trajectory) -> Decision:
    return trajectory_write(user, trajectory, DataCategory.PLAN, code="U")


@rule("plan.agree_for_client", "plan.disagree_for_client")
def answer_for_client(user: User, trajectory: Trajectory) -> Decision:
    """A team member records the client's answer (given in a conversation or on paper) only for
    a client without a portal account: a client with one answers for themself, and nobody
    answers in their place (they could then no longer answer)."""
    client = trajectory.client
    decision = _professionals_only(user, trajectory, "U")
    if decision.allowed and client.user_id is not None:
        return Decision(False, reason="the client answers in the portal", client=client, category=DataCategory.PLAN,
                        code="U", role=decision.role, relation=True, consent=True, hide=False)
    return decision
