"""Trajectory, team, plan director and intake services: rules and bad input (nothing half-written)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from werkbrug.clients.models import Client, ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.trajectories import selectors
from werkbrug.trajectories.models import (
    Intake,
    IntakeStatus,
    PlanDirectorChange,
    TeamMembership,
    Trajectory,
)
from werkbrug.trajectories.services import (
    client_register_and_start,
    intake_save,
    plan_director_hand_over,
    team_member_add,
    team_member_remove,
    trajectory_close,
    trajectory_start,
)

VALID_BSN = "111222333"


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def test_register_and_start_makes_client_trajectory_team_and_consent(jobcoach):
    trajectory = client_register_and_start(
        registered_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL,
        first_name="Anouk", last_name="Visser", date_of_birth=date(1991, 3, 2), bsn=VALID_BSN,
    )
    assert trajectory.plan_director == jobcoach
    assert list(trajectory.team.values_list("person_id", flat=True)) == [jobcoach.pk]
    assert trajectory.client.reveal_bsn() == VALID_BSN
    assert VALID_BSN not in trajectory.client.bsn_encrypted
    assert selectors.caseload_trajectories(user=jobcoach).get() == trajectory


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"bsn": "123456789"}, "invalid_bsn"),  # fails the eleven test
        ({"date_of_birth": date(2999, 1, 1)}, "future"),
        ({"role": "manager"}, "role"),
        ({"consent_method": "portal"}, "method"),
    ],
)
def test_register_bad_input_writes_nothing(jobcoach, fields, code):
    args = {"registered_by": jobcoach, "role": Role.JOBCOACH, "consent_method": ConsentMethod.PAPER,
            "first_name": "Bram", "last_name": "Smit", "date_of_birth": date(1980, 1, 1)}
    args.update(fields)
    with pytest.raises(ValidationError) as info:
        client_register_and_start(**args)
    assert code in _codes(info.value)
    assert Client.objects.count() == 0 and Trajectory.objects.count() == 0


def test_second_registration_of_a_bsn_is_caught(jobcoach):
    args = {"registered_by": jobcoach, "role": Role.JOBCOACH, "consent_method": ConsentMethod.PAPER,
            "first_name": "Bram", "last_name": "Smit", "date_of_birth": date(1980, 1, 1), "bsn": VALID_BSN}
    client_register_and_start(**args)
    with pytest.raises(ValidationError) as info:
        client_register_and_start(**{**args, "bsn": "1112.22.333"})
    assert "duplicate_bsn" in _codes(info.value)
    assert Client.objects.count() == 1


def test_same_bsn_in_another_region_is_allowed(jobcoach, make_org, make_person, other_region):
    other = make_person(make_org(OrganisationType.GGZ, "GGZ Elders", in_region=other_region), Role.JOBCOACH)
    for user in (jobcoach, other):
        client_register_and_start(registered_by=user, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER,
                                  first_name="A", last_name="B", date_of_birth=date(1980, 1, 1), bsn=VALID_BSN)
    assert Client.objects.count() == 2


def test_second_active_trajectory_is_refused(team):
    with pytest.raises(ValidationError) as info:
        trajectory_start(client=team.client, started_by=team.labour_expert, role=Role.LABOUR_EXPERT,
                         consent_method=ConsentMethod.PAPER)
    assert "already_active" in _codes(info.value)


def test_unconsented_team_member_is_refused_until_consent_is_recorded(team, make_org, make_person):
    debt_org = make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test")
    counsellor = make_person(debt_org, Role.DEBT_COUNSELLOR)
    with pytest.raises(ValidationError) as info:
        team_member_add(trajectory=team.trajectory, person=counsellor, role=Role.DEBT_COUNSELLOR, added_by=team.jobcoach)
    assert "no_consent" in _codes(info.value)
    assert not TeamMembership.objects.filter(person=counsellor).exists()
    consent_grant(client=team.client, organisation=debt_org, category=DataCategory.PARTICIPATION,
                  recorded_by=counsellor, method=ConsentMethod.VERBAL, evidence="Formulier")
    member = team_member_add(trajectory=team.trajectory, person=counsellor, role=Role.DEBT_COUNSELLOR, added_by=team.jobcoach)
    assert member.organisation == debt_org


@pytest.mark.parametrize(
    ("who", "role", "code"),
    [
        ("other_region", Role.JOBCOACH, "unknown_member"),
        ("client_user", Role.JOBCOACH, "unknown_member"),
        ("labour_expert", Role.LABOUR_EXPERT, "duplicate"),
        ("outsider", Role.MANAGER, "role"),
    ],
)
def test_team_member_add_bad_input(team, who, role, code, make_org, make_person, other_region, client_user):
    people = {
        "other_region": lambda: make_person(make_org(OrganisationType.GGZ, "GGZ Ver", in_region=other_region), Role.JOBCOACH),
        "client_user": lambda: client_user,
        "labour_expert": lambda: team.labour_expert,
        "outsider": lambda: team.outsider,
    }
    before = TeamMembership.objects.count()
    with pytest.raises(ValidationError) as info:
        team_member_add(trajectory=team.trajectory, person=people[who](), role=role, added_by=team.jobcoach)
    assert code in _codes(info.value)
    assert TeamMembership.objects.count() == before


def test_second_plan_director_is_refused(team):
    with pytest.raises(ValidationError) as info:
        team_member_add(trajectory=team.trajectory, person=team.outsider, role=Role.THERAPIST,
                        added_by=team.jobcoach, as_plan_director=True)
    assert "second_plan_director" in _codes(info.value)
    assert Trajectory.objects.get().plan_director == team.jobcoach


def test_hand_over_is_recorded_and_only_the_director_may(team):
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied: only the plan director hands over
        plan_director_hand_over(trajectory=team.trajectory, new_director=team.labour_expert, handed_over_by=team.labour_expert)
    with pytest.raises(ValidationError) as info:
        plan_director_hand_over(trajectory=team.trajectory, new_director=team.outsider, handed_over_by=team.jobcoach)
    assert "not_member" in _codes(info.value)
    plan_director_hand_over(trajectory=team.trajectory, new_director=team.labour_expert,
                            handed_over_by=team.jobcoach, note="Werk staat nu voorop")
    team.trajectory.refresh_from_db()
    assert team.trajectory.plan_director == team.labour_expert
    last = PlanDirectorChange.objects.order_by("-id").first()
    assert (last.previous, last.new, last.changed_by) == (team.jobcoach, team.labour_expert, team.jobcoach)
    with pytest.raises(ValidationError) as info:
        plan_director_hand_over(trajectory=team.trajectory, new_director=team.labour_expert, handed_over_by=team.labour_expert)
    assert "same" in _codes(info.value)


def test_plan_director_cannot_leave_the_team(team):
    membership = TeamMembership.objects.get(person=team.jobcoach)
    with pytest.raises(ValidationError) as info:
        team_member_remove(membership=membership, removed_by=team.jobcoach)
    assert "plan_director" in _codes(info.value)
    other = TeamMembership.objects.get(person=team.labour_expert)
    team_member_remove(membership=other, removed_by=team.jobcoach)
    assert not selectors.caseload_trajectories(user=team.labour_expert).exists()


def test_close_end_before_start(team):
    with pytest.raises(ValidationError) as info:
        trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, reason="moved", outcome="unknown",
                         ended_on=team.trajectory.started_on - timedelta(days=1))
    assert "end_before_start" in _codes(info.value)
    assert Trajectory.objects.get().status == "active"


def test_consent_end_before_start(team):
    with pytest.raises(ValidationError) as info:
        consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS, recorded_by=team.labour_expert,
                      method=ConsentMethod.PAPER, evidence="Formulier", given_on=date(2026, 5, 1), valid_until=date(2026, 4, 1))
    assert "end_before_start" in _codes(info.value)


def test_withdrawn_consent_used_by_a_stale_form_is_refused(team):
    state = team.client.consents.get(organisation=team.uwv, category=DataCategory.WORK_INCOME)
    loaded_version = state.version
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.WORK_INCOME,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL, expected_version=loaded_version)
    # A second form, opened before the withdrawal, tries to change the consent again.
    with pytest.raises(ValidationError) as info:
        consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.WORK_INCOME,
                      recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Formulier", expected_version=loaded_version)
    assert "stale" in _codes(info.value)
    state.refresh_from_db()
    assert state.granted is False


def test_withdrawal_takes_effect_at_once_in_the_caseload(team):
    assert selectors.caseload_trajectories(user=team.labour_expert).exists()
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PARTICIPATION,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    assert not selectors.caseload_trajectories(user=team.labour_expert).exists()
    with pytest.raises(Http404):
        selectors.trajectory_get(user=team.labour_expert, pk=team.trajectory.pk)


def test_intake_draft_then_complete(team):
    intake = intake_save(trajectory=team.trajectory, saved_by=team.jobcoach,
                         data={"work_history": "Tien jaar in de bouw", "support_needs": "Rust en structuur"})
    assert intake.status == IntakeStatus.DRAFT and intake.version == 1
    with pytest.raises(ValidationError) as info:
        intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={}, expected_version=1, complete=True)
    assert "incomplete" in _codes(info.value)
    intake = intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"own_goal": "Weer buiten werken"},
                         expected_version=1, complete=True)
    assert intake.status == IntakeStatus.COMPLETE and intake.completed_at is not None
    assert intake.work_history == "Tien jaar in de bouw"


def test_intake_stale_version_is_refused(team):
    intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"education": "mbo"})
    intake_save(trajectory=team.trajectory, saved_by=team.labour_expert, data={"education": "mbo 2"}, expected_version=1)
    with pytest.raises(ValidationError) as info:
        intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"education": "hbo"}, expected_version=1)
    assert "stale" in _codes(info.value)
    assert Intake.objects.get().education == "mbo 2"


def test_intake_section_without_consent_cannot_be_written(team):
    # The UWV has no consent for care data: its labour expert cannot write support needs.
    with pytest.raises(ValidationError) as info:
        intake_save(trajectory=team.trajectory, saved_by=team.labour_expert,
                    data={"support_needs": "x", "work_history": "y"})
    assert "not_consented" in _codes(info.value)
    assert not Intake.objects.exists()


@pytest.mark.parametrize(("hours", "ok"), [(0, False), (1, True), (60, True), (61, False)])
def test_intake_hours_range(team, hours, ok):
    if ok:
        assert intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"wished_hours_per_week": hours})
    else:
        with pytest.raises(ValidationError):
            intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"wished_hours_per_week": hours})


def test_expired_consent_hides_the_client(team, time_machine):
    consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.PARTICIPATION,
                  recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Formulier", valid_until=timezone.localdate() + timedelta(days=10))
    assert selectors.caseload_trajectories(user=team.labour_expert).exists()
    time_machine.move_to(timezone.now() + timedelta(days=11))
    assert not selectors.caseload_trajectories(user=team.labour_expert).exists()
