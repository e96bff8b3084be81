"""Rules for appointments and the personal calendar feed.

An appointment of a client (one with a trajectory) is client data of the category
`participation`: the client's team members with the client's consent for their organisation read
and change it, the client reads their own (`client_data`, every decision logged). Participants
are chosen from the team, so "participants and team members" is the team; someone who has left
the team no longer sees the client's appointments, in pages, API and their calendar feed alike.
The appointments of a closed trajectory are its archive (`trajectory_data`): its former team
reads them, nobody changes them (`trajectory_write`), and the client's next team does not see them.

An appointment without a client (a support-group meeting, a deployment for a group or topic) is
for the person who planned it and the people taking part: the team members chosen, the expert.

The calendar feed is each person's own: anyone signed in makes, renews or revokes theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ..choices import CASEWORK_ROLES, DataCategory, Role
from . import ALLOW, Decision, rule, scope_rule
from .trajectories import trajectory_data, trajectory_write

if TYPE_CHECKING:
    from werkbrug.appointments.models import Appointment
    from werkbrug.trajectories.models import Trajectory

    from ..models import User

# Who plans appointments without a client (group meetings, deployments for a topic).
PLANNERS = frozenset(CASEWORK_ROLES | {Role.EE_COORDINATOR})


def _no(reason: str, *, hide: bool = True) -> Decision:
    return Decision(False, reason=reason, hide=hide)


def _takes_part(user: User, appointment: Appointment) -> bool:
    if appointment.organiser_id == user.pk:
        return True
    if appointment.expert_id is not None and appointment.expert.person_id == user.pk:
        return True
    return any(p.pk == user.pk for p in appointment.participants.all())


def _professional_team_member(user: User, trajectory: Trajectory, code: str) -> Decision:
    if user.is_client:
        return Decision(False, reason="appointments are planned by the team", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code=code, role="client", relation=True, consent=True)
    # Planning or changing, and opening its form (R): never on a closed trajectory.
    return trajectory_write(user, trajectory, DataCategory.PARTICIPATION, code=code)


@rule("appointment.list")
def list_trajectory_appointments(user: User, trajectory: Trajectory) -> Decision:
    """The appointments of a trajectory: the team (with consent) and the client; of a closed one,
    its former team (the archive)."""
    return trajectory_data(user, trajectory, DataCategory.PARTICIPATION)


@rule("appointment.create")
def create_appointment(user: User, trajectory: Trajectory | None) -> Decision:
    """For a client: a professional of the client's team. Without one: a casework professional or
    a coordinator of the region."""
    if trajectory is not None:
        return _professional_team_member(user, trajectory, "C")
    if user.is_professional and user.region_id is not None and user.roles & PLANNERS:
        return ALLOW
    return _no("casework professionals and coordinators", hide=False)


@rule("appointment.open_form")
def open_plan_form(user: User, trajectory: Trajectory | None) -> Decision:
    """Opening the form to plan one reads the client's file (R); saving is `appointment.create`."""
    if trajectory is not None:
        return _professional_team_member(user, trajectory, "R")
    return create_appointment(user, None)


@rule("appointment.view")
def view_appointment(user: User, appointment: Appointment) -> Decision:
    if appointment.trajectory_id is not None:
        return trajectory_data(user, appointment.trajectory, DataCategory.PARTICIPATION)
    if user.region_id == appointment.region_id and _takes_part(user, appointment):
        return ALLOW
    return _no("not taking part")


@rule("appointment.change", "appointment.cancel")
def change_appointment(user: User, appointment: Appointment) -> Decision:
    if appointment.trajectory_id is not None:
        return _professional_team_member(user, appointment.trajectory, "U")
    if user.is_professional and user.region_id == appointment.region_id and _takes_part(user, appointment):
        return ALLOW
    return _no("not taking part")


@rule("appointment.edit")
def open_edit_form(user: User, appointment: Appointment) -> Decision:
    """Opening the change form (R); saving is `appointment.change`."""
    if appointment.trajectory_id is not None:
        return _professional_team_member(user, appointment.trajectory, "R")
    return change_appointment(user, appointment)


@rule("appointment.mine")
def my_appointments(user: User, _obj: Any) -> Decision:
    """A person's own list, which can name clients: logged once per request."""
    return Decision(True, code="R", category=DataCategory.PARTICIPATION, purpose="own appointments",
                    role="client" if user.is_client else user.primary_role, relation=True, consent=True, log=True)


@rule("calendar_feed.manage")
def manage_feed(user: User, _obj: Any) -> Decision:
    """Everyone signed in keeps their own feed."""
    return ALLOW


@scope_rule("appointment.view")
def visible_appointments(user: User, queryset: QuerySet) -> QuerySet:
    """The appointments `user` may see, as `view_appointment` decides, in the database: a client's
    while the user is in the team of the appointment's trajectory — the active team, or the former
    team of a closed one, as `trajectory_data` decides — and the client consents to the user's
    organisation taking part (`ConsentState.objects.current()`), or the client's own; one without
    a client while the user takes part in it."""
    from werkbrug.clients.models import ConsentState

    if user.is_client:
        return queryset.filter(trajectory__client__user=user)
    if not user.is_professional or user.region_id is None:
        return queryset.none()
    consenting = ConsentState.objects.current().filter(
        organisation_id=user.organisation_id, category=DataCategory.PARTICIPATION,
    ).values("client_id")
    # As `trajectory_data`: a member of the appointment's own trajectory's team (a closed
    # trajectory's team does not change, so that is its former team), never of the client's next one.
    in_team = Q(
        trajectory__team__person=user,
        trajectory__team__left_at__isnull=True,
        trajectory__erased_at__isnull=True,
        trajectory__client_id__in=consenting,
    )
    takes_part = Q(trajectory__isnull=True) & (Q(organiser=user) | Q(participants=user) | Q(expert__person=user))
    return queryset.filter(region_id=user.region_id).filter(in_team | takes_part).distinct()
