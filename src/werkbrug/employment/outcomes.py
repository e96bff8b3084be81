"""The standard IPS outcome measures (Bond, Campbell & Drake 2012), as pure functions.

Computed for one client over a window: from `start` (the trajectory's start, i.e. registration)
up to and including `as_of`. Jobs are any objects with `.start`, `.end` (the last working day,
inclusive; None while the job goes on), `.hours_per_week`, `.hourly_wage` (None when unknown),
`.contract_type` and `.competitive`. By default only competitive jobs count, as in the IPS
literature, as `competitive.is_competitive_job` defines them (regular workplace, not a trial
placement, paid at least the statutory minimum wage).

Rules (each one a decision, documented in docs/apps/employment.md):
- a job counts for the days it lies inside the window; a job that starts after `as_of` does not;
- days worked are the union of job days, so two jobs at once are not counted twice;
- ever employed: any counted job started on or before `as_of`;
- days to first job: from `start` to the first counted job's start (0 if a job was already
  running at `start`); None if never employed;
- total weeks worked: days worked / 7;
- tenure in the longest job: the longest single job inside the window, in weeks;
- total hours: Σ hours/week × days in window / 7 per job;
- mean hours per week: total hours / total weeks worked (weighted by time); None if no work;
- working 20 h/week or more: at any time in the window, hours of jobs held on one day ≥ 20;
- total wages: Σ total hours × hourly wage per job; jobs without a wage add nothing and make
  `wages_complete` False.
Caseload figures: the share of clients ever employed and the working 20 h+ share, and means
(and the median for days to first job) over the clients to whom a measure applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import NamedTuple, Protocol

from .competitive import is_competitive_job

TWOPLACES = Decimal("0.01")
ONEPLACE = Decimal("0.1")


class JobLike(Protocol):
    start: date
    end: date | None
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    contract_type: str
    competitive: bool


class JobSpell(NamedTuple):
    """A job as the measures read it (a tuple: reports make one per job of a region)."""

    start: date
    end: date | None
    hours_per_week: Decimal
    hourly_wage: Decimal | None = None
    competitive: bool = True
    contract_type: str = "permanent"


@dataclass(frozen=True)
class ClientOutcomes:
    ever_employed: bool
    days_to_first_job: int | None
    total_weeks_worked: Decimal
    longest_job_weeks: Decimal
    mean_hours_per_week: Decimal | None
    works_20_hours_or_more: bool
    total_hours: Decimal
    total_wages: Decimal
    wages_complete: bool


@dataclass(frozen=True)
class CaseloadOutcomes:
    clients: int
    ever_employed: int
    ever_employed_share: Decimal | None
    median_days_to_first_job: Decimal | None
    mean_weeks_worked: Decimal | None
    mean_longest_job_weeks: Decimal | None
    mean_hours_per_week: Decimal | None
    works_20_hours_or_more: int
    works_20_hours_or_more_share: Decimal | None
    total_hours: Decimal
    total_wages: Decimal


def _clip(job: JobLike, start: date, as_of: date) -> tuple[date, date] | None:
    first = max(job.start, start)
    last = min(job.end or as_of, as_of)
    return (first, last) if first <= last else None


def _days(span: tuple[date, date]) -> int:
    return (span[1] - span[0]).days + 1


def _union_days(spans: Iterable[tuple[date, date]]) -> int:
    total = 0
    current: tuple[date, date] | None = None
    for first, last in sorted(spans):
        if current is None or first > current[1] + timedelta(days=1):
            if current is not None:
                total += _days(current)
            current = (first, last)
        else:
            current = (current[0], max(current[1], last))
    if current is not None:
        total += _days(current)
    return total


def _max_concurrent_hours(jobs: Sequence[tuple[JobLike, tuple[date, date]]]) -> Decimal:
    # Hours change only on a start day, so checking every start day finds the maximum.
    best = Decimal(0)
    for _job, (day, _last) in jobs:
        hours = sum((Decimal(j.hours_per_week) for j, (f, la) in jobs if f <= day <= la), Decimal(0))
        best = max(best, hours)
    return best


def counts(job: JobLike, *, as_of: date, competitive_only: bool = True) -> bool:
    """Does the job count for a client's measures up to `as_of`: (competitive and) started by then.

    The dashboard leans on "started by then" when it reads only the jobs started by the period's
    end and looks only at the jobs held in a window (`reporting.selectors`); a change here must go
    there too (`tests/reporting/test_scale.py` compares the two, client by client)."""
    return (not competitive_only or is_competitive_job(job)) and job.start <= as_of


def ever_employed(jobs: Iterable[JobLike], *, as_of: date, competitive_only: bool = True) -> bool:
    """`client_outcomes(…).ever_employed` alone (the same rule, without the other measures)."""
    return any(counts(j, as_of=as_of, competitive_only=competitive_only) for j in jobs)


def days_to_first_job(counted: Iterable[JobLike], *, start: date) -> int | None:
    """From `start` to the first of the counted jobs' start (0 if one was already running at
    `start`); None if there is none."""
    first = min((j.start for j in counted), default=None)
    return None if first is None else max((first - start).days, 0)


def client_outcomes(
    jobs: Iterable[JobLike], *, start: date, as_of: date, competitive_only: bool = True
) -> ClientOutcomes:
    if as_of < start:
        raise ValueError("as_of lies before start")
    counted = [j for j in jobs if counts(j, as_of=as_of, competitive_only=competitive_only)]
    return measures(counted, start=start, as_of=as_of, days_to_first_job=days_to_first_job(counted, start=start))


def measures(counted: Sequence[JobLike], *, start: date, as_of: date, days_to_first_job: int | None
             ) -> ClientOutcomes:
    """`client_outcomes` of jobs that count already (`counts`), with the days to the first job as
    given: `client_outcomes` gives `days_to_first_job(counted, start=start)`; a report that counts
    them from another day gives its own. For reports that filter the jobs once for many windows."""
    if not counted and days_to_first_job is None:
        return _NO_WORK  # the same for every window
    return _measures(counted, start=start, as_of=as_of, days_to_first_job=days_to_first_job)


def _measures(counted: Sequence[JobLike], *, start: date, as_of: date, days_to_first_job: int | None
              ) -> ClientOutcomes:
    spans = [(j, span) for j in counted if (span := _clip(j, start, as_of)) is not None]
    total_hours = Decimal(0)
    total_wages = Decimal(0)
    wages_complete = True
    for job, span in spans:
        hours = Decimal(job.hours_per_week) * _days(span) / 7
        total_hours += hours
        if job.hourly_wage is None:
            wages_complete = False
        else:
            total_wages += hours * Decimal(job.hourly_wage)
    if len(spans) == 1:  # the common case: the union, the longest and the hours at once are the job's
        days_worked = longest = _days(spans[0][1])
        works_20 = Decimal(spans[0][0].hours_per_week) >= 20
    else:
        days_worked = _union_days(span for _j, span in spans)
        longest = max((_days(span) for _j, span in spans), default=0)
        # The hours at once lie between the most of one job and the sum of all: only in between
        # is the maximum needed.
        hours = [Decimal(j.hours_per_week) for j, _span in spans]
        works_20 = max(hours, default=0) >= 20 or (sum(hours) >= 20 and _max_concurrent_hours(spans) >= 20)
    weeks = Decimal(days_worked) / 7
    weeks_worked = weeks.quantize(ONEPLACE)
    return ClientOutcomes(
        ever_employed=bool(counted),
        days_to_first_job=days_to_first_job,
        total_weeks_worked=weeks_worked,
        longest_job_weeks=weeks_worked if longest == days_worked else (Decimal(longest) / 7).quantize(ONEPLACE),
        mean_hours_per_week=(total_hours / weeks).quantize(ONEPLACE) if days_worked else None,
        works_20_hours_or_more=works_20,
        total_hours=total_hours.quantize(ONEPLACE),
        total_wages=total_wages.quantize(TWOPLACES),
        wages_complete=wages_complete,
    )


# The measures of no jobs (ever employed False, nothing worked): the same whatever the window.
_NO_WORK = _measures((), start=date.min, as_of=date.min, days_to_first_job=None)


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONEPLACE) if values else None


def caseload_outcomes(outcomes: Sequence[ClientOutcomes]) -> CaseloadOutcomes:
    n = len(outcomes)
    employed = [o for o in outcomes if o.ever_employed]
    works20 = sum(1 for o in outcomes if o.works_20_hours_or_more)
    days = [o.days_to_first_job for o in employed if o.days_to_first_job is not None]
    hours = [o.mean_hours_per_week for o in employed if o.mean_hours_per_week is not None]
    return CaseloadOutcomes(
        clients=n,
        ever_employed=len(employed),
        ever_employed_share=(Decimal(len(employed) * 100) / n).quantize(ONEPLACE) if n else None,
        median_days_to_first_job=Decimal(median(days)).quantize(ONEPLACE) if days else None,
        mean_weeks_worked=_mean([o.total_weeks_worked for o in outcomes]),
        mean_longest_job_weeks=_mean([o.longest_job_weeks for o in employed]),
        mean_hours_per_week=_mean(hours),
        works_20_hours_or_more=works20,
        works_20_hours_or_more_share=(Decimal(works20 * 100) / n).quantize(ONEPLACE) if n else None,
        total_hours=sum((o.total_hours for o in outcomes), Decimal(0)),
        total_wages=sum((o.total_wages for o in outcomes), Decimal(0)),
    )
