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

from ..choices import CASEWORK_ROLES, DataCategory
from . import Decision, rule
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


@rule("trajectory.view")
def view_trajectory(user: User, trajectory: Trajectory) -> Decision:
    return client_data(user, trajectory.client, DataCategory.PARTICIPATION)


@rule("intake.view")
def view_intake(user: User, trajectory: Trajectory) -> Decision:
    """The intake page: `participation`, plus a record for each other category it shows."""
    decision = client_data(user, trajectory.client, DataCategory.PARTICIPATION)
    if not decision.allowed:
        return decision
    shown = (visible_categories(user, trajectory.client) & _intake_categories()) - {DataCategory.PARTICIPATION}
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


def visible_categories(user: User, client: Client) -> frozenset[str]:
    """The data categories of `client` that `user` may see now (no log: the page logs once)."""
    if is_own_file(user, client):
        return frozenset(DataCategory.values)
    if not user.is_professional or user.region_id != client.region_id:
        return frozenset()
    if _membership_role(user, client) is None:
        return frozenset()
    return consented_categories(client, user.organisation_id, user)
