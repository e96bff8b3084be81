"""Hand-overs: a leaving professional's places go to colleagues, in one transaction, through the
trajectories' own services (notifications, plan director history, access log)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from werkbrug.administration import services
from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.administration.selectors import open_seats
from werkbrug.administration.services import Successor
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.trajectories.models import PlanDirectorChange, TeamMembership, Trajectory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_person, team):
    return make_person(team.ggz, Role.JOBCOACH, first_name="Carla", last_name="Collega")


def test_a_colleague_takes_over_membership_and_plan_direction(admin, team, colleague):
    leaving = team.jobcoach
    services.person_hand_over(person=leaving, successors={team.trajectory.pk: Successor("colleague", colleague.pk)},
                              actor=admin)
    trajectory = Trajectory.objects.get(pk=team.trajectory.pk)
    assert trajectory.plan_director_id == colleague.pk
    member = TeamMembership.objects.get(trajectory=trajectory, person=colleague, left_at__isnull=True)
    assert member.role == Role.JOBCOACH and member.organisation_id == team.ggz.pk
    assert not TeamMembership.objects.filter(trajectory=trajectory, person=leaving, left_at__isnull=True).exists()
    assert open_seats(leaving) == []
    change = PlanDirectorChange.objects.filter(trajectory=trajectory).order_by("changed_at", "id").last()
    assert (change.previous_id, change.new_id, change.changed_by_id) == (leaving.pk, colleague.pk, admin.pk)
    # The new director and new member are told, as with any hand-over in the trajectory.
    kinds = set(Notification.objects.filter(recipient=colleague).values_list("kind", flat=True))
    assert kinds == {Kind.PLAN_DIRECTOR, Kind.TEAM_MEMBER}
    # Each step is a write in the client's file by someone outside the team: logged as a hand-over.
    records = AccessLogRecord.objects.filter(actor_id_snapshot=admin.pk, action="team.hand_over")
    assert records.exists() and all(r.granted and r.purpose == "hand-over" and r.code == "U" for r in records)
    assert {r.client_pseudonym for r in records} == {team.client.pseudonym}
    event = AdministrationEvent.objects.get(action=EventAction.HANDED_OVER)
    assert event.person_id == leaving.pk
    assert event.before == {str(trajectory.pk): {"role": Role.JOBCOACH, "plan_director": True}}
    assert event.after == {str(trajectory.pk): {"kind": "colleague", "person": colleague.pk, "plan_director": True}}


def test_then_deactivation_goes_through(admin, team, colleague):
    services.person_hand_over(person=team.jobcoach, successors={team.trajectory.pk: Successor("colleague", colleague.pk)},
                              actor=admin)
    services.person_deactivate(person=team.jobcoach, actor=admin)
    assert not User.objects.get(pk=team.jobcoach.pk).is_active


def test_plan_director_without_a_colleague_the_region_administrator_appoints_from_the_team(admin, team):
    """The fallback: no GGZ colleague works with clients; the UWV labour expert is appointed."""
    services.person_hand_over(person=team.jobcoach,
                              successors={team.trajectory.pk: Successor("appoint", team.labour_expert.pk)}, actor=admin)
    trajectory = Trajectory.objects.get(pk=team.trajectory.pk)
    assert trajectory.plan_director_id == team.labour_expert.pk
    assert Notification.objects.filter(recipient=team.labour_expert, kind=Kind.PLAN_DIRECTOR).count() == 1
    assert open_seats(team.jobcoach) == []


def test_the_organisations_manager_hands_over_to_a_colleague_but_does_not_appoint(team, colleague, make_person):
    manager = make_person(team.ggz, Role.MANAGER)
    with pytest.raises(Exception) as exc:
        services.person_hand_over(person=team.jobcoach,
                                  successors={team.trajectory.pk: Successor("appoint", team.labour_expert.pk)},
                                  actor=manager)
    assert exc.type.__name__ in ("Http404", "Refused")
    assert Trajectory.objects.get(pk=team.trajectory.pk).plan_director_id == team.jobcoach.pk
    services.person_hand_over(person=team.jobcoach,
                              successors={team.trajectory.pk: Successor("colleague", colleague.pk)}, actor=manager)
    assert Trajectory.objects.get(pk=team.trajectory.pk).plan_director_id == colleague.pk


@pytest.mark.parametrize("who", ["manager of another organisation", "colleague", "admin of another region"])
def test_others_cannot_hand_over(team, colleague, make_person, far, who):
    actor = {
        "manager of another organisation": lambda: make_person(team.uwv, Role.MANAGER),
        "colleague": lambda: colleague,
        "admin of another region": lambda: far.admin,
    }[who]()
    with pytest.raises(Exception) as exc:
        services.person_hand_over(person=team.jobcoach,
                                  successors={team.trajectory.pk: Successor("colleague", colleague.pk)}, actor=actor)
    assert exc.type.__name__ in ("Http404", "Refused")


@pytest.mark.parametrize("successor, field_code", [
    (lambda t, c: Successor("leave"), "successor"),  # a plan director's place needs a successor
    (lambda t, c: Successor("colleague", t.labour_expert.pk), "successor"),  # not a colleague
    (lambda t, c: Successor("appoint", t.outsider.pk), "successor"),  # not in the team
])
def test_refusals_leave_every_team_as_it_was(admin, team, colleague, successor, field_code):
    with pytest.raises(ValidationError) as exc:
        services.person_hand_over(person=team.jobcoach, successors={team.trajectory.pk: successor(team, colleague)},
                                  actor=admin)
    assert exc.value.error_dict[f"seat_{team.trajectory.pk}"][0].code == field_code
    assert Trajectory.objects.get(pk=team.trajectory.pk).plan_director_id == team.jobcoach.pk
    assert not AdministrationEvent.objects.exists()


def test_one_transaction_for_many_clients(admin, team, colleague, make_client):
    """Two clients: the second one's successor is refused, so the first is not handed over either."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import trajectory_start

    second = trajectory_start(client=make_client(team.jobcoach), started_by=team.jobcoach, role=Role.JOBCOACH,
                              consent_method=ConsentMethod.VERBAL)
    with pytest.raises(ValidationError):
        services.person_hand_over(person=team.jobcoach, actor=admin, successors={
            team.trajectory.pk: Successor("colleague", colleague.pk), second.pk: Successor("leave")})
    assert len(open_seats(team.jobcoach)) == 2
    services.person_hand_over(person=team.jobcoach, actor=admin, successors={
        team.trajectory.pk: Successor("colleague", colleague.pk), second.pk: Successor("colleague", colleague.pk)})
    assert open_seats(team.jobcoach) == []
    assert Trajectory.objects.filter(plan_director=colleague).count() == 2


def test_every_place_needs_a_successor(admin, team, colleague):
    with pytest.raises(ValidationError) as exc:
        services.person_hand_over(person=team.jobcoach, successors={}, actor=admin)
    assert exc.value.error_dict[f"seat_{team.trajectory.pk}"][0].code == "required"


def test_a_member_who_is_not_plan_director_may_just_leave(admin, team):
    services.person_hand_over(person=team.labour_expert, successors={team.trajectory.pk: Successor("leave")}, actor=admin)
    assert not TeamMembership.objects.filter(person=team.labour_expert, left_at__isnull=True).exists()


def test_a_plan_director_whose_organisation_lost_consent_is_replaced_from_the_team(admin, team, colleague):
    """The client withdrew the GGZ's consent to take part: the GGZ jobcoach left the team but is
    still plan director. A GGZ colleague cannot join (said for that client); the region
    administrator appoints the UWV labour expert instead."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    consent_withdraw(client=team.client, organisation=team.ggz, category="participation", recorded_by=team.jobcoach,
                     method=ConsentMethod.VERBAL)
    [seat] = open_seats(team.jobcoach)
    assert seat.membership is None and seat.is_director
    with pytest.raises(ValidationError) as exc:
        services.person_hand_over(person=team.jobcoach, actor=admin,
                                  successors={team.trajectory.pk: Successor("colleague", colleague.pk)})
    assert exc.value.error_dict[f"seat_{team.trajectory.pk}"][0].code == "no_consent"
    assert not TeamMembership.objects.filter(person=colleague).exists()
    services.person_hand_over(person=team.jobcoach, actor=admin,
                              successors={team.trajectory.pk: Successor("appoint", team.labour_expert.pk)})
    assert Trajectory.objects.get(pk=team.trajectory.pk).plan_director_id == team.labour_expert.pk
    assert open_seats(team.jobcoach) == []
