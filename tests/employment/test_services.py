from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.models import AccessLogRecord
from werkbrug.employment.models import EmployerContact, Job, PhaseChange
from werkbrug.employment.selectors import (
    caseload_annotations,
    client_outcomes_for,
    job_periods_for_clients,
    last_phase_change,
)
from werkbrug.employment.services import employer_contact_record, job_end, job_start, phase_change
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def start_job(team, **extra):
    fields = {"employer_name": "Bakkerij Bos", "job_title": "Medewerker bakkerij", "start": date(2026, 3, 2),
              "hours_per_week": "16", "hourly_wage": "14.71", "contract_type": "fixed_term", "competitive": True}
    fields.update(extra)
    return job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, **fields)


def test_phase_history_is_appended_and_the_latest_is_current(ips_team):
    t = ips_team
    phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase="registration", changed_on=date(2026, 1, 5))
    phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase="intake", changed_on=date(2026, 1, 20))
    phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase="job_search", changed_on=date(2026, 2, 10))
    assert list(PhaseChange.objects.filter(trajectory=t.trajectory).values_list("phase", flat=True)) == [
        "registration", "intake", "job_search"]
    row = Trajectory.objects.annotate(**caseload_annotations()).get(pk=t.trajectory.pk)
    assert row.ips_phase == "job_search"
    assert last_phase_change(trajectory_ids=[t.trajectory.pk]) == {t.trajectory.pk: date(2026, 2, 10)}


@pytest.mark.parametrize(
    ("phase", "changed_on", "field", "code"),
    [
        ("intake", date(2026, 1, 5), "phase", "same_phase"),  # already in this phase
        ("job_search", date(2026, 1, 10), "changed_on", "before_current"),  # before the current phase began
        ("job_search", date(2026, 7, 1), "changed_on", "future"),  # in the future
        ("job_search", date(2025, 12, 1), "changed_on", "before_start"),  # before the trajectory
        ("hibernation", date(2026, 2, 1), "phase", "invalid_choice"),  # unknown phase
    ],
)
def test_bad_phase_changes(ips_team, phase, changed_on, field, code):
    t = ips_team
    phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase="intake", changed_on=date(2026, 1, 15))
    with pytest.raises(ValidationError) as exc:
        phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase=phase, changed_on=changed_on)
    assert exc.value.error_dict[field][0].code == code
    assert PhaseChange.objects.count() == 1


def test_employer_contact(ips_team):
    c = employer_contact_record(trajectory=ips_team.trajectory, recorded_by=ips_team.jobcoach,
                                contacted_on=date(2026, 2, 3), employer_name="Fruitteelt Van Doorn", kind="first_contact")
    assert c.pk and EmployerContact.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        employer_contact_record(trajectory=ips_team.trajectory, recorded_by=ips_team.jobcoach,
                                contacted_on=date(2026, 2, 3), employer_name=" ", kind="gossip")
    assert set(exc.value.error_dict) == {"employer_name", "kind"}


def test_job_start_and_end(ips_team):
    job = start_job(ips_team)
    assert (job.hours_per_week, job.hourly_wage, job.end) == (Decimal("16.0"), Decimal("14.71"), None)
    job_end(job=job, ended_by=ips_team.jobcoach, end=date(2026, 4, 30), reason="contract_ended")
    job.refresh_from_db()
    assert (job.end, job.end_reason, job.ended_by) == (date(2026, 4, 30), "contract_ended", ips_team.jobcoach)
    with pytest.raises(ValidationError) as exc:
        job_end(job=job, ended_by=ips_team.jobcoach, end=date(2026, 5, 1), reason="other")
    assert exc.value.code == "already_ended"
    periods = job_periods_for_clients(client_ids=[ips_team.client.pk])
    assert [(p.start, p.end, p.hours_per_week, p.competitive, p.employer_name) for p in periods[ips_team.client.pk]] == [
        (date(2026, 3, 2), date(2026, 4, 30), Decimal("16.0"), True, "Bakkerij Bos")]
    o = client_outcomes_for(trajectory=ips_team.trajectory, as_of=date(2026, 6, 1))
    # 5 Jan → 2 Mar is 56 days; 2 Mar–30 Apr is 30 + 30 = 60 days = 8.6 weeks
    assert o.ever_employed and o.days_to_first_job == 56 and o.total_weeks_worked == Decimal("8.6")


def test_job_ending_before_its_start_is_refused(ips_team):
    job = start_job(ips_team)
    with pytest.raises(ValidationError) as exc:
        job_end(job=job, ended_by=ips_team.jobcoach, end=date(2026, 3, 1), reason="resigned")
    assert exc.value.error_dict["end"][0].code == "end_before_start"
    job.refresh_from_db()
    assert job.end is None and job.end_reason == ""


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"hours_per_week": "0"}, "hours_per_week", "min_value"),  # zero hours
        ({"hours_per_week": "-4"}, "hours_per_week", "min_value"),  # negative hours
        ({"hours_per_week": "61"}, "hours_per_week", "max_value"),  # more than 60
        ({"hours_per_week": "veel"}, "hours_per_week", "invalid"),  # not a number
        ({"hourly_wage": "0"}, "hourly_wage", "range"),  # no pay
        ({"contract_type": "forever"}, "contract_type", "invalid_choice"),
        ({"job_title": ""}, "job_title", "required"),
        ({"start": date(2026, 8, 1)}, "start", "future"),
    ],
)
def test_bad_job_starts(ips_team, extra, field, code):
    with pytest.raises(ValidationError) as exc:
        start_job(ips_team, **extra)
    assert exc.value.error_dict[field][0].code == code
    assert not Job.objects.exists()


def test_access_needs_job_outcome_consent_and_is_logged_once(ips_team, client_user):
    t = ips_team
    # UWV is in the team but has no consent for job outcomes.
    with pytest.raises(Http404):
        phase_change(trajectory=t.trajectory, changed_by=t.labour_expert, phase="intake", changed_on=date(2026, 2, 1))
    with pytest.raises(Http404):
        start_job(t, **{}) if False else job_start(trajectory=t.trajectory, recorded_by=t.outsider, employer_name="X",
                                                   job_title="Y", start=date(2026, 3, 2), hours_per_week=8,
                                                   contract_type="other", competitive=True)
    before = AccessLogRecord.objects.count()
    phase_change(trajectory=t.trajectory, changed_by=t.jobcoach, phase="intake", changed_on=date(2026, 2, 1))
    assert AccessLogRecord.objects.count() == before + 1
    trajectory = Trajectory.objects.select_related("client").get(pk=t.trajectory.pk)
    assert policy.can(client_user, "ips.view", trajectory)
    assert not policy.can(client_user, "ips_phase.change", trajectory)


def test_other_region_professional_cannot_see(ips_team, make_person, make_org, other_region):
    from werkbrug.core.choices import OrganisationType, Role

    stranger = make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.JOBCOACH)
    assert not policy.can(stranger, "ips.view", ips_team.trajectory)
    assert not policy.scope(stranger, "ips.view", Trajectory.objects.all()).exists()
    assert list(policy.scope(ips_team.jobcoach, "ips.view", Trajectory.objects.all())) == [ips_team.trajectory]
    assert not policy.scope(ips_team.labour_expert, "ips.view", Trajectory.objects.all()).exists()
