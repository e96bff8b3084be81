"""Reads of trajectories, teams, intakes and the caseload. The public surface for other apps.

`caseload_trajectories` and `trajectory_get` are agreed with the other apps (see
docs/apps/trajectories.md). Permission-checked fetches answer the same 404 for "missing" and
"not allowed" and write exactly one access-log record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import DEFERRED, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.models import User
from werkbrug.core.numbers import parse_int

from . import caseload, compiled
from .caseload import SORTS, CaseloadSearch, caseload_filter
from .models import (
    Intake,
    PlanDirectorChange,
    TeamMembership,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)

__all__ = [
    "caseload_trajectories",
    "caseload_filter",
    "caseload_search",
    "SORTS",
    "trajectory_get",
    "trajectory_for_write",
    "team_members",
    "trajectory_reread",
    "team_membership_of",
    "plan_director_history",
    "intake_for",
    "team_candidate_get",
    "team_candidates",
    "client_trajectories",
    "client_trajectory_list",
    "archive_search",
    "trajectory_events",
]


def caseload_trajectories(*, user: User) -> QuerySet[Trajectory]:
    """Active trajectories in which `user` is a current team member and the client consents to
    the user's organisation taking part. Not logged: the caller logs ("caseload.search")."""
    if not user.is_authenticated or not user.is_professional or user.organisation_id is None:
        return Trajectory.objects.none()
    return caseload_filter(
        person=user.pk, organisation=user.organisation_id, region=user.region_id, today=timezone.localdate(),
    ).select_related("client")


def caseload_search(
    *, user: User, q: str = "", role: str = "", plan_state: str = "", sort: str = "name",
    i_direct: bool = False,
) -> CaseloadSearch:
    """The caseload page and API: logs one `R` record (`caseload.search`) and returns the search;
    `paging.page_of(search, number, size)` reads a page of it in a constant number of queries
    (see `caseload.py`), `search.queryset()` is the same search as one annotated ORM query."""
    policy.authorize(user, "caseload.search", None)
    return CaseloadSearch(user=user, q=q.strip(), role=role, plan_state=plan_state, sort=sort, i_direct=i_direct)


def trajectory_get(*, user: User, pk: int, action: str = "trajectory.view") -> Trajectory:
    """The trajectory if `user` may do `action` on it (logs once); 404 for missing or not allowed."""
    trajectory = (
        Trajectory.objects.select_related("client", "client__region", "plan_director", "plan_director__organisation")
        .filter(pk=pk)
        .first()
    )
    if trajectory is None:
        raise Http404
    policy.authorize(user, action, trajectory)
    return trajectory


def trajectory_check(*, user: User, pk: int, action: str) -> Trajectory:
    """The trajectory for a write whose service authorizes and logs (per data category): checked
    first (`policy.check`), the same 404 for missing and not allowed, nothing logged when allowed."""
    trajectory = (Trajectory.objects.select_related("client", "client__region", "plan_director")
                  .filter(pk=pk).first())
    if trajectory is None:
        raise Http404
    policy.check(user, action, trajectory)
    return trajectory


def trajectory_for_write(*, pk: int) -> Trajectory:
    """A plain fetch without an access check. Kept only for the experience_experts app, whose
    services authorize; the apps of this codebase's core fetch through `trajectory_get` with the
    write action before reading input (check first)."""
    trajectory = Trajectory.objects.select_related("client", "plan_director").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    return trajectory


def trajectory_reread(trajectory: Trajectory) -> Trajectory:
    """`trajectory` read again after a write, for the answer (the caller has authorized it)."""
    return Trajectory.objects.select_related("client", "plan_director").get(pk=trajectory.pk)


def team_membership_of(*, trajectory: Trajectory, pk: int) -> TeamMembership:
    """A membership of `trajectory` (the caller has authorized the trajectory); 404 otherwise."""
    membership = TeamMembership.objects.select_related("person", "trajectory").filter(
        pk=pk, trajectory=trajectory
    ).first()
    if membership is None:
        raise Http404
    return membership


def team_members(*, trajectory: Trajectory, current_only: bool = True) -> QuerySet[TeamMembership]:
    qs = TeamMembership.objects.filter(trajectory=trajectory).select_related("person", "organisation")
    if current_only:
        qs = qs.filter(left_at__isnull=True)
    return qs.order_by("joined_at", "id")


def plan_director_history(*, trajectory: Trajectory) -> QuerySet[PlanDirectorChange]:
    return (
        PlanDirectorChange.objects.filter(trajectory=trajectory)
        .select_related("previous", "new", "changed_by")
        .order_by("changed_at", "id")
    )


def intake_for(*, trajectory: Trajectory) -> Intake | None:
    return Intake.objects.filter(trajectory=trajectory).first()


def client_trajectories(*, client) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(client=client).select_related("plan_director").order_by("-started_on", "-id")


def client_trajectory_list(*, client) -> list[Trajectory]:
    """The client's trajectories, newest first, with id, status and dates only (the client page;
    the caller has authorized). Its SQL is compiled once (see `compiled.py`)."""
    rows = compiled.fetch(
        ("client.trajectories",), {"client": client.pk},
        lambda v: Trajectory.objects.filter(client_id=v.int("client")).order_by("-started_on", "-id").values_list(
            "id", "client_id", "status", "started_on", "ended_on", "plan_director_id"),
        model=Trajectory,
    )
    db = router.db_for_read(Trajectory)
    fields = Trajectory._meta.concrete_fields
    return [Trajectory.from_db(db, None, [row.get(f.attname, DEFERRED) for f in fields]) for row in rows]


def team_candidates(*, trajectory: Trajectory) -> QuerySet[User]:
    """Professionals of the client's region who could join (not yet in the team): those with a
    casework role (the policy's `team.join` decides the role they join in)."""
    from werkbrug.core.policy.trajectories import possible_members

    current = TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True).values("person_id")
    return (
        possible_members(User.objects.filter(region_id=trajectory.region_id, is_active=True))
        .exclude(pk__in=current)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def team_candidate_get(*, trajectory: Trajectory, pk: Any) -> User:
    """A professional to add to the team; an unknown id is a clear input error, not a 404."""
    pk = parse_int(pk, minimum=1) or 0
    person = User.objects.select_related("organisation").filter(
        pk=pk, region_id=trajectory.region_id, kind="professional", is_active=True
    ).first()
    if person is None:
        raise ValidationError(
            {"person": ValidationError(_("There is no such professional in this region."), code="unknown_member")}
        )
    return person


def archive_search(*, user: User, q: str = "", reason: str = "") -> QuerySet[Trajectory]:
    """The archive: closed (not erased) trajectories of `user`'s former teams — the members when
    each closed — whose client still consents to the user's organisation taking part; newest
    closing first. Logs one `R` record (`archive.search`). Search: name words or exact client id."""
    from django.db.models import Q

    policy.authorize(user, "archive.search", None)
    if user.organisation_id is None:
        return Trajectory.objects.none()
    mine = TeamMembership.objects.filter(person_id=user.pk, left_at__isnull=True).values("trajectory_id")
    qs = Trajectory.objects.filter(
        pk__in=mine, status=TrajectoryStatus.CLOSED, erased_at__isnull=True, region_id=user.region_id,
    ).filter(caseload._consented("client_id", user.organisation_id, timezone.localdate()))
    for word in q.split()[:8]:
        qs = qs.filter(Q(client__first_name__icontains=word) | Q(client__last_name__icontains=word)
                       | Q(client__pseudonym__iexact=word))
    if reason:
        qs = qs.filter(close_reason=reason)
    return qs.select_related("client", "plan_director").order_by("-closed_at", "-id")


def trajectory_events(*, trajectory: Trajectory) -> QuerySet[TrajectoryEvent]:
    """Closings, reopenings and erasure of `trajectory`, oldest first (the caller has authorized)."""
    return TrajectoryEvent.objects.filter(trajectory=trajectory).select_related("by").order_by("at", "id")
