"""Reads of region administration. Fetches of a named object check first (`*_get`): missing
and not allowed answer the same 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, Role
from werkbrug.core.models import Organisation, RoleAssignment, User
from werkbrug.core.numbers import MAX_ID
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

from .models import AdministrationEvent, OIDCIdentity

__all__ = [
    "Positions",
    "Seat",
    "colleagues",
    "event_list",
    "hand_over_people",
    "identity_get",
    "open_seats",
    "organisation_get",
    "organisation_list",
    "person_get",
    "person_list",
    "positions_of",
    "seat_role_for",
]


def _pk(value) -> int:
    text = str(value)
    if not text.isdigit() or int(text) > MAX_ID:
        raise Http404
    return int(text)


def organisation_get(*, user: User, pk) -> Organisation:
    organisation = Organisation.objects.filter(pk=_pk(pk)).first()
    if organisation is None:
        raise Http404
    policy.check(user, "organisation.change", organisation)
    return organisation


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    policy.authorize(user, "administration.view", None)
    return Organisation.objects.filter(region_id=user.region_id).order_by("name")


def person_get(*, user: User, pk, action: str = "person.change") -> User:
    """A professional of the user's region, checked for `action` (the person's own region's
    administrator; `handover.manage` also lets their own manager in)."""
    person = User.objects.filter(pk=_pk(pk), kind="professional").select_related("organisation").first()
    if person is None:
        raise Http404
    policy.check(user, action, person)
    return person


def identity_get(*, person: User, pk) -> OIDCIdentity:
    identity = OIDCIdentity.objects.filter(pk=_pk(pk), person=person).first()
    if identity is None:
        raise Http404
    return identity


def person_list(
    *, user: User, organisation_id: int | None = None, role: str = "", active: bool | None = True,
) -> QuerySet[User]:
    """Who holds which role: the region's professionals with their roles, filtered."""
    policy.authorize(user, "administration.view", None)
    people = User.objects.filter(region_id=user.region_id, kind="professional").select_related("organisation")
    if organisation_id is not None:
        people = people.filter(organisation_id=organisation_id)
    if role:
        people = people.filter(pk__in=RoleAssignment.objects.filter(role=role).values("person_id"))
    if active is not None:
        people = people.filter(is_active=active)
    return people.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"), to_attr="role_list")
    ).order_by("last_name", "first_name", "pk")


def event_list(*, user: User, person_id: int | None = None, action: str = "") -> QuerySet[AdministrationEvent]:
    policy.authorize(user, "administration.view", None)
    events = AdministrationEvent.objects.filter(region_id=user.region_id).select_related("actor", "person", "organisation")
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-id")


@dataclass
class Seat:
    """A leaving person's place in one active client team. The client is named by nothing but
    the trajectory's number: who hands over is not in the team and must not learn who it is."""

    trajectory: Trajectory
    membership: TeamMembership | None
    is_director: bool
    team: list[TeamMembership] = field(default_factory=list)

    @property
    def role(self) -> str:
        return self.membership.role if self.membership else ""

    @property
    def started_on(self) -> date:
        return self.trajectory.started_on


def open_seats(person: User) -> list[Seat]:
    """Every active trajectory in which `person` is a current team member or the plan director."""
    trajectories = (
        Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE)
        .filter(Q(plan_director=person) | Q(team__person=person, team__left_at__isnull=True))
        .distinct()
        .prefetch_related(Prefetch(
            "team", queryset=TeamMembership.objects.filter(left_at__isnull=True).select_related("person", "organisation"),
            to_attr="current_team",
        ))
        .order_by("started_on", "pk")
    )
    seats = []
    for trajectory in trajectories:
        own = next((m for m in trajectory.current_team if m.person_id == person.pk), None)
        others = [m for m in trajectory.current_team if m.person_id != person.pk]
        seats.append(Seat(trajectory, own, trajectory.plan_director_id == person.pk, others))
    return seats


def colleagues(person: User) -> list[User]:
    """Who can take over `person`'s places: active professionals of the same organisation with a
    casework role (the one `team.join` accepts)."""
    if person.organisation_id is None:
        return []
    return list(
        User.objects.filter(organisation_id=person.organisation_id, kind="professional", is_active=True)
        .exclude(pk=person.pk)
        .filter(pk__in=RoleAssignment.objects.filter(role__in=CASEWORK_ROLES).values("person_id"))
        .prefetch_related("role_assignments")
        .order_by("last_name", "first_name", "pk")
    )


def seat_role_for(successor: User, seat: Seat) -> str | None:
    """The role a colleague takes the seat in: the leaver's role if the colleague holds it, else
    the first casework role they hold (in the vocabulary's order); None if they hold none."""
    held = set(successor.roles)
    if seat.role and seat.role in held:
        return seat.role
    return next((role for role in Role.values if role in CASEWORK_ROLES and role in held), None)


def hand_over_people(*, user: User) -> list[User]:
    """Active professionals whose places `user` may hand over, with how many places each holds."""
    people = list(
        policy.scope(user, "handover.manage", User.objects.filter(is_active=True))
        .select_related("organisation").order_by("last_name", "first_name", "pk")
    )
    active = TeamMembership.objects.filter(left_at__isnull=True, trajectory__status=TrajectoryStatus.ACTIVE)
    counts: dict[int, int] = {}
    for person_id in active.filter(person__in=[p.pk for p in people]).values_list("person_id", flat=True):
        counts[person_id] = counts.get(person_id, 0) + 1
    for person in people:
        person.seat_count = counts.get(person.pk, 0)
    return people


@dataclass
class Positions:
    """Everything a person holds that deactivation hands over, as the preview shows it. Requests
    and questions are named by number only: the administrator is in no client's team."""

    seats: list[Seat]
    ambassador: Any = None  # the active `Ambassador`, if any
    ambassador_question_ids: list[int] = field(default_factory=list)
    ambassador_colleagues: list[Any] = field(default_factory=list)
    coordinated: list[Any] = field(default_factory=list)  # `ExpertProfile`s the person coordinates
    coordinator_candidates: list[User] = field(default_factory=list)
    expert_requests: list[Any] = field(default_factory=list)  # `DeploymentRequest`s still in their hands
    requested: list[Any] = field(default_factory=list)  # running `DeploymentRequest`s they made
    expert_profile: Any = None  # the active `ExpertProfile`, if any
    calendar_feed: bool = False

    @property
    def fallback_needed(self) -> bool:
        """Open questions with no colleague ambassador to take them: the region's fallback does."""
        return bool(self.ambassador_question_ids) and not self.ambassador_colleagues

    @property
    def anything(self) -> bool:
        return bool(self.ambassador or self.coordinated or self.expert_requests or self.requested
                    or self.expert_profile or self.calendar_feed)


def positions_of(person: User) -> Positions:
    """What `person` holds besides their roles: places in client teams, an ambassadorship with
    its open questions, experts they coordinate (with the coordinators who could take over),
    deployment requests in their hands as an expert, their expert profile, their calendar feed."""
    from werkbrug.ambassadors.models import Ambassador, Question, QuestionStatus
    from werkbrug.appointments.selectors import feed_of
    from werkbrug.experience_experts.models import ExpertProfile
    from werkbrug.experience_experts.services import expert_open_requests, requester_open_requests

    positions = Positions(seats=open_seats(person))
    ambassador = Ambassador.objects.filter(person=person, active=True).select_related("organisation").first()
    if ambassador is not None:
        positions.ambassador = ambassador
        positions.ambassador_question_ids = list(
            Question.objects.filter(assignee=ambassador, status=QuestionStatus.OPEN).order_by("pk").values_list("pk", flat=True))
        positions.ambassador_colleagues = list(
            Ambassador.objects.filter(organisation_id=ambassador.organisation_id, active=True, person__is_active=True)
            .exclude(pk=ambassador.pk).select_related("person").order_by("position", "id"))
    positions.coordinated = list(
        ExpertProfile.objects.filter(coordinator=person).select_related("person").order_by("person__last_name", "pk"))
    if positions.coordinated:
        positions.coordinator_candidates = list(
            User.objects.filter(region_id=person.region_id, kind="professional", is_active=True,
                                role_assignments__role=Role.EE_COORDINATOR)
            .exclude(pk=person.pk).distinct().order_by("last_name", "first_name", "pk"))
    positions.expert_requests = list(expert_open_requests(person))
    positions.requested = list(requester_open_requests(person).select_related("trajectory"))
    positions.expert_profile = ExpertProfile.objects.filter(person=person, active=True).first()
    positions.calendar_feed = feed_of(person=person) is not None
    return positions
