"""Hand-overs: a leaving professional's places in client teams move to others, in one go.

For each active trajectory where the person is a team member or the plan director, whoever hands
over (the region administrator, or a manager of the person's organisation) chooses a successor:

- `colleague`: a colleague of the same organisation joins the team in the leaver's place (in the
  leaver's role if they hold it) and, where the leaver directed the plan, becomes plan director;
- `appoint`: the fallback for a leaving plan director without a colleague to take over — the
  region administrator appoints a current member of the team (of any organisation) plan director;
- `leave`: the leaver just leaves the team (not for a plan director: a plan always has one).

The trajectories' own services do each step (`team_member_add`, `plan_director_hand_over`,
`team_member_remove`), so the new members and the new plan director are told (notification kinds
`TEAM_MEMBER` and `PLAN_DIRECTOR`), the plan director history grows and every step is in the
access log as a hand-over. All steps of one hand-over are one transaction: a refusal anywhere
leaves every team as it was. Afterwards the person has no place left (`open_seats` is empty), so
the account can be deactivated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.models import User
from werkbrug.trajectories.services import (
    plan_director_hand_over,
    team_member_add,
    team_member_remove,
)

from ..models import EventAction
from ..selectors import Seat, colleagues, open_seats, seat_role_for
from .audit import event_record

KINDS = ("colleague", "appoint", "leave")


@dataclass(frozen=True)
class Successor:
    kind: str  # one of KINDS
    person_id: int | None = None


def _error(trajectory_id: int, message) -> ValidationError:
    return ValidationError({f"seat_{trajectory_id}": ValidationError(message, code="successor")})


@transaction.atomic
def person_hand_over(*, person: User, successors: Mapping[int, Successor], actor: User) -> list[Seat]:
    """Hand over every place `person` holds (`successors`: trajectory id → successor); returns
    the seats as they were. Every open seat needs a successor; unknown trajectories are refused."""
    person = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=person.pk)
    policy.authorize(actor, "handover.manage", person)
    seats = open_seats(person)
    if not seats:
        raise ValidationError(_("This person has no place in a client team to hand over."), code="nothing")
    by_id = {seat.trajectory.pk: seat for seat in seats}
    unknown = set(successors) - set(by_id)
    if unknown:
        raise ValidationError(_("Some of these teams are not this person's (any longer). Reload the page."), code="stale")
    missing = [pk for pk in by_id if pk not in successors]
    if missing:
        raise ValidationError({f"seat_{pk}": ValidationError(_("Choose who takes over."), code="required") for pk in missing})
    candidates = {c.pk: c for c in colleagues(person)}
    errors: dict[str, list[ValidationError]] = {}
    plan: list[tuple[Seat, Successor, User | None, str | None]] = []
    for pk, seat in by_id.items():
        successor = successors[pk]
        try:
            plan.append((seat, successor, *_check(seat, successor, candidates)))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    note = gettext("Hand-over: %(name)s leaves") % {"name": person.get_full_name()}
    after = {}
    for seat, successor, new_person, role in plan:
        trajectory = seat.trajectory
        try:
            _hand_over_seat(seat, successor, new_person, role, leaving=person, actor=actor, note=note)
        except ValidationError as exc:
            # e.g. the client no longer consents to the organisation taking part: said per client
            errors = [e for v in exc.error_dict.values() for e in v] if hasattr(exc, "error_dict") else exc.error_list
            raise ValidationError({f"seat_{trajectory.pk}": errors}) from exc
        after[str(trajectory.pk)] = {"kind": successor.kind, "person": new_person.pk if new_person else None,
                                     "plan_director": seat.is_director}
    before = {str(seat.trajectory.pk): {"role": seat.role, "plan_director": seat.is_director} for seat in seats}
    event_record(actor=actor, action=EventAction.HANDED_OVER, region_id=person.region_id, person=person,
                 organisation=person.organisation, before=before, after=after)
    return seats


def _hand_over_seat(seat: Seat, successor: Successor, new_person: User | None, role: str | None, *,
                    leaving: User, actor: User, note: str) -> None:
    trajectory = seat.trajectory
    if successor.kind == "colleague":
        if not any(m.person_id == new_person.pk for m in seat.team):
            team_member_add(trajectory=trajectory, person=new_person, role=role, added_by=actor,
                            handing_over_from=leaving)
        if seat.is_director:
            plan_director_hand_over(trajectory=trajectory, new_director=new_person, handed_over_by=actor,
                                    note=note, handing_over_from=leaving)
    elif successor.kind == "appoint":
        plan_director_hand_over(trajectory=trajectory, new_director=new_person, handed_over_by=actor,
                                note=note, handing_over_from=leaving)
    if seat.membership is not None:
        team_member_remove(membership=seat.membership, removed_by=actor, handing_over_from=leaving)


def _check(seat: Seat, successor: Successor, candidates: dict[int, User]) -> tuple[User | None, str | None]:
    pk = seat.trajectory.pk
    if successor.kind == "leave":
        if seat.is_director:
            raise _error(pk, _("The plan director's place needs a successor: a colleague, or a team member appointed by the region administrator."))
        return None, None
    if successor.kind == "colleague":
        colleague = candidates.get(successor.person_id)
        if colleague is None:
            raise _error(pk, _("Choose an active colleague of the same organisation with a role that works with clients."))
        role = seat_role_for(colleague, seat)
        if role is None:  # pragma: no cover — colleagues() holds only people with a casework role
            raise _error(pk, _("Choose an active colleague of the same organisation with a role that works with clients."))
        return colleague, role
    if successor.kind == "appoint":
        if not seat.is_director:
            raise _error(pk, _("Only a plan director's place is filled by appointing a team member."))
        member = next((m.person for m in seat.team if m.person_id == successor.person_id and m.person.is_active), None)
        if member is None:
            raise _error(pk, _("Choose a current member of this team."))
        return member, None
    raise _error(pk, _("Choose who takes over."))
