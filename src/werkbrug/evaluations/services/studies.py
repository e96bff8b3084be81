"""Studies, their research team and auditors, and their lifecycle (`workflow.study_require`).

A draft is edited freely and can be deleted; `study_start` locks the protocol; a running study's
protocol changes only through `study_amend` (reason, effective date, who, before and after, in the
study's audit trail `StudyEvent`); `study_close` makes it read-only. The randomisation settings
(seed, strata, blocks, arms and their ratios) never change after the start: the allocations
already drawn depend on them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.policy import memo

from .. import workflow
from ..models import (
    Arm,
    Design,
    Stratifier,
    Study,
    StudyEvent,
    StudyEventKind,
    StudyStatus,
)
from ._common import _err

if TYPE_CHECKING:
    from werkbrug.core.models import User


# --- studies ---------------------------------------------------------------------------------


DEFAULT_MULTIPLIERS = [1, 2, 3]
DEFAULT_FOLLOW_UP_DAYS = [90, 180, 365]


def _protocol(
    *, title: str, research_question: str, design: str, starts_on: date, ends_on: date, arms: list[dict[str, Any]],
    eligibility: str = "", eligible_benefits: list[str] | None = None, stratify_by: list[str] | None = None,
    block_multipliers: list[int] | None = None, follow_up_days: list[int] | None = None,
) -> dict[str, Any]:
    """The protocol's fields, checked and cleaned (one set of rules for creating and editing)."""
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
    multipliers = block_multipliers or DEFAULT_MULTIPLIERS
    if any(not isinstance(m, int) or m < 1 or m > 10 for m in multipliers):
        errors["block_multipliers"] = _("Block size multipliers are whole numbers from 1 to 10.")
    days = _days(follow_up_days, errors)
    codes = [str(a.get("code") or "").strip() for a in arms]
    if design == Design.RCT and len(arms) < 2:
        errors["arms"] = _("A randomised trial needs at least two arms.")
    elif len(set(codes)) != len(codes) or not all(codes) or any(not a.get("name") for a in arms):
        errors["arms"] = _("Every arm needs a name and its own short code.")
    elif any(int(a.get("ratio", 1)) < 1 or int(a.get("ratio", 1)) > 10 for a in arms):
        errors["arms"] = _("The allocation ratio of an arm is a whole number from 1 to 10.")
    if errors:
        raise _err(errors, code="invalid")
    return {
        "title": title.strip(), "research_question": research_question.strip(), "design": design,
        "eligibility": eligibility, "eligible_benefits": list(eligible_benefits or []), "starts_on": starts_on,
        "ends_on": ends_on, "stratify_by": list(stratify_by or []), "block_multipliers": multipliers,
        "follow_up_days": days, "arms": arms,
    }


def _days(follow_up_days: list[int] | None, errors: dict[str, str]) -> list[int]:
    days = follow_up_days or DEFAULT_FOLLOW_UP_DAYS
    if any(not isinstance(d, int) or isinstance(d, bool) or d < 1 or d > 3650 for d in days):
        errors["follow_up_days"] = _("Follow-up time points are whole numbers of days (1 to 3650).")
        return []
    return sorted(set(days))


def _arms_create(study: Study, arms: list[dict[str, Any]]) -> None:
    for order, arm in enumerate(arms):
        Arm.objects.create(
            study=study, name=arm["name"], code=arm["code"], description=arm.get("description", ""),
            ratio=int(arm.get("ratio", 1)), is_control=bool(arm.get("is_control")),
            strata=list(arm.get("strata") or []), order=order,
        )


@transaction.atomic
def study_create(
    *, created_by: User, researchers: list[User] | None = None, seed: int | None = None, **protocol: Any,
) -> Study:
    """A draft study with its arms; the creator and `researchers` form the research team. The
    protocol fields are those of `_protocol` (title, research question, design, dates, arms…)."""
    policy.authorize(created_by, "study.create")
    fields = _protocol(**protocol)
    arms = fields.pop("arms")
    study = Study.objects.create(
        region_id=created_by.region_id, organisation=created_by.organisation, created_by=created_by,
        status=StudyStatus.DRAFT, **fields, **({"seed": seed} if seed is not None else {}),
    )
    _arms_create(study, arms)
    study.researchers.add(created_by)
    for person in researchers or []:
        _check_researcher(study, person)
        study.researchers.add(person)
    return study


def _locked_study(study: Study, user: User, action: str) -> Study:
    """The study row locked for a write, the user authorised and the lifecycle asked."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(user, "study.change", study)
    workflow.study_require(study, action)
    return study


def _record(study: Study, kind: str, actor: User, *, reason: str = "", effective_on: date | None = None,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> StudyEvent:
    return StudyEvent.objects.create(study=study, kind=kind, at=timezone.now(), actor=actor, reason=reason,
                                     effective_on=effective_on, before=before or {}, after=after or {})


@transaction.atomic
def study_update(*, study: Study, changed_by: User, **protocol: Any) -> Study:
    """Change a draft's protocol: every field of `_protocol` (arms are replaced as given)."""
    study = _locked_study(study, changed_by, workflow.StudyAction.EDIT_PROTOCOL)
    fields = _protocol(**protocol)
    arms = fields.pop("arms")
    for name, value in fields.items():
        setattr(study, name, value)
    study.save()
    study.arms.all().delete()
    _arms_create(study, arms)
    return study


@transaction.atomic
def study_delete(*, study: Study, deleted_by: User) -> None:
    """Delete a draft (nobody has been screened or enrolled in a draft)."""
    study = _locked_study(study, deleted_by, workflow.StudyAction.DELETE)
    study.delete()


@transaction.atomic
def study_start(*, study: Study, started_by: User) -> Study:
    study = _locked_study(study, started_by, workflow.StudyAction.START)
    if study.design == Design.RCT and study.arms.count() < 2:
        raise ValidationError(_("A randomised trial needs at least two arms."), code="arms")
    study.status = workflow.STUDY_STATUS_AFTER[workflow.StudyAction.START]
    study.save(update_fields=["status"])
    _record(study, StudyEventKind.STARTED, started_by, after=_snapshot(study))
    return study


@transaction.atomic
def study_close(*, study: Study, closed_by: User, reason: str = "") -> Study:
    study = _locked_study(study, closed_by, workflow.StudyAction.CLOSE)
    study.status = workflow.STUDY_STATUS_AFTER[workflow.StudyAction.CLOSE]
    study.save(update_fields=["status"])
    _record(study, StudyEventKind.CLOSED, closed_by, reason=reason.strip())
    return study


# What an amendment may change. The randomisation settings are not among them.
AMENDABLE = ("title", "research_question", "eligibility", "eligible_benefits", "ends_on", "follow_up_days")


def _snapshot(study: Study) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(study, name) for name in AMENDABLE}
    values["ends_on"] = study.ends_on.isoformat()
    values["arms"] = {arm.code: {"name": arm.name, "description": arm.description} for arm in study.arms.all()}
    return values


@transaction.atomic
def study_amend(
    *, study: Study, amended_by: User, reason: str, effective_on: date, changes: dict[str, Any],
) -> StudyEvent:
    """A recorded protocol amendment of a running study: `changes` holds fields of `AMENDABLE`
    and `arms` ({code: {"name", "description"}}); the trail keeps the values before and after."""
    study = _locked_study(study, amended_by, workflow.StudyAction.AMEND)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the amendment.")
    elif len(reason) > 2000:
        errors["reason"] = _("The reason is too long (at most 2000 characters).")
    if effective_on > timezone.localdate() + timedelta(days=366):
        errors["effective_on"] = _("The effective date lies too far ahead.")
    unknown = set(changes) - {*AMENDABLE, "arms"}
    if unknown:
        errors["changes"] = _("These cannot be amended after the start: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
    if errors:
        raise _err(errors, code="invalid")
    before = _snapshot(study)
    for name in ("title", "research_question", "eligibility"):
        if name in changes:
            value = str(changes[name] or "").strip()
            if not value and name != "eligibility":
                raise _err({name: _("This field cannot be empty.")}, code="invalid")
            setattr(study, name, value)
    if "eligible_benefits" in changes:
        study.eligible_benefits = [str(b) for b in changes["eligible_benefits"] or []]
    if "ends_on" in changes:
        ends_on = changes["ends_on"]
        if not isinstance(ends_on, date) or ends_on < study.starts_on:
            raise _err({"ends_on": _("The end date lies before the start date.")}, code="invalid")
        study.ends_on = ends_on
    if "follow_up_days" in changes:
        day_errors: dict[str, str] = {}
        study.follow_up_days = _days(list(changes["follow_up_days"] or []), day_errors)
        if day_errors:
            raise _err(day_errors, code="invalid")
    study.save()
    arms = {arm.code: arm for arm in study.arms.all()}
    for code, values in (changes.get("arms") or {}).items():
        arm = arms.get(code)
        if arm is None or not isinstance(values, dict):
            raise _err({"arms": _("Unknown arm “%(code)s”.") % {"code": code}}, code="invalid")
        arm.name = str(values.get("name") or arm.name).strip()[:120]
        arm.description = str(values.get("description", arm.description))
        arm.save(update_fields=["name", "description"])
    after = _snapshot(study)
    names = [name for name in after if before.get(name) != after[name]]
    if not names:
        raise ValidationError(_("The amendment changes nothing."), code="no_change")
    return _record(study, StudyEventKind.AMENDED, amended_by, reason=reason, effective_on=effective_on,
                   before={n: before[n] for n in names}, after={n: after[n] for n in names})


def _check_researcher(study: Study, person: User) -> None:
    if not person.has_role(Role.RESEARCHER) or person.region_id != study.region_id:
        raise _err(
            {"person": _("Only researchers in the study's region can join the research team.")}, code="not_researcher"
        )
    if study.pk and study.auditors.filter(pk=person.pk).exists():
        raise _err({"person": _("An auditor of the study cannot join its research team.")}, code="auditor")


@transaction.atomic
def study_researcher_add(*, study: Study, person: User, added_by: User) -> Study:
    study = _locked_study(study, added_by, workflow.StudyAction.TEAM)
    _check_researcher(study, person)
    study.researchers.add(person)
    memo.forget(person, facts=(memo.STUDY_RESEARCHER,))
    return study


@transaction.atomic
def study_auditor_add(*, study: Study, person: User, added_by: User) -> Study:
    """An auditor reads the full allocation log (sequence numbers and blocks) but is never in the
    research team: that keeps the sequence concealed from the team until unblinding."""
    study = _locked_study(study, added_by, workflow.StudyAction.TEAM)
    if not person.has_role(Role.RESEARCHER) or person.region_id != study.region_id:
        raise _err({"person": _("An auditor is a researcher in the study's region.")}, code="not_researcher")
    if study.researchers.filter(pk=person.pk).exists():
        raise _err({"person": _("A member of the research team cannot be the study's auditor.")}, code="team_member")
    study.auditors.add(person)
    memo.forget(person, facts=(memo.STUDY_AUDITOR,))
    _record(study, StudyEventKind.AUDITOR_ADDED, added_by, after={"auditor": person.pk})
    return study


@transaction.atomic
def study_unblind(*, study: Study, unblinded_by: User, reason: str) -> Study:
    """The recorded unblinding: from now on the research team sees the sequence numbers and blocks
    in the allocation log. Done by an auditor of the study."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(unblinded_by, "study.unblind", study)
    workflow.study_require(study, workflow.StudyAction.UNBLIND)
    if study.unblinded_at is not None:
        raise ValidationError(_("The allocation sequence has already been unblinded."), code="already_unblinded")
    reason = reason.strip()
    if not reason:
        raise _err({"reason": _("Give the reason for unblinding.")}, code="reason_required")
    study.unblinded_at = timezone.now()
    study.save(update_fields=["unblinded_at"])
    _record(study, StudyEventKind.UNBLINDED, unblinded_by, reason=reason[:2000])
    return study
