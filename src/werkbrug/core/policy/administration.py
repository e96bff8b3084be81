"""Rules for running the region in the product: organisations, people, roles, hand-overs.

The region administrator (`Role.REGION_ADMIN`) administers their own region only: organisations,
people, roles, linked sign-in identities, deactivation, and the audit trail of all of it. The
directory rules `organisation.change` and `person.change` (`core.py`) decide every one of those
changes; this module adds what they do not cover:

- `administration.view`: the administration pages and the audit trail (a whole page: 403);
- `handover.manage`: who hands over a leaving professional's places in client teams — the
  region administrator of the person's region, or a manager of the person's own organisation;
- `team.hand_over`: one place in one client's team, handed over. The leaver's manager hands it
  to a colleague of the same organisation; only the region administrator appoints someone of
  another organisation (a member of the team already) as plan director, the fallback when the
  leaving plan director has no colleague. Either is a write in the client's file by someone
  outside the team, so it is logged as such (code U, purpose "hand-over", no team relation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..choices import DataCategory, Role
from . import ALLOW, Decision, rule, scope_rule
from .core import change_directory

if TYPE_CHECKING:
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


@dataclass(frozen=True)
class HandOverSeat:
    """A leaving person's place in one client's team (member, plan director or both), and the
    successor who takes it (None where the place just ends)."""

    trajectory: Trajectory
    leaving: User
    successor: User | None = None

    @property
    def logged_object(self) -> Trajectory:
        return self.trajectory


@rule("administration.view")
def view_administration(user: User, _obj: Any) -> Decision:
    """The region administrator's pages: organisations, people, roles, the audit trail."""
    return change_directory(user, None)


def is_region_admin_of(user: User, region_id: int | None) -> bool:
    return user.is_professional and (
        user.is_superuser or (user.has_role(Role.REGION_ADMIN) and region_id is not None and region_id == user.region_id)
    )


def _manager_of(user: User, person: User) -> bool:
    return (
        _manages_organisation(user)
        and user.organisation_id == person.organisation_id and user.region_id == person.region_id
    )


@rule("handover.manage")
def manage_hand_over(user: User, person: User) -> Decision:
    """The hand-over page of a leaving professional: their region's administrator, or a manager
    of their own organisation. Anyone else gets the same 404 as for nobody at all."""
    if person is None:
        return Decision(False, reason="a person is needed")
    if not person.is_professional:
        return Decision(False, reason="professionals only")
    if is_region_admin_of(user, person.region_id) or _manager_of(user, person):
        return ALLOW
    return Decision(False, reason="region administrator or own manager only")


@rule("team.hand_over")
def hand_over_seat(user: User, seat: HandOverSeat) -> Decision:
    trajectory = seat.trajectory
    client = trajectory.client
    base = dict(client=client, category=DataCategory.PARTICIPATION, code="U")
    if trajectory.region_id != seat.leaving.region_id or not manage_hand_over(user, seat.leaving).allowed:
        return Decision(False, reason="not allowed to hand over this person's places", **base)
    if not _holds_seat(seat.leaving, trajectory):
        return Decision(False, reason="the person has no place in this team", **base)
    admin = is_region_admin_of(user, trajectory.region_id)
    successor = seat.successor
    if successor is not None and successor.organisation_id != seat.leaving.organisation_id and not admin:
        return Decision(False, reason="only the region administrator appoints from another organisation", **base)
    return Decision(
        True, purpose="hand-over", role=Role.REGION_ADMIN if admin else Role.MANAGER,
        relation=False, consent=False, **base,
    )


def _holds_seat(person: User, trajectory: Trajectory) -> bool:
    from werkbrug.trajectories.models import TeamMembership

    return trajectory.plan_director_id == person.pk or TeamMembership.objects.filter(
        trajectory_id=trajectory.pk, person_id=person.pk, left_at__isnull=True,
    ).exists()


def _manages_organisation(user: User) -> bool:
    return user.is_professional and user.has_role(Role.MANAGER) and user.organisation_id is not None


@rule("handover.list")
def list_hand_overs(user: User, _obj: Any) -> Decision:
    """The page of people whose places the user can hand over (a whole page: 403)."""
    if is_region_admin_of(user, user.region_id) or _manages_organisation(user):
        return ALLOW
    return Decision(False, reason="region administrators and managers only", hide=False)


@scope_rule("handover.manage")
def scope_hand_over(user: User, people: QuerySet) -> QuerySet:
    """The people `manage_hand_over` allows, in the database."""
    people = people.filter(region_id=user.region_id, kind="professional")
    if is_region_admin_of(user, user.region_id):
        return people
    if _manages_organisation(user):
        return people.filter(organisation_id=user.organisation_id)
    return people.none()
