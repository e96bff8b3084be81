"""What counts as a competitive job: the one definition for IPS.

IPS (Bond, Drake & Becker) counts competitive employment only: a job in a regular workplace,
open to anyone (not reserved for people with a disability), paid at least the statutory minimum
wage — never an unpaid trial placement, however regular the workplace. Counting trial placements
or underpaid jobs would inflate every IPS measure (ever employed, days to first job, hours).

A job is competitive when all of these hold:
- it is recorded as a regular workplace open to anyone (`Job.competitive`, the professional's
  statement);
- it is not a trial placement (`ContractType.TRIAL_PLACEMENT`, unpaid by definition);
- its hourly wage is known and at least the statutory minimum hourly wage (Wet minimumloon,
  21 and over) that applied on its start date (`MINIMUM_HOURLY_WAGE`).

`job_start` refuses a job recorded as competitive that fails this rule, and the IPS measures
(`outcomes.py`, and so the reports) count only jobs that pass it, also for jobs recorded before
the rule existed.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

__all__ = ["MINIMUM_HOURLY_WAGE", "competitive_job_problems", "is_competitive_job", "minimum_hourly_wage"]

TRIAL_PLACEMENT = "trial_placement"  # ContractType.TRIAL_PLACEMENT, without importing the models

# The statutory minimum hourly wage (age 21 and over), in euros, from each date on. Since 2024 the
# Netherlands sets it per hour; it changes on 1 January and 1 July. Add a row each half year
# (rijksoverheid.nl, "Bedragen minimumloon"); a date before the first row uses the first row.
MINIMUM_HOURLY_WAGE: tuple[tuple[date, Decimal], ...] = (
    (date(2024, 1, 1), Decimal("13.27")),
    (date(2024, 7, 1), Decimal("13.68")),
    (date(2025, 1, 1), Decimal("14.06")),
    (date(2025, 7, 1), Decimal("14.40")),
    (date(2026, 1, 1), Decimal("14.71")),
)


_STARTS = tuple(start for start, _wage in MINIMUM_HOURLY_WAGE)


def minimum_hourly_wage(on: date) -> Decimal:
    """The statutory minimum hourly wage that applied on `on`."""
    index = bisect_right(_STARTS, on) - 1
    return MINIMUM_HOURLY_WAGE[max(index, 0)][1]


def _problem_codes(*, regular_workplace: bool, contract_type: str, hourly_wage: Decimal | None, start: date
                   ) -> list[str]:
    """The rule: why a job is not competitive, as codes; empty when it is."""
    codes = [] if regular_workplace else ["not_regular"]
    if contract_type == TRIAL_PLACEMENT:
        codes.append("trial_placement")
    elif hourly_wage is None:
        codes.append("wage_unknown")
    elif Decimal(hourly_wage) < minimum_hourly_wage(start):
        codes.append("below_minimum_wage")
    return codes


def competitive_job_problems(
    *, regular_workplace: bool, contract_type: str, hourly_wage: Decimal | None, start: date
) -> list[tuple[str, str]]:
    """Why a job is not competitive, as (code, message) pairs; empty when it is."""
    codes = _problem_codes(regular_workplace=regular_workplace, contract_type=contract_type,
                           hourly_wage=hourly_wage, start=start)
    messages = {
        "not_regular": lambda: _("The job is not in a regular workplace open to anyone."),
        "trial_placement": lambda: _("A trial placement is unpaid: it is not a competitive job."),
        "wage_unknown": lambda: _("Enter the hourly wage: a competitive job pays at least the minimum wage."),
        "below_minimum_wage": lambda: _(
            "The hourly wage is below the statutory minimum wage (€ %(minimum)s per hour on %(date)s): "
            "it is not a competitive job."
        ) % {"minimum": f"{minimum_hourly_wage(start):.2f}".replace(".", ","), "date": date_format(start, "j F Y")},
    }
    return [(code, messages[code]()) for code in codes]


def is_competitive_job(job: Any) -> bool:
    """Does this job (anything with `competitive`, `contract_type`, `hourly_wage` and `start`) count
    as competitive employment? (The rule without its messages: the reports ask it for every job.)"""
    return not _problem_codes(
        regular_workplace=bool(job.competitive), contract_type=job.contract_type,
        hourly_wage=job.hourly_wage, start=job.start,
    )
