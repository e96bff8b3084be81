"""The dashboard at a region's size: the database counts, so the number of queries of every view
does not grow with the number of clients; the IPS measures are computed per client only for
clients with a job, with the same figures as for every client one by one."""

import dataclasses
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from werkbrug.core.choices import OrganisationType
from werkbrug.employment import outcomes as ips
from werkbrug.employment.models import PhaseChange
from werkbrug.employment.selectors import job_periods_for_clients
from werkbrug.employment.services import job_start, phase_change
from werkbrug.plans.selectors import caseload_annotations
from werkbrug.plans.workflow import AgreementState
from werkbrug.reporting.selectors import month_grid, region_dashboard
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def _job(trajectory, start, **kwargs):
    values = {"employer_name": "Bakkerij Test", "job_title": "Inpakker", "hours_per_week": 24,
              "contract_type": "fixed_term", "competitive": True, "hourly_wage": 15, **kwargs}
    return job_start(trajectory=trajectory, recorded_by=trajectory.plan_director, start=start, **values)


def _clients(make_trajectories, org, n, *, started_on, jobs_every=3):
    """n trajectories; every `jobs_every`-th client starts a job, every other one of those a
    trial placement (not competitive); every second trajectory gets an IPS phase."""
    made = make_trajectories(n, org, started_on=started_on)
    for i, trajectory in enumerate(made):
        if i % jobs_every == 0:
            if i % (2 * jobs_every) == 0:
                _job(trajectory, started_on + timedelta(days=10 + i))
            else:
                _job(trajectory, started_on + timedelta(days=5), contract_type="trial_placement",
                     competitive=False, hourly_wage=None)
        if i % 2 == 0:
            phase_change(trajectory=trajectory, changed_by=trajectory.plan_director, phase="job_search",
                         changed_on=started_on + timedelta(days=1))
    return made


def test_every_dashboard_view_reads_in_a_fixed_number_of_queries(client, manager, team, make_org, make_trajectories):
    """5 clients or 50 (with jobs, trial placements, phases, organisations): the same number of
    queries for the dashboard, its PDF and CSV, both drill-downs, their CSV and the API twin."""
    today = timezone.localdate()
    alfa, beta = make_org(OrganisationType.GGZ, "Alfa"), make_org(OrganisationType.UWV, "Beta")
    _clients(make_trajectories, alfa, 4, started_on=today - timedelta(days=60))
    client.force_login(manager)
    month = f"{today.year}/{today.month}"
    paths = [
        "/reports/", "/reports/pdf/", "/reports/csv/?table=organisations", "/reports/csv/?table=phases",
        f"/reports/organisations/{alfa.pk}/", f"/reports/organisations/{alfa.pk}/csv/?table=months",
        f"/reports/months/{month}/", f"/reports/months/{month}/csv/?table=organisations",
        f"/api/v1/reports/organisations/{alfa.pk}/", f"/api/v1/reports/months/{month}/",
    ]

    def counts() -> dict[str, int]:
        found = {}
        for path in paths:
            client.get(path)  # the first request of a kind may fill caches (translations, templates)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            found[path] = len(queries)
        return found

    few = counts()
    _clients(make_trajectories, alfa, 25, started_on=today - timedelta(days=200))
    _clients(make_trajectories, beta, 20, started_on=today - timedelta(days=40), jobs_every=2)
    assert Trajectory.objects.count() >= 50
    assert counts() == few  # not per client, trajectory, job or organisation


def _one_by_one(trajectories, start, end):
    """The IPS measures as the dashboard defines them, computed for every client one by one."""
    rows = sorted(trajectories.values("client_id", "started_on", "ended_on"), key=lambda r: r["started_on"])
    windows = {}
    for row in rows:
        if row["started_on"] > end or (row["ended_on"] is not None and row["ended_on"] < start):
            continue
        first, last = max(row["started_on"], start), min(row["ended_on"] or end, end)
        window = windows.setdefault(row["client_id"], [row["started_on"], first, last])
        window[1], window[2] = min(window[1], first), max(window[2], last)
    jobs = job_periods_for_clients(client_ids=list(windows))
    per_client = []
    for client_id, (trajectory_start, first, last) in windows.items():
        last = max(last, first)
        held = [j for j in jobs.get(client_id, []) if j.start <= last and (j.end is None or j.end >= first)]
        outcome = ips.client_outcomes(held, start=first, as_of=last)
        since = ips.client_outcomes(jobs.get(client_id, []), start=trajectory_start, as_of=last)
        in_period = since.days_to_first_job is not None and (
            trajectory_start + timedelta(days=since.days_to_first_job) >= start)
        per_client.append(dataclasses.replace(outcome, days_to_first_job=since.days_to_first_job if in_period else None))
    return ips.caseload_outcomes(per_client)


def test_clients_without_a_job_count_as_computed_one_by_one(region, make_org, make_trajectories):
    """Clients without a job are not computed one by one, but count in every measure as if they
    were: in the share, the mean weeks worked, the clients."""
    alfa = make_org(OrganisationType.GGZ, "Alfa")
    _clients(make_trajectories, alfa, 14, started_on=date(YEAR, 1, 10))
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    d = region_dashboard(region=region, start=start, end=end)
    expected = _one_by_one(Trajectory.objects.filter(region=region), start, end)
    assert d.outcomes == expected
    assert (d.outcomes.clients, d.outcomes.ever_employed) == (14, 3)  # trial placements do not count
    assert d.outcomes.mean_weeks_worked == expected.mean_weeks_worked > 0
    assert sum(o.employed for o in d.organisations) == 3


def test_phases_and_plan_states_are_the_rules_read_for_every_active_trajectory(region, team, make_org,
                                                                              make_trajectories):
    """Only trajectories with a phase (or a plan) are looked up; the tables are those of the rules
    applied to every active trajectory."""
    from werkbrug.plans.services import ActionInput, GoalInput, plan_save

    today = timezone.localdate()
    action = ActionInput(title="Cv bijwerken", owner="client", due_on=team.trajectory.started_on + timedelta(days=14))
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, submit=True,
              goals=[GoalInput(title="Betaald werk", description="16 uur per week", actions=[action])])
    _clients(make_trajectories, make_org(OrganisationType.GGZ, "Alfa"), 7, started_on=today - timedelta(days=30))
    start = today - timedelta(days=60)
    d = region_dashboard(region=region, start=start, end=today)
    active = Trajectory.objects.filter(region=region)
    states = Counter(active.annotate(**caseload_annotations()).values_list("plan_state", flat=True))
    assert dict(d.plan_states) == {str(label): states.get(value, 0) for value, label in AgreementState.choices}
    assert states[AgreementState.NONE] == 7 and sum(states.values()) == d.active == 8
    phase = PhaseChange.objects.filter(trajectory=OuterRef("pk")).order_by("-changed_on", "-recorded_at", "-id")
    phases = Counter(active.annotate(p=Subquery(phase.values("phase")[:1])).values_list("p", flat=True))
    from werkbrug.employment.models import IPSPhase

    assert dict(d.phases) == {str(label): phases.get(value, 0) for value, label in IPSPhase.choices
                              if value != IPSPhase.CLOSED}
    assert sum(n for _l, n in d.phases) == 4


def test_the_month_grid_counts_only_clients_with_a_job_as_employed(region, make_org, make_trajectories):
    alfa = make_org(OrganisationType.GGZ, "Alfa")
    _clients(make_trajectories, alfa, 9, started_on=date(YEAR, 1, 10))
    grid = month_grid(region=region, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    (row,) = grid.rows
    # Clients 0 and 6 start a competitive job in January (and keep it), client 3 a trial placement.
    assert [m.employed for m in row] == [2] * 12
    assert [m.job_starts for m in row] == [3] + [0] * 11


def test_the_measures_are_those_of_client_outcomes_for_every_shape_of_jobs(region, make_org, make_person,
                                                                           make_trajectories):
    """The dashboard's one pass (the competitive rule checked once per job, `outcomes.measures`)
    gives the figures of `client_outcomes` computed client by client, over several periods, with
    jobs before the period, overlapping, ended and open-ended, trial placements, clients whose
    trajectory ended and clients with a second trajectory at another organisation."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory, Role
    from werkbrug.employment.services import job_end
    from werkbrug.trajectories.services import trajectory_close, trajectory_start

    alfa, beta = make_org(OrganisationType.GGZ, "Alfa"), make_org(OrganisationType.UWV, "Beta")
    ended = make_trajectories(4, alfa, started_on=date(YEAR, 1, 5))
    early = _job(ended[0], date(YEAR, 1, 10))
    type(early).objects.filter(pk=early.pk).update(start=date(YEAR - 1, 11, 1))  # before the period, still going
    first = _job(ended[1], date(YEAR, 2, 1), hours_per_week=12)
    job_end(job=first, ended_by=ended[1].plan_director, end=date(YEAR, 3, 15), reason="contract_ended")
    _job(ended[1], date(YEAR, 3, 1), hours_per_week=12)  # overlapping the first: 24 h at once
    _job(ended[2], date(YEAR, 8, 1))  # after the trajectory ended
    _job(ended[3], date(YEAR, 2, 10), hours_per_week=8)
    for trajectory in ended:
        trajectory_close(trajectory=trajectory, closed_by=trajectory.plan_director, reason="work_found",
                         outcome="paid_work", ended_on=date(YEAR, 6, 30))
    # A second trajectory (another organisation) after the first ended, a job in each.
    coach = make_person(beta, Role.JOBCOACH)
    second = trajectory_start(client=ended[3].client, started_by=coach, role=Role.JOBCOACH,
                              consent_method=ConsentMethod.VERBAL, started_on=date(YEAR, 9, 1))
    consent_grant(client=second.client, organisation=beta, category=DataCategory.JOB_OUTCOMES, recorded_by=coach,
                  method=ConsentMethod.PAPER, evidence="Getekend formulier")
    _job(second, date(YEAR, 10, 1), hours_per_week=16)
    _clients(make_trajectories, beta, 6, started_on=date(YEAR, 4, 1))
    periods = [(date(YEAR, 1, 1), date(YEAR, 12, 31)), (date(YEAR, 3, 1), date(YEAR, 3, 31)),
               (date(YEAR, 7, 1), date(YEAR + 1, 6, 30)), (date(YEAR - 1, 12, 1), date(YEAR, 2, 28))]
    for start, end in periods:
        end = min(end, timezone.localdate())
        d = region_dashboard(region=region, start=start, end=end)
        running = Trajectory.objects.filter(region=region, started_on__lte=end).exclude(ended_on__lt=start)
        assert d.outcomes == _one_by_one(running, start, end), (start, end)
    assert d.outcomes.ever_employed > 0
