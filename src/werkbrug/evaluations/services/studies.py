"""Studies and their research team."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.choices import Role

from ..models import (
    Arm,
    Design,
    Stratifier,
    Study,
)
from ._common import _err

if TYPE_CHECKING:
    from werkbrug.core.models import User


# --- studies ---------------------------------------------------------------------------------


@transaction.atomic
def study_create(
    *,
    created_by: User,
    title: str,
    research_question: str,
    design: str,
    starts_on: date,
    ends_on: date,
    arms: list[dict[str, Any]],
    eligibility: str = "",
    eligible_benefits: list[str] | None = None,
    stratify_by: list[str] | None = None,
    block_multipliers: list[int] | None = None,
    follow_up_days: list[int] | None = None,
    researchers: list[User] | None = None,
    seed: int | None = None,
) -> Study:
    """A study with its arms; the creator and `researchers` form the research team."""
    policy.authorize(created_by, "study.create")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the study a title.")
    if not research_question.strip():
        errors["research_question"] = _("Write down the research question.")
    if design not in Design.values:
        errors["design"] = _("Choose a design.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date lies before the start date.")
    unknown = set(stratify_by or []) - set(Stratifier.values)
    if unknown:
        errors["stratify_by"] = _("Stratify by organisation or benefit only.")
    multipliers = block_multipliers or [1, 2, 3]
    if any(not isinstance(m, int) or m < 1 or m > 10 for m in multipliers):
        errors["block_multipliers"] = _("Block size multipliers are whole numbers from 1 to 10.")
    days = follow_up_days or [90, 180, 365]
    if any(not isinstance(d, int) or d < 1 or d > 3650 for d in days):
        errors["follow_up_days"] = _("Follow-up time points are whole numbers of days (1 to 3650).")
    codes = [str(a.get("code") or "").strip() for a in arms]
    if design == Design.RCT and len(arms) < 2:
        errors["arms"] = _("A randomised trial needs at least two arms.")
    elif len(set(codes)) != len(codes) or not all(codes) or any(not a.get("name") for a in arms):
        errors["arms"] = _("Every arm needs a name and its own short code.")
    elif any(int(a.get("ratio", 1)) < 1 or int(a.get("ratio", 1)) > 10 for a in arms):
        errors["arms"] = _("The allocation ratio of an arm is a whole number from 1 to 10.")
    if errors:
        raise _err(errors, code="invalid")
    study = Study.objects.create(
        region_id=created_by.region_id, organisation=created_by.organisation, title=title.strip(),
        research_question=research_question.strip(), design=design, eligibility=eligibility,
        eligible_benefits=list(eligible_benefits or []), starts_on=starts_on, ends_on=ends_on,
        stratify_by=list(stratify_by or []), block_multipliers=multipliers, follow_up_days=sorted(set(days)),
        created_by=created_by, **({"seed": seed} if seed is not None else {}),
    )
    for order, arm in enumerate(arms):
        Arm.objects.create(
            study=study, name=arm["name"], code=arm["code"], description=arm.get("description", ""),
            ratio=int(arm.get("ratio", 1)), is_control=bool(arm.get("is_control")),
            strata=list(arm.get("strata") or []), order=order,
        )
    study.researchers.add(created_by)
    for person in researchers or []:
        _check_researcher(study, person)
        study.researchers.add(person)
    return study


def _check_researcher(study: Study, person: User) -> None:
    if not person.has_role(Role.RESEARCHER) or person.region_id != study.region_id:
        raise _err(
            {"person": _("Only researchers in the study's region can join the research team.")}, code="not_researcher"
        )


@transaction.atomic
def study_researcher_add(*, study: Study, person: User, added_by: User) -> Study:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(added_by, "study.change", study)
    _check_researcher(study, person)
    study.researchers.add(person)
    return study
