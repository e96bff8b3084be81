"""Every figure follows the chosen period; a period is bounded and stops at today; "active" is
the one rule for open trajectories, without the closed IPS phase."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from werkbrug.core.choices import OrganisationType
from werkbrug.employment.models import IPSPhase
from werkbrug.employment.services import job_start, phase_change
from werkbrug.reporting.models import Figure
from werkbrug.reporting.period import Period, default_period, earliest_start, last_full_month
from werkbrug.reporting.selectors import region_dashboard


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert period.previous() == Period(date(2026, 1, 29), date(2026, 2, 28))
    assert period.previous().days == period.days == 31
    assert default_period(date(2026, 12, 5)) == Period(date(2026, 1, 1), date(2026, 12, 5))
    assert default_period(date(2026, 3, 5)).start == date(2025, 4, 1)
    assert last_full_month(date(2026, 1, 1)) == Period(date(2025, 12, 1), date(2025, 12, 31))


def test_a_far_past_start_is_refused_in_dutch(client, manager):
    client.force_login(manager)
    html = client.get("/reports/?start=1900-01-01&end=2100-12-31").content.decode()
    assert "De begindatum mag hoogstens 10 jaar terug liggen" in html
    html = client.get(f"/reports/?start={timezone.localdate() + timedelta(days=3)}").content.decode()
    assert "De begindatum ligt in de toekomst" in html


def test_an_end_in_the_future_is_cut_back_to_today(client, manager):
    client.force_login(manager)
    today = timezone.localdate()
    response = client.get(f"/reports/?start={today.replace(day=1)}&end=2100-12-31")
    assert response.status_code == 200
    assert response.context["d"].end == today
    assert "de einddatum is op vandaag gezet" in response.content.decode()
    assert earliest_start(today) == date(today.year - 10, 1, 1)


def test_hours_worked_are_never_projected_into_the_future(team, region):
    today = timezone.localdate()
    from werkbrug.trajectories.models import Trajectory

    Trajectory.objects.filter(pk=team.trajectory.pk).update(started_on=today - timedelta(days=60))
    team.trajectory.refresh_from_db()
    job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Bakkerij Test",
              job_title="Inpakker", start=today - timedelta(days=13), hours_per_week=35, contract_type="permanent",
              competitive=True, hourly_wage=15)
    start = today - timedelta(days=30)
    until_today = region_dashboard(region=region, start=start, end=today).outcomes.total_hours
    far_future = region_dashboard(region=region, start=start, end=date(2100, 12, 31)).outcomes.total_hours
    assert far_future == until_today == 70  # two weeks of 35 hours, not eighty years


def test_headline_figures_differ_between_a_month_and_a_year(region, make_org, make_trajectories):
    today = timezone.localdate()
    org = make_org(OrganisationType.GGZ, "GGZ Periode")
    make_trajectories(6, org, started_on=today - timedelta(days=200), ended_on=today - timedelta(days=100))
    make_trajectories(7, org, started_on=today - timedelta(days=10))
    year = region_dashboard(region=region, start=today - timedelta(days=364), end=today).figures()
    month = region_dashboard(region=region, start=today - timedelta(days=29), end=today).figures()
    assert (year[Figure.RUNNING], month[Figure.RUNNING]) == (13, 7)
    assert (year[Figure.STARTED], month[Figure.STARTED]) == (13, 7)
    assert (year[Figure.CLIENTS], month[Figure.CLIENTS]) == (13, 7)
    assert year[Figure.ACTIVE] == month[Figure.ACTIVE] == 7
    # A period that ended before the later trajectories began: six were open then.
    then = region_dashboard(region=region, start=today - timedelta(days=200), end=today - timedelta(days=150))
    assert then.active == 6 and then.started == 6


def test_employment_follows_the_period(team, region):
    today = timezone.localdate()
    from werkbrug.trajectories.models import Trajectory

    Trajectory.objects.filter(pk=team.trajectory.pk).update(started_on=today - timedelta(days=300))
    team.trajectory.refresh_from_db()
    job = job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Bakkerij Test",
                    job_title="Inpakker", start=today - timedelta(days=200), hours_per_week=24,
                    contract_type="permanent", competitive=True, hourly_wage=15)
    from werkbrug.employment.services import job_end

    job_end(job=job, ended_by=team.jobcoach, end=today - timedelta(days=150), reason="contract_ended")
    year = region_dashboard(region=region, start=today - timedelta(days=364), end=today).outcomes
    month = region_dashboard(region=region, start=today - timedelta(days=29), end=today).outcomes
    assert year.ever_employed == 1 and month.ever_employed == 0
    assert year.median_days_to_first_job == 100 and month.median_days_to_first_job is None
    assert month.total_hours == 0 and year.total_hours > 0


def test_active_is_the_open_rule_and_the_closed_phase_is_not_an_active_phase(region, make_org, make_trajectories):
    today = timezone.localdate()
    org = make_org(OrganisationType.GGZ, "GGZ Actief")
    open_ones = make_trajectories(3, org, started_on=today - timedelta(days=40))
    make_trajectories(2, org, started_on=today - timedelta(days=40), ended_on=today - timedelta(days=5))
    coach = open_ones[0].plan_director
    phase_change(trajectory=open_ones[0], changed_by=coach, phase=IPSPhase.CLOSED, changed_on=today)
    phase_change(trajectory=open_ones[1], changed_by=coach, phase=IPSPhase.JOB_SEARCH, changed_on=today)
    dashboard = region_dashboard(region=region, start=today - timedelta(days=60), end=today)
    assert dashboard.running == 5 and dashboard.active == 3  # the closed trajectories are not active
    labels = [label for label, _n in dashboard.phases]
    assert str(IPSPhase.CLOSED.label) not in labels and len(labels) == len(IPSPhase.choices) - 1
    assert dict(dashboard.phases)[str(IPSPhase.JOB_SEARCH.label)] == 1


@pytest.mark.parametrize("query", ["start=abc", "end=2026-02-30", "start=99999-01-01", "start=0001-01-01"])
def test_bad_dates_are_a_form_error_not_a_crash(client, manager, query):
    client.force_login(manager)
    assert client.get(f"/reports/?{query}").status_code == 200
    assert client.get(f"/reports/csv/?{query}").status_code == 200


def test_only_an_end_gives_the_twelve_months_up_to_it(client, manager):
    client.force_login(manager)
    response = client.get("/reports/?end=2024-06-15")
    assert (response.context["d"].start, response.context["d"].end) == (date(2023, 7, 1), date(2024, 6, 15))
    previous = response.context["previous_period"]
    assert previous.end == date(2023, 6, 30) and previous.days == response.context["d"].end.toordinal() - date(2023, 7, 1).toordinal() + 1
