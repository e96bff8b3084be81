"""Rules for IPS phases, employer contacts and jobs (data category `job_outcomes`).

Team members with the client's consent for job outcomes read and record them; the client reads
their own. A closed trajectory's IPS pages are its archive: its former team reads them
(`trajectory_data`), nobody records anything in it (`trajectory_write`). Caseload outcome figures are per client, so the overview logs one record per request
and only counts trajectories the user may see (`scope`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..choices import CASEWORK_ROLES, DataCategory
from . import Decision, rule, scope_rule
from .trajectories import trajectory_data, trajectory_write

if TYPE_CHECKING:
    from werkbrug.employment.models import Job
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


def _write(user: User, trajectory: Trajectory, code: str) -> Decision:
    decision = trajectory_write(user, trajectory, DataCategory.JOB_OUTCOMES, code=code)
    if user.is_client:
        return Decision(False, reason="professionals only", client=trajectory.client,
                        category=DataCategory.JOB_OUTCOMES, code=code, role="client", relation=True, consent=True)
    return decision


@rule("ips.view")
def view_ips(user: User, trajectory: Trajectory) -> Decision:
    return trajectory_data(user, trajectory, DataCategory.JOB_OUTCOMES)


@rule("ips_phase.change")
def change_phase(user: User, trajectory: Trajectory) -> Decision:
    return _write(user, trajectory, "U")


@rule("employer_contact.create", "job.start")
def record_contact_or_job(user: User, trajectory: Trajectory) -> Decision:
    return _write(user, trajectory, "C")


@rule("job.end")
def end_job(user: User, job: Job) -> Decision:
    return _write(user, job.trajectory, "U")


@rule("ips.outcomes")
def caseload_outcomes(user: User, _obj: Any) -> Decision:
    allowed = user.is_professional and bool(user.roles & CASEWORK_ROLES)
    return Decision(
        allowed, reason="" if allowed else "casework professionals only", code="R",
        category=DataCategory.JOB_OUTCOMES, purpose="caseload IPS outcomes", role=user.primary_role,
        relation=allowed, consent=allowed, hide=False, log=True,
    )


@scope_rule("ips.view")
def visible_trajectories(user: User, queryset: QuerySet) -> QuerySet:
    """Active trajectories the user is in, with consent for job outcomes for their organisation."""
    if not user.is_professional or user.region_id is None:
        return queryset.none()
    from werkbrug.clients.models import ConsentState

    consenting = (
        ConsentState.objects.current()
        .filter(organisation_id=user.organisation_id, category=DataCategory.JOB_OUTCOMES)
        .values("client_id")
    )
    return queryset.filter(
        region_id=user.region_id,
        status="active",
        team__person=user,
        team__left_at__isnull=True,
        client_id__in=consenting,
    ).distinct()
