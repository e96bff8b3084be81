"""The region's dashboard: aggregate figures only, for managers and region administrators.

Managers never see client-level data (domain rules). Every figure here is a count or an average
over the region, returned exact; the views show them only through `werkbrug.core.suppression`
(1–4 as "fewer than 5", with complementary suppression), so that no small group of clients can be
recognised. Other apps are read through their public selectors only (and their models, read-only).

Every figure follows the period [start, end] (see `period.py`; `end` is never after today):

- running: trajectories that were running at some day of the period (started on or before the
  end, not ended before the start);
- started: trajectories started in the period;
- active: trajectories open at the end of the period. At today this is the one rule for "open"
  (`trajectories.workflow.OPEN_STATES`); for an earlier day the same rule read from the dates
  (started by then, not yet ended then). Their IPS phase is the one recorded on or before that
  day; the IPS phase "closed" is not an active phase and is left out of the phase table;
- the IPS outcome measures (`employment.outcomes`) per client over the part of the period in
  which the client's trajectory ran, counting the jobs held in that window only: "with paid
  work" means a (competitive) job held in the period. The days to the first job count from the
  trajectory's start, for the clients whose first job started in the period;
- per organisation: the organisation of the trajectory's plan director.

The drill-down reads the same figures for one organisation (`region_dashboard(organisation=…)`),
and per month for one organisation (`organisation_months`): each month a period of its own
(the first and last month cut to the chosen period), with the same rules as above.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core.models import Region
from werkbrug.core.suppression import suppress
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.workflow import OPEN_STATES

from .models import Figure, Target
from .period import month_end

__all__ = ["RegionDashboard", "MonthRow", "MonthGrid", "region_dashboard", "organisation_months", "month_grid", "region_organisation",
           "suppress", "targets_for", "open_on", "running_in"]


@dataclass
class OrganisationRow:
    name: str
    organisation_id: int | None = None
    running: int = 0
    started: int = 0
    active: int = 0
    employed: int = 0


@dataclass
class RegionDashboard:
    region: Region
    start: date
    end: date
    running: int = 0
    started: int = 0
    active: int = 0
    started_per_month: list[tuple[date, int]] = field(default_factory=list)
    phases: list[tuple[str, int]] = field(default_factory=list)
    plan_states: list[tuple[str, int]] = field(default_factory=list)
    outcomes: object | None = None
    job_starts_per_month: list[tuple[date, int]] = field(default_factory=list)
    organisations: list[OrganisationRow] = field(default_factory=list)

    @property
    def job_starts(self) -> int:
        return sum(n for _m, n in self.job_starts_per_month)

    def figures(self) -> dict[str, object]:
        """The headline figures by `Figure` value, exact (the view suppresses them)."""
        o = self.outcomes
        return {
            Figure.RUNNING: self.running, Figure.STARTED: self.started, Figure.ACTIVE: self.active,
            Figure.CLIENTS: o.clients if o else None,
            Figure.EMPLOYED_SHARE: o.ever_employed_share if o else None,
            Figure.WORKS_20_SHARE: o.works_20_hours_or_more_share if o else None,
            Figure.MEDIAN_DAYS: o.median_days_to_first_job if o else None,
            Figure.MEAN_HOURS: o.mean_hours_per_week if o else None,
            Figure.TOTAL_HOURS: o.total_hours if o else None,
            Figure.JOB_STARTS: self.job_starts if o else None,
        }


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def running_q(start: date, end: date) -> Q:
    """Ran on at least one day of [start, end] (as a condition, also for a count per month)."""
    return (Q(ended_on__isnull=True) | Q(ended_on__gte=start)) & Q(started_on__lte=end)


def open_q(day: date, today: date) -> Q:
    """Open on `day`: today the one rule (`OPEN_STATES`); earlier, read from the dates."""
    if day >= today:
        return Q(status__in=OPEN_STATES)
    return (Q(ended_on__isnull=True) | Q(ended_on__gt=day)) & Q(started_on__lte=day)


def running_in(trajectories: QuerySet, start: date, end: date) -> QuerySet:
    """Trajectories that ran on at least one day of [start, end]."""
    return trajectories.filter(running_q(start, end))


def open_on(trajectories: QuerySet, day: date, *, today: date | None = None) -> QuerySet:
    """Trajectories open on `day`: today the one rule (`OPEN_STATES`); earlier, read from the dates."""
    return trajectories.filter(open_q(day, today or timezone.localdate()))


def region_organisation(*, region: Region, organisation_id: int):
    """An organisation of the region, for the drill-down (None: not in this region)."""
    from werkbrug.core.models import Organisation

    return Organisation.objects.filter(region=region, pk=organisation_id).first()


def _held(client_jobs: list, first: date, last: date) -> list:
    """The jobs held on some day of [first, last]."""
    return [j for j in client_jobs if j.start <= last and (j.end is None or j.end >= first)]


def _client_windows(rows: list[tuple], start: date, end: date) -> dict[int, list]:
    """Per client: [first trajectory start, first day, last day] of the part of [start, end] in
    which any of their trajectories ran. `rows` are (client id, started on, ended on, …), ordered
    by their start."""
    windows: dict[int, list] = {}
    for client_id, started_on, ended_on, *_rest in rows:
        if started_on > end or (ended_on is not None and ended_on < start):
            continue
        first, last = max(started_on, start), min(ended_on or end, end)
        window = windows.get(client_id)
        if window is None:
            windows[client_id] = [started_on, first, last]
        else:
            window[1], window[2] = min(window[1], first), max(window[2], last)
    return windows


def _window_outcome(ips, counted: list, trajectory_start: date, first: date, last: date, start: date):
    """A client's IPS outcome over [first, last] of the period [start, …]: the jobs held in that
    window (of `counted`: the client's jobs that count by the period's end, oldest first); the
    days to the first job from the trajectory's start, if that job started in the period."""
    counted = [j for j in counted if j.start <= last]  # those that count by `last` (`ips.counts`)
    days = ips.days_to_first_job(counted, start=trajectory_start)
    if days is not None and trajectory_start + timedelta(days=days) < start:
        days = None  # the first job started before the period
    return ips.measures(_held(counted, first, last), start=first, as_of=last, days_to_first_job=days)


def targets_for(region: Region) -> dict[str, object]:
    return dict(Target.objects.filter(region=region).values_list("figure", "value"))


def _with_jobs(running: QuerySet, Job, end: date) -> QuerySet:
    """The rows of `running` whose client has a job (any trajectory) started by `end`: only these
    clients can have an IPS outcome other than "no work" in a period up to `end`."""
    return running.filter(Exists(Job.objects.filter(trajectory__client_id=OuterRef("client_id"), start__lte=end)))


def region_dashboard(*, region: Region, start: date, end: date, today: date | None = None,
                     organisation=None) -> RegionDashboard:
    """The region's figures over [start, end]; with `organisation`, those of its trajectories only
    (the plan director's organisation).

    Counts are aggregated by the database (a fixed number of queries, however many clients); the
    IPS outcome measures are computed per client only for the clients with a job, every other
    client's outcome being the same "no work" (`outcomes.client_outcomes` of no jobs)."""
    today = today or timezone.localdate()
    end = min(end, today)  # figures stop at today
    trajectories = Trajectory.objects.filter(region=region)
    if organisation is not None:
        trajectories = trajectories.filter(plan_director__organisation=organisation)
    dashboard = RegionDashboard(region=region, start=start, end=end)
    if start > end:
        return dashboard
    running = running_in(trajectories, start, end)
    active = open_on(running, end, today=today)
    active_q = open_q(end, today)

    organisations: dict[int | None, OrganisationRow] = {}
    per_organisation = running.values("plan_director__organisation_id", "plan_director__organisation__name").annotate(
        n_running=Count("id"), n_started=Count("id", filter=Q(started_on__gte=start)),
        n_active=Count("id", filter=active_q),
    ).order_by()
    for row in per_organisation:
        pk = row["plan_director__organisation_id"]
        organisations[pk] = OrganisationRow(
            name=row["plan_director__organisation__name"] or _("No organisation"), organisation_id=pk,
            running=row["n_running"], started=row["n_started"], active=row["n_active"])
    dashboard.running = sum(o.running for o in organisations.values())
    dashboard.started = sum(o.started for o in organisations.values())
    dashboard.active = sum(o.active for o in organisations.values())

    per_month = dict(
        running.filter(started_on__gte=start).annotate(month=TruncMonth("started_on")).order_by()
        .values("month").annotate(n=Count("id")).values_list("month", "n"))
    dashboard.started_per_month = [(m, per_month.get(m, 0)) for m in _months(start, end)]

    try:
        from werkbrug.employment import outcomes as ips
        from werkbrug.employment import selectors as employment
        from werkbrug.employment.models import IPSPhase, Job, PhaseChange
    except ImportError:  # pragma: no cover — the module is optional for the dashboard
        employment = None
    if employment is not None:
        phase_at_end = PhaseChange.objects.filter(trajectory=OuterRef("pk"), changed_on__lte=end).order_by(
            "-changed_on", "-recorded_at", "-id").values("phase")[:1]
        # Only trajectories with a phase recorded by then have a phase (a semi-join first, so the
        # phase is looked up for those only).
        recorded = PhaseChange.objects.filter(trajectory=OuterRef("pk"), changed_on__lte=end)
        phases = dict(active.filter(Exists(recorded)).annotate(phase_then=Subquery(phase_at_end)).order_by()
                      .values("phase_then").annotate(n=Count("id")).values_list("phase_then", "n"))
        dashboard.phases = [(str(label), phases.get(value, 0)) for value, label in IPSPhase.choices
                            if value != IPSPhase.CLOSED]
        clients = running.aggregate(n=Count("client_id", distinct=True))["n"]
        # Per client with a job started by the period's end (no later job counts in it): the part
        # of the period in which any of their trajectories ran (counted with the organisation of
        # their earliest trajectory).
        with_jobs = _with_jobs(running, Job, end)
        rows = list(with_jobs.order_by("started_on", "id").values_list(
            "client_id", "started_on", "ended_on", "plan_director__organisation_id",
            "plan_director__organisation__name"))
        windows = _client_windows(rows, start, end)
        organisation_of: dict[int, OrganisationRow] = {}
        for client_id, _started, _ended, pk, name in rows:
            if client_id not in organisation_of:
                if pk not in organisations:
                    organisations[pk] = OrganisationRow(name=name or _("No organisation"), organisation_id=pk)
                organisation_of[client_id] = organisations[pk]
        jobs = employment.job_spells_for_clients(clients=with_jobs.values("client_id"), started_by=end)
        per_client = []
        for client_id, (trajectory_start, first, last) in windows.items():
            # The jobs that count by the period's end, each checked once (`ips.counts`).
            counted = [j for j in jobs.get(client_id, ()) if ips.counts(j, as_of=end)]
            outcome = _window_outcome(ips, counted, trajectory_start, first, max(last, first), start)
            per_client.append(outcome)
            if outcome.ever_employed:
                organisation_of[client_id].employed += 1
        # Every other client held no job: the one outcome of no jobs, as many times.
        per_client += [ips.client_outcomes((), start=start, as_of=end)] * (clients - len(per_client))
        dashboard.outcomes = ips.caseload_outcomes(per_client)
        starts = Counter(  # the jobs read are those started by `end`
            job.start.replace(day=1) for client_jobs in jobs.values() for job in client_jobs if start <= job.start
        )
        dashboard.job_starts_per_month = [(m, starts.get(m, 0)) for m in _months(start, end)]
    dashboard.organisations = sorted(organisations.values(), key=lambda o: o.name.casefold())
    try:
        from werkbrug.plans import selectors as plans
        from werkbrug.plans.workflow import AgreementState
    except ImportError:  # pragma: no cover
        plans = None
    if plans is not None:
        # The rule for the trajectories with a plan; one without a plan is "no plan" by the same
        # rule (its first case: no current version, which a trajectory without a plan has not), so
        # those are counted as the remainder, not each given the rule: the rule over every active
        # trajectory costs a join per trajectory (30 000 active: 17 → 120 ms on PostgreSQL).
        # `test_phases_and_plan_states_are_the_rules_read_for_every_active_trajectory` checks it.
        states = Counter(dict(
            active.filter(plan__isnull=False).annotate(plan_state=plans.caseload_annotations()["plan_state"])
            .order_by().values("plan_state").annotate(n=Count("id")).values_list("plan_state", "n")))
        states[AgreementState.NONE] += dashboard.active - sum(states.values())
        dashboard.plan_states = [(str(label), states.get(value, 0)) for value, label in AgreementState.choices]
    return dashboard


@dataclass
class MonthRow:
    """One month of one organisation: the month is a period of its own (cut to the chosen period)."""

    month: date
    running: int = 0
    started: int = 0
    active: int = 0
    employed: int = 0
    job_starts: int = 0


@dataclass
class MonthGrid:
    """Every organisation × month of a period: `rows[i]` are the months of `organisations[i]`
    (organisation id or None, name), each month a `MonthRow` of `months`."""

    months: list[date] = field(default_factory=list)
    organisations: list[tuple[int | None, str]] = field(default_factory=list)
    rows: list[list[MonthRow]] = field(default_factory=list)

    def row_of(self, organisation_id: int | None) -> int | None:
        return next((i for i, (pk, _name) in enumerate(self.organisations) if pk == organisation_id), None)


def _month_grid(trajectories: QuerySet, start: date, end: date, today: date) -> MonthGrid:
    """Per organisation (of the plan director) and month of [start, end] the drill-down's figures.
    Three queries, however many organisations and months."""
    end = min(end, today)
    if start > end:
        return MonthGrid()
    windows = [(m, max(m, start), min(month_end(m), end)) for m in _months(start, end)]
    running = running_in(trajectories, start, end)
    counts = running.values("plan_director__organisation_id", "plan_director__organisation__name").annotate(**{
        f"{what}_{i}": Count("id", filter=condition)
        for i, (_m, first, last) in enumerate(windows)
        for what, condition in (("running", running_q(first, last)),
                                ("started", Q(started_on__gte=first, started_on__lte=last)),
                                ("active", running_q(first, last) & open_q(last, today)))
    }).order_by()
    grid = MonthGrid(months=[m for m, _f, _l in windows])
    by_organisation: dict[int | None, list[MonthRow]] = {}
    for row in sorted(counts, key=lambda r: (r["plan_director__organisation__name"] or "").casefold()):
        pk = row["plan_director__organisation_id"]
        grid.organisations.append((pk, row["plan_director__organisation__name"] or _("No organisation")))
        by_organisation[pk] = [
            MonthRow(month=m, running=row[f"running_{i}"], started=row[f"started_{i}"], active=row[f"active_{i}"])
            for i, (m, _f, _l) in enumerate(windows)]
        grid.rows.append(by_organisation[pk])
    try:
        from werkbrug.employment import outcomes as ips
        from werkbrug.employment import selectors as employment
    except ImportError:  # pragma: no cover — the module is optional for the dashboard
        return grid
    from werkbrug.employment.models import Job

    # Only clients with a job (started by the grid's last day) can be employed in a month or have
    # a job start in it.
    with_jobs = _with_jobs(running, Job, end)
    rows = with_jobs.order_by("started_on", "id").values_list("client_id", "started_on", "ended_on",
                                                             "plan_director__organisation_id")
    jobs = employment.job_spells_for_clients(clients=with_jobs.values("client_id"), started_by=end)
    # A job that counts by the grid's last day (competitive, started by then) is the only kind
    # that can count in any of its months; clients without one are employed in none.
    countable = {client_id: kept for client_id, client_jobs in jobs.items()
                 if (kept := [j for j in client_jobs if ips.counts(j, as_of=end)])}
    # Per organisation, per client: their trajectories of that organisation, oldest first.
    trajectories_of: dict[int | None, dict[int, list[tuple]]] = {}
    for row in rows:
        trajectories_of.setdefault(row[3], {}).setdefault(row[0], []).append(row)
    for pk, months in by_organisation.items():
        own = trajectories_of.get(pk, {})
        starts = Counter(job.start.replace(day=1) for client_id in own for job in jobs.get(client_id, ())
                         if start <= job.start)
        for row, (m, _first, _last) in zip(months, windows, strict=True):
            row.job_starts = starts.get(m, 0)
        for client_id, client_rows in own.items():
            kept = countable.get(client_id)
            if kept is None:
                continue
            first_job = kept[0].start  # oldest first: no month before this job's can count
            for row, (_m, first, last) in zip(months, windows, strict=True):
                if last < first_job:
                    continue
                window = _client_windows(client_rows, first, last).get(client_id)
                if window is not None:
                    # `_window_outcome(…).ever_employed` without the other measures: a job that
                    # counts by the grid's end (`ips.counts`), held in the window and so started by its end.
                    row.employed += bool(_held(kept, window[1], max(window[2], window[1])))
    return grid


def month_grid(*, region: Region, start: date, end: date, today: date | None = None) -> MonthGrid:
    """The region's organisation × month grid over [start, end]: the one source of both
    drill-downs' tables, so that they can be suppressed as one grid (`core.suppression.suppress_grid`)."""
    return _month_grid(Trajectory.objects.filter(region=region), start, end, today or timezone.localdate())


def organisation_months(*, region: Region, organisation, start: date, end: date,
                        today: date | None = None) -> list[MonthRow]:
    """Per month of [start, end], the organisation's figures by the dashboard's rules: running in
    the month, started in it, active at its end, clients with paid work in it, job starts in it.
    Three queries, however many months."""
    today = today or timezone.localdate()
    grid = _month_grid(Trajectory.objects.filter(region=region, plan_director__organisation=organisation),
                       start, end, today)
    if grid.rows:
        return grid.rows[0]
    return [MonthRow(month=m) for m in grid.months]
