"""Reads for IPS phases, employer contacts, jobs and outcome measures.

Other apps import only this module and `services.py`. `trajectory_for` authorizes (one
access-log record); the others expect the caller to have authorized.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from werkbrug.core import policy
from werkbrug.trajectories.models import Trajectory

from . import outcomes
from .models import EmployerContact, Job, PhaseChange

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = [
    "caseload_annotations",
    "job_periods_for_clients",
    "job_spells_for_clients",
    "last_phase_change",
    "trajectory_for",
    "phase_history",
    "current_phase",
    "employer_contacts",
    "jobs",
    "job_get",
    "client_outcomes_for",
    "caseload_outcomes_for",
    "ips_phase_label",
]


def _latest_phase():
    return PhaseChange.objects.filter(trajectory=OuterRef("pk")).order_by("-changed_on", "-recorded_at", "-id")


def caseload_annotations() -> dict:
    """`ips_phase`: the current IPS phase value of each trajectory, or None."""
    return {"ips_phase": Subquery(_latest_phase().values("phase")[:1])}


@lru_cache(maxsize=64)
def _phase_name(value: str, language: str) -> str:
    from .models import IPSPhase

    try:
        return str(IPSPhase(value).label)
    except ValueError:
        return ""


def ips_phase_label(value: str | None) -> str:
    """The translated name of an `ips_phase` value (e.g. for the caseload table); "" for None.
    Kept per value and active language: the caseload asks it for each of its 25 rows."""
    return _phase_name(value, get_language()) if value else ""


def _jobs_of_clients(clients: QuerySet | Iterable[int], *, started_by: date | None = None) -> QuerySet[Job]:
    """The jobs of these clients (over all their trajectories), oldest first; with `started_by`,
    only those started on or before it (none started later counts for a measure up to then)."""
    jobs = Job.objects.filter(trajectory__client_id__in=clients)
    if started_by is not None:
        jobs = jobs.filter(start__lte=started_by)
    return jobs.order_by("start", "id")


def job_periods_for_clients(*, client_ids: Iterable[int]) -> dict[int, list[Job]]:
    """client id → that client's jobs (oldest first), over all their trajectories."""
    result: dict[int, list[Job]] = defaultdict(list)
    for job in _jobs_of_clients(list(client_ids)).select_related("trajectory"):
        result[job.trajectory.client_id].append(job)
    return dict(result)


def job_spells_for_clients(*, clients: QuerySet | Iterable[int], started_by: date | None = None
                           ) -> dict[int, list[outcomes.JobSpell]]:
    """`job_periods_for_clients` as `outcomes.JobSpell`s: what the IPS measures read, without a
    model instance per job. `clients` may be a queryset of client ids (read as a subquery, however
    many clients); `started_by` as in `_jobs_of_clients`."""
    result: dict[int, list[outcomes.JobSpell]] = defaultdict(list)
    rows = _jobs_of_clients(clients, started_by=started_by).values_list(
        "trajectory__client_id", "start", "end", "hours_per_week", "hourly_wage", "competitive", "contract_type")
    spell = outcomes.JobSpell
    for client_id, start, end, hours, wage, competitive, contract_type in rows:
        result[client_id].append(spell(start, end, hours, wage, competitive, contract_type))
    return dict(result)


def last_phase_change(*, trajectory_ids: Iterable[int]) -> dict[int, date]:
    """trajectory id → the date of its last IPS phase change."""
    rows = (
        PhaseChange.objects.filter(trajectory_id__in=list(trajectory_ids))
        .values("trajectory_id")
        .annotate(last=Max("changed_on"))
    )
    return {row["trajectory_id"]: row["last"] for row in rows}


def trajectory_for(*, user: User, pk: int, action: str = "ips.view") -> Trajectory:
    trajectory = Trajectory.objects.select_related("client").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    policy.authorize(user, action, trajectory)
    return trajectory


def phase_history(*, trajectory: Trajectory) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.filter(trajectory=trajectory).select_related("recorded_by").order_by("changed_on", "recorded_at", "id")


def current_phase(*, trajectory: Trajectory) -> PhaseChange | None:
    return PhaseChange.objects.filter(trajectory=trajectory).order_by("-changed_on", "-recorded_at", "-id").first()


def employer_contacts(*, trajectory: Trajectory) -> QuerySet[EmployerContact]:
    return EmployerContact.objects.filter(trajectory=trajectory).select_related("recorded_by").order_by("-contacted_on", "-id")


def jobs(*, trajectory: Trajectory) -> QuerySet[Job]:
    return Job.objects.filter(trajectory=trajectory).order_by("-start", "-id")


def job_get(*, user: User, pk: int, action: str, trajectory_pk: int | None = None) -> Job:
    """The job if `user` may do `action` on it; one access-log record; 404 otherwise."""
    qs = Job.objects.select_related("trajectory__client")
    if trajectory_pk is not None:
        qs = qs.filter(trajectory_id=trajectory_pk)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    policy.authorize(user, action, job)
    return job


def client_outcomes_for(*, trajectory: Trajectory, as_of: date | None = None,
                        competitive_only: bool = True) -> outcomes.ClientOutcomes:
    as_of = as_of or timezone.localdate()
    start = trajectory.started_on
    return outcomes.client_outcomes(
        Job.objects.filter(trajectory=trajectory), start=start, as_of=max(as_of, start), competitive_only=competitive_only
    )


def caseload_outcomes_for(*, user: User, as_of: date | None = None, competitive_only: bool = True):
    """The outcome measures per trajectory in the user's caseload, and for the caseload.

    Authorizes (and logs) once for the list; counts only trajectories the user may see.
    Returns (rows, totals): rows are (trajectory, phase, ClientOutcomes).
    """
    policy.authorize(user, "ips.outcomes", None)
    as_of = as_of or timezone.localdate()
    trajectories = list(
        policy.scope(user, "ips.view", Trajectory.objects.all())
        .select_related("client")
        .annotate(**caseload_annotations())
        .order_by("client__last_name", "client__first_name", "pk")
    )
    by_trajectory: dict[int, list[Job]] = defaultdict(list)
    for job in Job.objects.filter(trajectory__in=[t.pk for t in trajectories]):
        by_trajectory[job.trajectory_id].append(job)
    rows = []
    for t in trajectories:
        rows.append((t, t.ips_phase, outcomes.client_outcomes(
            by_trajectory[t.pk], start=t.started_on, as_of=max(as_of, t.started_on), competitive_only=competitive_only)))
    return rows, outcomes.caseload_outcomes([r[2] for r in rows])
