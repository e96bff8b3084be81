"""Planning, changing and cancelling: validation, history with SEQUENCE, and who is told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from werkbrug.appointments import services
from werkbrug.appointments.models import AppointmentChange, AppointmentStatus
from werkbrug.core.models import AccessLogRecord
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

from .conftest import at

pytestmark = pytest.mark.django_db


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_planning_tells_everyone_taking_part_but_the_planner(plan, team, client_user):
    appointment = plan()
    assert _told(Kind.APPOINTMENT_PLANNED) == {team.labour_expert.pk, client_user.pk}
    assert set(appointment.participants.values_list("pk", flat=True)) == {team.jobcoach.pk, team.labour_expert.pk}
    note = Notification.objects.filter(kind=Kind.APPOINTMENT_PLANNED).first()
    assert note.link == f"/appointments/{appointment.pk}/"
    assert team.client.last_name not in note.title and team.client.first_name not in note.title
    assert [c.kind for c in appointment.changes.all()] == ["planned"]
    assert appointment.sequence == 0


def test_planning_a_client_appointment_is_access_logged(plan, team):
    before = AccessLogRecord.objects.count()
    appointment = plan()
    record = AccessLogRecord.objects.order_by("-pk").first()
    assert AccessLogRecord.objects.count() == before + 1
    assert (record.action, record.code, record.granted) == ("appointment.create", "C", True)
    assert record.client_pseudonym == team.client.pseudonym
    assert appointment.region_id == team.client.region_id


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"video_link": "http://meet.example.org/abc", "place": ""}, "video_link", "https"),
    ({"video_link": "javascript:alert(1)", "place": ""}, "video_link", "https"),
    ({"place": "", "video_link": ""}, "place", "required"),
    ({"ends_at": at(2026, 3, 30, 9)}, "ends_at", "end_before_start"),
    ({"ends_at": at(2026, 3, 31, 10)}, "ends_at", "too_long"),
    ({"kind": "party"}, "kind", "choice"),
    ({"starts_at": at(1900, 3, 30, 10), "ends_at": at(1900, 3, 30, 11)}, "starts_at", "out_of_range"),
    ({"employer_contact_email": "not-an-address", "employer_contact_name": "Ria"}, "employer_contact_email", "invalid"),
])
def test_invalid_input_is_refused_on_its_field(plan, fields, field, code):
    with pytest.raises(ValidationError) as caught:
        plan(**fields)
    assert [e.code for e in caught.value.error_dict[field]] == [code]


def test_only_team_members_take_part(plan, team):
    with pytest.raises(ValidationError) as caught:
        plan(participants=[team.outsider])
    assert caught.value.error_dict["participants"][0].code == "not_in_team"
    assert team.outsider.get_full_name() not in str(caught.value)


def test_an_https_video_link_is_enough(plan):
    appointment = plan(place="", video_link="https://meet.example.org/werkbrug-123")
    assert appointment.video_link == "https://meet.example.org/werkbrug-123"


def test_moving_raises_the_sequence_keeps_history_and_tells_the_others(plan, team, client_user):
    appointment = plan()
    uid = appointment.uid
    moved = services.appointment_update(
        appointment=appointment, changed_by=team.labour_expert, kind="three_way", starts_at=at(2026, 4, 2, 14),
        ends_at=at(2026, 4, 2, 15), place="UWV Tiel", with_client=True, participants=[team.jobcoach, team.labour_expert],
        reason="Werkgever kan pas donderdag", now=at(2026, 3, 21, 9),
    )
    assert (moved.sequence, moved.uid) == (1, uid)
    change = AppointmentChange.objects.filter(appointment=appointment).order_by("-sequence").first()
    assert (change.kind, change.sequence, change.previous_starts_at) == ("rescheduled", 1, at(2026, 3, 30, 10))
    assert change.reason == "Werkgever kan pas donderdag"
    assert _told(Kind.APPOINTMENT_CHANGED) == {team.jobcoach.pk, client_user.pk}


def test_a_change_without_a_new_time_is_a_change(plan, team):
    appointment = plan()
    services.appointment_update(
        appointment=appointment, changed_by=team.jobcoach, kind="three_way", starts_at=appointment.starts_at,
        ends_at=appointment.ends_at, place="UWV Tiel, spreekkamer 4", with_client=True,
        participants=[team.jobcoach, team.labour_expert], now=at(2026, 3, 21, 9),
    )
    assert appointment.changes.order_by("-sequence").first().kind == "changed"


def test_cancelling_keeps_the_appointment_and_tells_everyone(plan, team, client_user):
    appointment = plan()
    cancelled = services.appointment_cancel(appointment=appointment, cancelled_by=team.jobcoach, reason="Ziek",
                                            now=at(2026, 3, 22, 9))
    assert (cancelled.status, cancelled.sequence) == (AppointmentStatus.CANCELLED, 1)
    assert _told(Kind.APPOINTMENT_CANCELLED) == {team.labour_expert.pk, client_user.pk}
    with pytest.raises(ValidationError):
        services.appointment_cancel(appointment=appointment, cancelled_by=team.jobcoach)
    with pytest.raises(ValidationError):
        services.appointment_update(appointment=appointment, changed_by=team.jobcoach, kind="three_way",
                                    starts_at=at(2026, 4, 2, 14), ends_at=at(2026, 4, 2, 15), place="x")


def test_a_past_appointment_tells_nobody(plan, team):
    plan(starts_at=at(2026, 3, 1, 10), ends_at=at(2026, 3, 1, 11))
    assert not Notification.objects.filter(kind=Kind.APPOINTMENT_PLANNED).exists()


def test_the_client_does_not_plan(plan, team, client_user):
    from django.http import Http404

    with pytest.raises(Http404):
        plan(planned_by=client_user)


def _plan_action(trajectory, by):
    from datetime import timedelta

    from werkbrug.plans.services import ActionInput, GoalInput, plan_save

    version = plan_save(trajectory=trajectory, actor=by, based_on=0, goals=[GoalInput(
        title="Werk", actions=[ActionInput(title="Driegesprek met werkgever", owner="client", due_on=trajectory.started_on + timedelta(days=30))])])
    return version.actions.get()


def test_linked_to_an_action_of_the_clients_own_plan_only(plan, team, make_client):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.core.choices import Role
    from werkbrug.trajectories.services import trajectory_start

    action = _plan_action(team.trajectory, team.jobcoach)
    assert plan(plan_action=action).plan_action == action
    other_client = make_client(team.jobcoach)
    other = trajectory_start(client=other_client, started_by=team.jobcoach, role=Role.JOBCOACH,
                             consent_method=ConsentMethod.VERBAL)
    with pytest.raises(ValidationError) as caught:
        plan(trajectory=other, with_client=False, participants=[], plan_action=action)
    assert caught.value.error_dict["plan_action"][0].code == "other_plan"
