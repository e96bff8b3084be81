"""What counts as a competitive job: one definition, used when recording a job and in the IPS measures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from werkbrug.employment.competitive import (
    competitive_job_problems,
    is_competitive_job,
    minimum_hourly_wage,
)
from werkbrug.employment.models import Job
from werkbrug.employment.outcomes import JobSpell, client_outcomes
from werkbrug.employment.selectors import client_outcomes_for
from werkbrug.employment.services import job_start

START = date(2026, 1, 1)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("on", "wage"), [
    (date(2023, 6, 1), D("13.27")),  # before the table: its first row
    (date(2024, 1, 1), D("13.27")),  # the first hourly minimum wage
    (date(2024, 6, 30), D("13.27")),  # the day before a change
    (date(2024, 7, 1), D("13.68")),  # 1 July: the half-yearly indexation
    (date(2025, 12, 31), D("14.40")),
    (date(2026, 1, 1), D("14.71")),
])
def test_minimum_hourly_wage_by_date(on, wage):
    assert minimum_hourly_wage(on) == wage


@pytest.mark.parametrize(("job", "codes"), [
    # a regular paid job at the minimum wage: competitive
    (JobSpell(date(2026, 3, 2), None, D(20), D("14.71")), []),
    # one cent below the minimum wage of its start date
    (JobSpell(date(2026, 3, 2), None, D(20), D("14.70")), ["below_minimum_wage"]),
    # the same wage was enough in 2025
    (JobSpell(date(2025, 9, 1), None, D(20), D("14.40")), []),
    # an unpaid trial placement, whatever the wage field says
    (JobSpell(date(2026, 3, 2), None, D(20), D(15), contract_type="trial_placement"), ["trial_placement"]),
    # the wage unknown: not verifiably competitive
    (JobSpell(date(2026, 3, 2), None, D(20), None), ["wage_unknown"]),
    # sheltered work, well paid: not a regular workplace
    (JobSpell(date(2026, 3, 2), None, D(20), D(16), competitive=False), ["not_regular"]),
])
def test_competitive_job_rule(job, codes):
    problems = competitive_job_problems(regular_workplace=job.competitive, contract_type=job.contract_type,
                                        hourly_wage=job.hourly_wage, start=job.start)
    assert [code for code, _message in problems] == codes
    assert is_competitive_job(job) == (not codes)


def test_outcomes_do_not_count_a_trial_placement_or_underpaid_job():
    jobs = [
        JobSpell(date(2026, 2, 1), None, D(32), D(15), contract_type="trial_placement"),
        JobSpell(date(2026, 2, 1), None, D(32), D("10.00")),
    ]
    counted = client_outcomes(jobs, start=START, as_of=date(2026, 6, 1))
    assert not counted.ever_employed and not counted.works_20_hours_or_more
    assert client_outcomes(jobs, start=START, as_of=date(2026, 6, 1), competitive_only=False).ever_employed



def _start(team, **extra):
    fields = {"employer_name": "Zorgboerderij", "job_title": "Stage", "start": date(2026, 3, 2),
              "hours_per_week": "24", "contract_type": "trial_placement", "competitive": True}
    fields.update(extra)
    return job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, **fields)


@pytest.mark.parametrize(("extra", "code"), [
    ({}, "trial_placement"),  # unpaid trial placement recorded as competitive
    ({"contract_type": "fixed_term", "hourly_wage": "9.50"}, "below_minimum_wage"),
    ({"contract_type": "fixed_term"}, "wage_unknown"),
])
def test_job_start_refuses_a_competitive_job_that_is_not(ips_team, extra, code):
    with pytest.raises(ValidationError) as exc:
        _start(ips_team, **extra)
    assert [e.code for e in exc.value.error_dict["competitive"]] == [code]
    assert not Job.objects.exists()


def test_job_start_accepts_a_trial_placement_as_not_competitive(ips_team):
    job = _start(ips_team, competitive=False)
    assert not job.competitive
    assert not client_outcomes_for(trajectory=ips_team.trajectory, as_of=date(2026, 6, 1)).ever_employed


def test_a_job_recorded_as_competitive_before_the_rule_does_not_inflate_the_measures(ips_team):
    job = _start(ips_team, competitive=False)
    Job.objects.filter(pk=job.pk).update(competitive=True)  # as recorded before the rule
    assert not client_outcomes_for(trajectory=ips_team.trajectory, as_of=date(2026, 6, 1)).ever_employed


def test_api_answers_400_in_dutch_for_a_trial_placement(client, ips_team):
    client.force_login(ips_team.jobcoach)
    response = client.post(f"/api/v1/trajectories/{ips_team.trajectory.pk}/jobs/", {
        "employer_name": "X", "job_title": "Y", "start": "2026-03-02", "hours_per_week": "32",
        "contract_type": "trial_placement", "competitive": True}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("competitive", "trial_placement")
    assert "proefplaatsing" in error["message"]


def test_the_minimum_wage_message_gives_the_date_as_a_dutch_reader_reads_it(ips_team):
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        _start(ips_team, contract_type="fixed_term", hourly_wage="9.50")
    message = exc.value.error_dict["competitive"][0].messages[0]
    assert "op 2 maart 2026" in message and "02-03-2026" not in message
