"""Writes for IPS: phases, employer contacts, job starts and endings (data category job_outcomes).

IPS (Individuele Plaatsing en Steun) places first and trains on the job: rapid search for a
competitive job, and support that goes on after the start. A trajectory moves through phases
(registration → intake → vocational profile → job search → placement → job support → closed);
every change is a new `PhaseChange` row, never an edit, so the history stays. Phases may go back
(a job ends: back to job search). Jobs record start and, later, the ending; an ending never lies
before the start. Other apps import only this module and `selectors.py`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.workflow import ensure_open

from .competitive import competitive_job_problems
from .models import (
    ContractType,
    EmployerContact,
    EmployerContactKind,
    IPSPhase,
    Job,
    JobEndReason,
    PhaseChange,
)

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["phase_change", "employer_contact_record", "job_start", "job_end"]

MAX_HOURS = Decimal(60)
MAX_WAGE = Decimal(500)


def _lock_trajectory(trajectory: Trajectory) -> Trajectory:
    # Locking the trajectory serialises writes per client, so two phase changes cannot interleave.
    return Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)


def _check_date(value: date | None, field: str, trajectory: Trajectory, errors: dict) -> None:
    if value is None:
        errors[field] = [ValidationError(_("Enter a date."), code="required")]
    elif value > timezone.localdate():
        errors[field] = [ValidationError(_("This date lies in the future."), code="future")]
    elif value < trajectory.started_on:
        errors[field] = [ValidationError(_("This date lies before the trajectory started (%(date)s).")
                                         % {"date": trajectory.started_on.strftime("%d-%m-%Y")}, code="before_start")]


def _open(trajectory: Trajectory) -> None:
    ensure_open(trajectory)


def phase_change(
    *, trajectory: Trajectory, changed_by: User, phase: str, changed_on: date | None = None, note: str = ""
) -> PhaseChange:
    """Move the trajectory to `phase` from `changed_on`. Appends to the history."""
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(changed_by, "ips_phase.change", trajectory)
    with transaction.atomic():
        trajectory = _lock_trajectory(trajectory)
        _open(trajectory)
        changed_on = changed_on or timezone.localdate()
        errors: dict[str, list] = {}
        if phase not in IPSPhase.values:
            errors["phase"] = [ValidationError(_("Choose a phase."), code="invalid_choice")]
        _check_date(changed_on, "changed_on", trajectory, errors)
        current = PhaseChange.objects.filter(trajectory=trajectory).order_by("-changed_on", "-recorded_at", "-id").first()
        if current is not None and not errors:
            if current.phase == phase:
                errors["phase"] = [ValidationError(_("The trajectory is already in this phase."), code="same_phase")]
            elif changed_on < current.changed_on:
                errors["changed_on"] = [ValidationError(
                    _("The date lies before the current phase started (%(date)s).")
                    % {"date": current.changed_on.strftime("%d-%m-%Y")}, code="before_current")]
        if len(note) > 500:
            errors["note"] = [ValidationError(_("The note is too long (at most 500 characters)."), code="too_long")]
        if errors:
            raise ValidationError(errors)
        return PhaseChange.objects.create(
            trajectory=trajectory, phase=phase, changed_on=changed_on, note=note.strip(),
            recorded_by=changed_by, recorded_at=timezone.now(),
        )


def employer_contact_record(
    *, trajectory: Trajectory, recorded_by: User, contacted_on: date | None, employer_name: str, kind: str, note: str = ""
) -> EmployerContact:
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(recorded_by, "employer_contact.create", trajectory)
    with transaction.atomic():
        trajectory = _lock_trajectory(trajectory)
        _open(trajectory)
        errors: dict[str, list] = {}
        _check_date(contacted_on, "contacted_on", trajectory, errors)
        employer_name = (employer_name or "").strip()
        if not employer_name:
            errors["employer_name"] = [ValidationError(_("Enter the employer's name."), code="required")]
        elif len(employer_name) > 200:
            errors["employer_name"] = [ValidationError(_("The name is too long (at most 200 characters)."), code="too_long")]
        if kind not in EmployerContactKind.values:
            errors["kind"] = [ValidationError(_("Choose the kind of contact."), code="invalid_choice")]
        if len(note) > 1000:
            errors["note"] = [ValidationError(_("The note is too long (at most 1000 characters)."), code="too_long")]
        if errors:
            raise ValidationError(errors)
        return EmployerContact.objects.create(
            trajectory=trajectory, contacted_on=contacted_on, employer_name=employer_name, kind=kind,
            note=note.strip(), recorded_by=recorded_by, recorded_at=timezone.now(),
        )


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors[field] = [ValidationError(_("Enter a number."), code="invalid")]
        return None
    if not number.is_finite():
        errors[field] = [ValidationError(_("Enter a number."), code="invalid")]
        return None
    return number


def job_start(
    *,
    trajectory: Trajectory,
    recorded_by: User,
    employer_name: str,
    job_title: str,
    start: date | None,
    hours_per_week,
    contract_type: str,
    competitive: bool,
    hourly_wage=None,
) -> Job:
    """Record a job start. Hours must be above 0 (at most 60); the wage, if given, above 0. A job
    recorded as `competitive` must be one (`competitive.competitive_job_problems`): paid at least
    the minimum wage, not a trial placement."""
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(recorded_by, "job.start", trajectory)
    with transaction.atomic():
        trajectory = _lock_trajectory(trajectory)
        _open(trajectory)
        errors: dict[str, list] = {}
        employer_name = (employer_name or "").strip()
        job_title = (job_title or "").strip()
        if not employer_name:
            errors["employer_name"] = [ValidationError(_("Enter the employer's name."), code="required")]
        if not job_title:
            errors["job_title"] = [ValidationError(_("Enter the job title."), code="required")]
        _check_date(start, "start", trajectory, errors)
        hours = _decimal(hours_per_week, "hours_per_week", errors)
        if "hours_per_week" not in errors:
            if hours is None:
                errors["hours_per_week"] = [ValidationError(_("Enter the hours per week."), code="required")]
            elif hours <= 0:
                errors["hours_per_week"] = [ValidationError(_("The hours per week must be more than 0."), code="min_value")]
            elif hours > MAX_HOURS:
                errors["hours_per_week"] = [ValidationError(_("The hours per week can be at most 60."), code="max_value")]
        wage = _decimal(hourly_wage, "hourly_wage", errors)
        if wage is not None and "hourly_wage" not in errors and not (0 < wage <= MAX_WAGE):
            errors["hourly_wage"] = [ValidationError(_("The hourly wage must be more than 0 and at most 500 euros."), code="range")]
        if contract_type not in ContractType.values:
            errors["contract_type"] = [ValidationError(_("Choose a contract type."), code="invalid_choice")]
        if competitive and not errors:
            problems = competitive_job_problems(regular_workplace=True, contract_type=contract_type,
                                                hourly_wage=wage, start=start)
            if problems:
                errors["competitive"] = [ValidationError(message, code=code) for code, message in problems]
        if errors:
            raise ValidationError(errors)
        return Job.objects.create(
            trajectory=trajectory, employer_name=employer_name[:200], job_title=job_title[:200], start=start,
            hours_per_week=hours.quantize(Decimal("0.1")), hourly_wage=wage.quantize(Decimal("0.01")) if wage is not None else None,
            contract_type=contract_type, competitive=bool(competitive), recorded_by=recorded_by, recorded_at=timezone.now(),
        )


def job_end(*, job: Job, ended_by: User, end: date | None, reason: str, note: str = "") -> Job:
    """Record the last working day and why the job ended. Never before the start."""
    # Authorized outside the transaction, so that the access-log record stays when the
    # write is refused (denied or invalid): exactly one record per attempt.
    policy.authorize(ended_by, "job.end", job)
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("trajectory__client").get(pk=job.pk)
        errors: dict[str, list] = {}
        if job.end is not None:
            raise ValidationError(_("The ending of this job has already been recorded."), code="already_ended")
        if end is None:
            errors["end"] = [ValidationError(_("Enter a date."), code="required")]
        elif end < job.start:
            errors["end"] = [ValidationError(_("The end date lies before the start date (%(date)s).")
                                             % {"date": job.start.strftime("%d-%m-%Y")}, code="end_before_start")]
        elif end > timezone.localdate():
            errors["end"] = [ValidationError(_("This date lies in the future."), code="future")]
        if reason not in JobEndReason.values:
            errors["reason"] = [ValidationError(_("Choose why the job ended."), code="invalid_choice")]
        if len(note) > 500:
            errors["note"] = [ValidationError(_("The note is too long (at most 500 characters)."), code="too_long")]
        if errors:
            raise ValidationError(errors)
        job.end = end
        job.end_reason = reason
        job.end_note = note.strip()
        job.ended_by = ended_by
        job.save(update_fields=["end", "end_reason", "end_note", "ended_by"])
        return job
