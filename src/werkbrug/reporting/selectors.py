"""The region's dashboard: aggregate figures only, for managers and portfolio holders.

Managers never see client-level data (domain rules). Every figure here is a count or an average
over the region, returned exact; the views show them only through `werkbrug.core.suppression`
(1–4 as "fewer than 5", with complementary suppression), so that no small group of clients can be
recognised. Other apps are read through their public selectors only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth

from werkbrug.core.models import Region
from werkbrug.core.suppression import suppress
from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

__all__ = ["RegionDashboard", "region_dashboard", "suppress"]


@dataclass
class RegionDashboard:
    region: Region
    start: date
    end: date
    active: int = 0
    started_per_month: list[tuple[date, int]] = field(default_factory=list)
    phases: list[tuple[str, int]] = field(default_factory=list)
    plan_states: list[tuple[str, int]] = field(default_factory=list)
    outcomes: object | None = None
    job_starts_per_month: list[tuple[date, int]] = field(default_factory=list)


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def region_dashboard(*, region: Region, start: date, end: date) -> RegionDashboard:
    trajectories = Trajectory.objects.filter(region=region)
    dashboard = RegionDashboard(region=region, start=start, end=end)
    active = trajectories.filter(status=TrajectoryStatus.ACTIVE)
    dashboard.active = active.count()

    started = Counter(
        {row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
         for row in trajectories.filter(started_on__gte=start, started_on__lte=end)
         .annotate(month=TruncMonth("started_on")).values("month").annotate(n=Count("id"))}
    )
    dashboard.started_per_month = [(m, started.get(m, 0)) for m in _months(start, end)]

    try:
        from werkbrug.employment import selectors as employment
        from werkbrug.employment.models import IPSPhase
    except ImportError:  # pragma: no cover — the module is optional for the dashboard
        employment = None
    if employment is not None:
        phases = Counter(active.annotate(**employment.caseload_annotations()).values_list("ips_phase", flat=True))
        dashboard.phases = [(str(label), phases.get(value, 0)) for value, label in IPSPhase.choices]
        client_start = dict(trajectories.values_list("client_id", "started_on"))
        jobs = employment.job_periods_for_clients(client_ids=list(client_start))
        from werkbrug.employment import outcomes as ips

        per_client = [
            ips.client_outcomes(jobs.get(client_id, []), start=started_on, as_of=max(end, started_on))
            for client_id, started_on in client_start.items()
        ]
        dashboard.outcomes = ips.caseload_outcomes(per_client)
        starts = Counter(
            job.start.replace(day=1) for client_jobs in jobs.values() for job in client_jobs if start <= job.start <= end
        )
        dashboard.job_starts_per_month = [(m, starts.get(m, 0)) for m in _months(start, end)]
    try:
        from werkbrug.plans import selectors as plans
        from werkbrug.plans.workflow import AgreementState
    except ImportError:  # pragma: no cover
        plans = None
    if plans is not None:
        states = Counter(active.annotate(**plans.caseload_annotations()).values_list("plan_state", flat=True))
        dashboard.plan_states = [(str(label), states.get(value, 0)) for value, label in AgreementState.choices]
    return dashboard
