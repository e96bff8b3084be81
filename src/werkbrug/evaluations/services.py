"""Writes for evaluation research: studies, enrolment, randomisation, questionnaires, interviews.

Research happens on the same data as the trajectories, with privacy intact: a client enters a
study only with current research consent (`DataCategory.RESEARCH`) for the study's research
organisation, and is known to researchers only by a study pseudonym. Allocations are computed
at the moment of randomisation (see `randomisation.py`) and never changed. Every write by a
researcher is authorised once here (and so access-logged once); views do not authorise again.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.links import absolute_url
from werkbrug.core.policy.clients import consented_categories
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from . import builder, randomisation, workflow
from . import fidelity as fidelity_scale
from .identity import find_identifying
from .models import (
    Allocation,
    Answer,
    Arm,
    Assessment,
    Code,
    Coding,
    Design,
    Expectation,
    ExpectationKind,
    FidelityReview,
    Interview,
    InterviewRound,
    Invitation,
    Level,
    Participant,
    Passage,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    QuestionType,
    RecordedJob,
    RespondentKind,
    RespondentRole,
    Stage,
    StageEvent,
    Stratifier,
    Study,
)

if TYPE_CHECKING:
    from werkbrug.core.models import Organisation, User

logger = logging.getLogger(__name__)


def _err(errors: dict[str, Any], code: str) -> ValidationError:
    """A field-keyed ValidationError whose every message carries `code` (Django drops it otherwise)."""
    return ValidationError({field: ValidationError(message, code=code) for field, message in errors.items()})

__all__ = [
    "participant_flow_set",
    "code_create", "codebook_import", "coding_add", "coding_remove", "expectation_add", "expectation_assess",
    "fidelity_review_record", "interview_add", "interview_round_create", "participant_enrol",
    "participants_enrol_eligible", "participant_randomise", "participant_stage_set", "question_add",
    "question_delete", "question_update", "questions_reorder",
    "questionnaire_close", "questionnaire_create", "questionnaire_remind", "questionnaire_send",
    "recorded_job_add", "response_submit", "study_create", "study_researcher_add",
]


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


# --- participants ------------------------------------------------------------------------------


def has_research_consent(client: Client, study: Study) -> bool:
    return DataCategory.RESEARCH in consented_categories(client, study.organisation_id)


def _stratum(study: Study, client: Client) -> str:
    values: dict[str, str] = {}
    if Stratifier.BENEFIT in study.stratify_by:
        values["benefit"] = client.benefit
    if Stratifier.ORGANISATION in study.stratify_by:
        from werkbrug.trajectories.models import Trajectory

        trajectory = (
            Trajectory.objects.filter(client=client, status="active").select_related("plan_director").first()
        )
        org_id = trajectory.plan_director.organisation_id if trajectory else None
        values["organisation"] = str(org_id or "none")
    return randomisation.stratum_key(values)


def _enrol(study: Study, client: Client, actor: User, now: datetime) -> Participant:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    study=study, client=client, stratum=_stratum(study, client), enrolled_at=now
                )
                break
        except IntegrityError:
            if Participant.objects.filter(study=study, client=client).exists():
                raise ValidationError(_("This client already takes part in the study."), code="already_enrolled") from None
            continue  # a study-pseudonym clash: draw again
    else:  # pragma: no cover
        raise ValidationError(_("Could not draw a unique participant number; try again."), code="pseudonym")
    StageEvent.objects.create(participant=participant, stage=Stage.ELIGIBLE, occurred_on=now.date(), recorded_by=actor)
    return participant


def _eligible_clients(study: Study):
    from werkbrug.clients.models import ConsentState

    consenting = ConsentState.objects.current().filter(
        organisation_id=study.organisation_id, category=DataCategory.RESEARCH
    ).values("client_id")
    qs = Client.objects.filter(region_id=study.region_id, status="active", pk__in=consenting)
    if study.eligible_benefits:
        qs = qs.filter(benefit__in=study.eligible_benefits)
    return qs.exclude(study_participations__study=study)


@transaction.atomic
def participant_enrol(*, study: Study, client: Client, enrolled_by: User) -> Participant:
    """Enrol one client (at the eligible stage). Refused without current research consent."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(enrolled_by, "study.change", study)
    if client.region_id != study.region_id:
        raise ValidationError(_("This client is not in the study's region."), code="other_region")
    if not has_research_consent(client, study):
        raise ValidationError(
            _("This client has not (or no longer) consented to research by %(org)s.") % {"org": study.organisation},
            code="no_research_consent",
        )
    if study.eligible_benefits and client.benefit not in study.eligible_benefits:
        raise ValidationError(_("This client does not meet the eligibility criteria."), code="not_eligible")
    return _enrol(study, client, enrolled_by, timezone.now())


@transaction.atomic
def participants_enrol_eligible(*, study: Study, enrolled_by: User, now: datetime | None = None) -> int:
    """Enrol every client in the region who consents to research and meets the criteria."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(enrolled_by, "study.change", study)
    now = now or timezone.now()
    count = 0
    for client in _eligible_clients(study).order_by("pk"):
        _enrol(study, client, enrolled_by, now)
        count += 1
    return count


@transaction.atomic
def participant_stage_set(
    *, participant: Participant, stage: str, recorded_by: User, reason: str = "", occurred_on: date | None = None
) -> Participant:
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    if stage == Stage.RANDOMISED:
        raise _err({"stage": _("Use randomise to allocate a participant to an arm.")}, code="use_randomise")
    if stage not in Stage.values or not workflow.can_change(
        participant.stage, stage, randomised_design=participant.study.design == Design.RCT
    ):
        raise _err(
            {"stage": _("A participant cannot go from “%(current)s” to “%(new)s”.")
             % {"current": Stage(participant.stage).label, "new": Stage(stage).label if stage in Stage.values else stage}},
            code="invalid_transition",
        )
    reason = reason.strip()
    if stage in workflow.NEEDS_REASON and not reason:
        raise _err({"reason": _("Give the reason for exclusion or drop-out.")}, code="reason_required")
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise _err({"occurred_on": _("The date lies in the future.")}, code="future")
    participant.stage = stage
    participant.stage_reason = reason
    participant.save(update_fields=["stage", "stage_reason"])
    StageEvent.objects.create(participant=participant, stage=stage, reason=reason, occurred_on=occurred_on, recorded_by=recorded_by)
    return participant


FLOW_FLAGS = ("not_received", "lost_to_follow_up", "excluded_from_analysis")


@transaction.atomic
def participant_flow_set(*, participant: Participant, flag: str, value: bool, recorded_by: User, reason: str = "") -> Participant:
    """Record a CONSORT status after allocation: did not receive the allocated intervention, lost
    to follow-up, or excluded from analysis (which takes the participant out of the analysed set),
    each with its reason; `value=False` withdraws it. Only a randomised participant has these."""
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    if flag not in FLOW_FLAGS:
        raise _err({"flag": _("Choose: did not receive the intervention, lost to follow-up or excluded from analysis.")}, code="flag")
    if not Allocation.objects.filter(participant=participant).exists():
        raise _err({"flag": _("Only a randomised participant can have this status.")}, code="not_randomised")
    reason = reason.strip()
    if value and not reason:
        raise _err({"reason": _("Give the reason.")}, code="reason_required")
    if len(reason) > 300:
        raise _err({"reason": _("The reason is too long (at most 300 characters).")}, code="too_long")
    setattr(participant, flag, value)
    setattr(participant, f"{flag}_reason", reason if value else "")
    participant.save(update_fields=[flag, f"{flag}_reason"])
    return participant


@transaction.atomic
def participant_randomise(*, participant: Participant, randomised_by: User, now: datetime | None = None) -> Allocation:
    """Allocate the participant to an arm: the next slot of their stratum's block sequence.

    The study row is locked so two randomisations in one stratum never take the same slot.
    `now` is for loading history (the demo); it cannot lie in the future.
    """
    participant = Participant.objects.select_related("client").get(pk=participant.pk)
    study = Study.objects.select_for_update().get(pk=participant.study_id)
    participant = Participant.objects.select_for_update().select_related("client", "study").get(pk=participant.pk)
    policy.authorize(randomised_by, "participant.randomise", participant)
    if study.design != Design.RCT:
        raise ValidationError(_("Only a randomised trial randomises participants."), code="not_a_trial")
    if Allocation.objects.filter(participant=participant).exists():
        raise ValidationError(_("This participant has already been randomised."), code="already_randomised")
    if not has_research_consent(participant.client, study):
        raise ValidationError(
            _("This client has not (or no longer) consented to research: randomisation is not allowed."),
            code="no_research_consent",
        )
    if participant.stage != Stage.CONSENTED:
        raise ValidationError(
            _("Randomise only participants who consented to the study (now: %(stage)s).")
            % {"stage": Stage(participant.stage).label},
            code="not_consented",
        )
    arms = list(study.arms.all())
    offered = randomisation.arms_in_stratum([(a.code, a.ratio, a.strata) for a in arms], participant.stratum)
    if not offered:
        raise ValidationError(
            _("No arm is offered in this participant's stratum (%(stratum)s): add an arm for it first.")
            % {"stratum": participant.stratum or "—"},
            code="stratum_without_arm",
        )
    position = Allocation.objects.filter(study=study, stratum=participant.stratum).count()
    slot = randomisation.slot_at(
        seed=study.seed, stratum=participant.stratum, arms=offered, position=position,
        multipliers=study.block_multipliers,
    )
    if now is not None and now > timezone.now():
        raise ValidationError(_("A randomisation cannot lie in the future."), code="future")
    now = now or timezone.now()
    allocation = Allocation.objects.create(
        study=study, participant=participant, arm=next(a for a in arms if a.code == slot.arm),
        stratum=participant.stratum, sequence_number=position + 1, block_number=slot.block_number,
        block_size=slot.block_size, randomised_on=timezone.localdate(now), randomised_at=now,
        randomised_by=randomised_by,
    )
    participant.stage = Stage.RANDOMISED
    participant.stage_reason = ""
    participant.save(update_fields=["stage", "stage_reason"])
    StageEvent.objects.create(participant=participant, stage=Stage.RANDOMISED, occurred_on=allocation.randomised_on, recorded_by=randomised_by)
    return allocation


@transaction.atomic
def recorded_job_add(
    *, participant: Participant, start: date, hours_per_week: Decimal, recorded_by: User,
    end: date | None = None, competitive: bool = True, hourly_wage: Decimal | None = None,
) -> RecordedJob:
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    if end is not None and end < start:
        raise _err({"end": _("The end date lies before the start date.")}, code="end_before_start")
    if not (Decimal(0) < Decimal(hours_per_week) <= Decimal(80)):
        raise _err({"hours_per_week": _("Hours per week lie between 0 and 80.")}, code="hours")
    return RecordedJob.objects.create(
        participant=participant, start=start, end=end, hours_per_week=hours_per_week, competitive=competitive,
        hourly_wage=hourly_wage, recorded_by=recorded_by,
    )


# --- questionnaires ------------------------------------------------------------------------------


def _validate_question(q: dict[str, Any]) -> dict[str, Any]:
    """The fields of one question, checked (`builder` has the rules of scales, grades and branching;
    the branching condition itself is checked against the questionnaire in `_branch`)."""
    code = str(q.get("code") or "").strip()
    text = str(q.get("text") or "").strip()
    qtype = q.get("type")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", code):
        raise _err({"code": _("A variable name starts with a letter and has only small letters, digits and _ (at most 30).")}, code="variable_name")
    if not text:
        raise _err({"text": _("Write the question.")}, code="text")
    if qtype not in QuestionType.values:
        raise _err({"type": _("Choose a question type.")}, code="type")
    is_choice = qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE)
    choices = [str(c).strip() for c in (q.get("choices") or []) if str(c).strip()]
    if is_choice and len(choices) < 2:
        raise _err({"choices": _("A choice question needs at least two choices.")}, code="choices")
    if is_choice:
        seen: set[str] = set()
        for choice in choices:
            if choice.casefold() in seen:
                raise _err({"choices": _("“%(choice)s” is among the choices twice.") % {"choice": choice}},
                           code="duplicate_choice")
            seen.add(choice.casefold())
    min_value = max_value = None
    if qtype == QuestionType.NUMBER:
        min_value, max_value = (_bound(q.get(key), key) for key in ("min_value", "max_value"))
        if min_value is not None and max_value is not None and min_value > max_value:
            raise _err({"max_value": _("The maximum lies below the minimum.")}, code="range")
    points, labels = None, []
    if qtype == QuestionType.LIKERT:
        raw_points = q.get("scale_points")
        if raw_points not in (None, ""):
            try:
                points = int(raw_points)
            except (TypeError, ValueError):
                points = 0
            if not builder.SCALE_MIN_POINTS <= points <= builder.SCALE_MAX_POINTS:
                raise _err({"scale_points": _("A scale has 3 to 11 points.")}, code="scale_points")
        labels = [str(label).strip() for label in (q.get("scale_labels") or []) if str(label).strip()]
        if labels and len(labels) != (points or builder.SCALE_DEFAULT_POINTS):
            raise _err({"scale_labels": _("Give a label for every point of the scale (%(n)s), or none.")
                        % {"n": points or builder.SCALE_DEFAULT_POINTS}}, code="scale_labels")
        if len({label.casefold() for label in labels}) != len(labels):
            raise _err({"scale_labels": _("Two points of the scale have the same label.")}, code="duplicate_choice")
    return {
        "code": code, "text": text, "type": qtype, "choices": choices if is_choice else [],
        "required": bool(q.get("required", True)), "min_value": min_value, "max_value": max_value,
        "scale_points": points, "scale_labels": labels,
    }


def _bound(raw: Any, field: str) -> Decimal | None:
    if raw is None or raw == "":
        return None
    value = builder.number(raw)
    if value is None or abs(value) >= Decimal("10000000"):
        raise _err({field: _("Give a number.")}, code="number")
    return value.quantize(Decimal("0.01"))


def _branch(questionnaire: Questionnaire, question: Question | None, fields: dict[str, Any]) -> tuple[Question | None, str]:
    """The branching condition (`show_if`: the code of an earlier closed question, `show_if_value`:
    one of its answers, by value or label), checked; (None, "") for none."""
    source_code = str(fields.get("show_if") or "").strip()
    if not source_code:
        return None, ""
    source = questionnaire.questions.filter(code=source_code).first()
    if source is None or (question is not None and source.pk == question.pk):
        raise _err({"show_if": _("Choose an earlier question of this questionnaire.")}, code="show_if")
    if source.type not in builder.BRANCH_SOURCES:
        raise _err({"show_if": _("Branching follows a question with answer options (grade, scale or choice).")},
                   code="show_if")
    value = builder.option_value(source, fields.get("show_if_value"))
    if value is None:
        raise _err({"show_if_value": _("Give one of the answers of “%(question)s”.") % {"question": source.text}},
                   code="show_if_value")
    return source, value


@transaction.atomic
def questionnaire_create(
    *, study: Study, title: str, created_by: User, introduction: str = "", questions: list[dict[str, Any]] | None = None,
    closes_on: date | None = None,
) -> Questionnaire:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(created_by, "study.change", study)
    if not title.strip():
        raise _err({"title": _("Give the questionnaire a title.")}, code="title")
    questionnaire = Questionnaire.objects.create(study=study, title=title.strip(), introduction=introduction, closes_on=closes_on)
    seen: set[str] = set()
    for order, raw in enumerate(questions or []):
        q = _validate_question(raw)
        if q["code"] in seen:
            raise _err({"code": _("Two questions have the same variable name.")}, code="duplicate")
        seen.add(q["code"])
        source, value = _branch(questionnaire, None, raw)
        Question.objects.create(questionnaire=questionnaire, order=order, show_if_question=source, show_if_value=value, **q)
    return questionnaire


def _locked_questionnaire(questionnaire: Questionnaire, user: User) -> Questionnaire:
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    policy.authorize(user, "study.change", questionnaire.study)
    builder.refuse_if_locked(questionnaire)
    return questionnaire


@transaction.atomic
def question_add(*, questionnaire: Questionnaire, added_by: User, **fields: Any) -> Question:
    """Add a question at the end (until the first response: `builder.lock_error`)."""
    questionnaire = _locked_questionnaire(questionnaire, added_by)
    q = _validate_question(fields)
    if questionnaire.questions.filter(code=q["code"]).exists():
        raise _err({"code": _("Two questions have the same variable name.")}, code="duplicate")
    source, value = _branch(questionnaire, None, fields)
    order = (questionnaire.questions.aggregate(m=Max("order"))["m"] or 0) + 1 if questionnaire.questions.exists() else 0
    return Question.objects.create(questionnaire=questionnaire, order=order, show_if_question=source,
                                   show_if_value=value, **q)


QUESTION_FIELDS = ("code", "text", "type", "choices", "required", "min_value", "max_value", "scale_points",
                   "scale_labels", "show_if", "show_if_value")


@transaction.atomic
def question_update(*, question: Question, changed_by: User, **fields: Any) -> Question:
    """Change a question (only the fields given), until the first response arrives."""
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    questionnaire = _locked_questionnaire(question.questionnaire, changed_by)
    question = Question.objects.select_for_update(of=("self",)).select_related("show_if_question").get(pk=question.pk,
                                                                                         questionnaire=questionnaire)
    current = {
        "code": question.code, "text": question.text, "type": question.type, "choices": question.choices,
        "required": question.required, "min_value": question.min_value, "max_value": question.max_value,
        "scale_points": question.scale_points, "scale_labels": question.scale_labels,
        "show_if": question.show_if_question.code if question.show_if_question else "",
        "show_if_value": question.show_if_value,
    }
    if "show_if" in fields and not fields.get("show_if"):
        fields.setdefault("show_if_value", "")
    merged = {**current, **fields}
    q = _validate_question(merged)
    if questionnaire.questions.filter(code=q["code"]).exclude(pk=question.pk).exists():
        raise _err({"code": _("Two questions have the same variable name.")}, code="duplicate")
    source, value = _branch(questionnaire, question, merged)
    if q["type"] != question.type or q["choices"] != question.choices or q["scale_points"] != question.scale_points:
        # the answers other questions wait for must still exist
        for dependent in question.dependents.all():
            question.type, question.choices, question.scale_points = q["type"], q["choices"], q["scale_points"]
            if q["type"] not in builder.BRANCH_SOURCES or builder.option_value(question, dependent.show_if_value) is None:
                raise _err({"type": _("“%(question)s” is shown only after a certain answer to this question; change "
                                      "that condition first.") % {"question": dependent.text}}, code="has_dependents")
    for key, val in q.items():
        setattr(question, key, val)
    question.show_if_question, question.show_if_value = source, value
    question.save()
    builder.check_order(list(questionnaire.questions.order_by("order", "id")))
    return question


@transaction.atomic
def question_delete(*, question: Question, deleted_by: User) -> None:
    """Delete a question, until the first response arrives; not while another question depends on it."""
    questionnaire = _locked_questionnaire(question.questionnaire, deleted_by)
    question = Question.objects.select_for_update().get(pk=question.pk, questionnaire=questionnaire)
    dependent = question.dependents.first()
    if dependent is not None:
        raise ValidationError(_("“%(question)s” is shown only after an answer to this question: change or delete that "
                                "question first.") % {"question": dependent.text}, code="has_dependents")
    question.delete()
    for order, pk in enumerate(questionnaire.questions.order_by("order", "id").values_list("pk", flat=True)):
        Question.objects.filter(pk=pk).update(order=order)


@transaction.atomic
def questions_reorder(*, questionnaire: Questionnaire, question_ids: list[int], changed_by: User) -> list[Question]:
    """Put the questions in the order given (every question once), until the first response arrives."""
    questionnaire = _locked_questionnaire(questionnaire, changed_by)
    questions = {q.pk: q for q in questionnaire.questions.select_for_update()}
    try:
        ids = [int(pk) for pk in question_ids]
    except (TypeError, ValueError):
        ids = []
    if sorted(ids) != sorted(questions) or len(set(ids)) != len(ids):
        raise _err({"questions": _("Give every question of the questionnaire once.")}, code="order")
    ordered = [questions[pk] for pk in ids]
    builder.check_order(ordered)
    for order, question in enumerate(ordered):
        if question.order != order:
            question.order = order
            question.save(update_fields=["order"])
    return ordered


def _link(invitation: Invitation) -> str:
    return absolute_url(reverse("evaluations:token_questionnaire", kwargs={"token": invitation.token}))


def _tell_client(invitation: Invitation, client: Client, kind: str) -> None:
    """A client with a portal account finds the invitation in their inbox (and mail, by preference)."""
    from werkbrug.core.models import User

    if client.user_id is not None:
        notifications.notify(recipient=User.objects.get(pk=client.user_id), kind=kind, obj=invitation,
                             link=reverse("evaluations:my_questionnaire", kwargs={"invitation_pk": invitation.pk}))


def _mail_link(invitation: Invitation, *, reminder: bool) -> None:
    subject = (_("Reminder: %(title)s") if reminder else _("Questionnaire: %(title)s")) % {"title": invitation.questionnaire.title}
    body = _("You are invited to answer a short questionnaire for a study. Your personal link:\n%(link)s") % {"link": _link(invitation)}
    recipient = invitation.email

    def send() -> None:
        try:
            send_mail(subject, body, None, [recipient])
        except Exception:  # a mail server hiccup must not undo the invitation; the reminder retries
            logger.exception("questionnaire mail to an invitee failed")

    transaction.on_commit(send)


@transaction.atomic
def questionnaire_send(
    *, questionnaire: Questionnaire, sent_by: User, to_participants: bool = True,
    links: list[tuple[str, str]] | None = None, now: datetime | None = None,
) -> list[Invitation]:
    """Invite participants (through the portal) and professionals or employers (personal link by e-mail).

    `links`: (kind, e-mail address) pairs. Opens a draft questionnaire. Participants without
    current research consent, or already invited, are skipped.
    """
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    study = questionnaire.study
    policy.authorize(sent_by, "study.change", study)
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        raise ValidationError(_("This questionnaire is closed."), code="closed")
    if not questionnaire.questions.exists():
        raise ValidationError(_("Add questions before sending the questionnaire."), code="no_questions")
    now = now or timezone.now()
    invitations = []
    if to_participants:
        invited = set(questionnaire.invitations.exclude(participant=None).values_list("participant_id", flat=True))
        for participant in study.participants.select_related("client").exclude(stage=Stage.EXCLUDED).order_by("pk"):
            if participant.pk in invited or not has_research_consent(participant.client, study):
                continue
            invitation = Invitation.objects.create(
                questionnaire=questionnaire, kind=RespondentKind.CLIENT, participant=participant, sent_at=now
            )
            invitations.append(invitation)
            _tell_client(invitation, participant.client, NotificationKind.QUESTIONNAIRE_INVITATION)
    for kind, email in links or []:
        if kind not in (RespondentKind.PROFESSIONAL, RespondentKind.EMPLOYER):
            raise _err({"kind": _("A personal link goes to a professional or an employer.")}, code="kind")
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise _err({"emails": _("“%(email)s” is not an e-mail address.") % {"email": email}}, code="email") from None
        invitation = Invitation.objects.create(questionnaire=questionnaire, kind=kind, email=email, sent_at=now)
        _mail_link(invitation, reminder=False)
        invitations.append(invitation)
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        questionnaire.status = QuestionnaireStatus.OPEN
        questionnaire.save(update_fields=["status"])
    return invitations


@transaction.atomic
def questionnaire_remind(*, questionnaire: Questionnaire, reminded_by: User) -> int:
    """Remind everyone who has not answered yet (the portal shows it; links are e-mailed again)."""
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    policy.authorize(reminded_by, "study.change", questionnaire.study)
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise ValidationError(_("Only an open questionnaire can be reminded."), code="not_open")
    now = timezone.now()
    count = 0
    for invitation in questionnaire.invitations.select_for_update().filter(responded_at__isnull=True):
        invitation.reminder_count += 1
        invitation.last_reminded_at = now
        invitation.save(update_fields=["reminder_count", "last_reminded_at"])
        if invitation.email:
            _mail_link(invitation, reminder=True)
        elif invitation.participant_id:
            _tell_client(invitation, invitation.participant.client, NotificationKind.QUESTIONNAIRE_REMINDER)
        count += 1
    return count


@transaction.atomic
def questionnaire_close(*, questionnaire: Questionnaire, closed_by: User) -> Questionnaire:
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    policy.authorize(closed_by, "study.change", questionnaire.study)
    questionnaire.status = QuestionnaireStatus.CLOSED
    questionnaire.save(update_fields=["status"])
    return questionnaire


def is_open(questionnaire: Questionnaire) -> bool:
    if questionnaire.status != QuestionnaireStatus.OPEN:
        return False
    return questionnaire.closes_on is None or questionnaire.closes_on >= timezone.localdate()


def _parse_answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """The stored form of one answer, or None when left empty; ValidationError when invalid."""
    field = f"q_{question.code}"
    empty = raw is None or raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip())
    if empty:
        if question.required:
            raise _err({field: _("Answer this question.")}, code="required")
        return None
    qtype = question.type
    if qtype == QuestionType.TEXT:
        return {"text": str(raw).strip()[:5000]}
    if qtype == QuestionType.MULTIPLE:
        values = raw if isinstance(raw, list | tuple) else [raw]
        try:
            picked = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise _err({field: _("Choose from the options.")}, code="choice") from None
        if any(v < 1 or v > len(question.choices) for v in picked):
            raise _err({field: _("Choose from the options.")}, code="choice")
        return {"selected": picked}
    number = builder.number(raw)
    if number is None:
        raise _err({field: _("Give a number.")}, code="number")
    if qtype == QuestionType.GRADE:
        if not builder.is_grade(number):
            raise _err({field: _("A grade is a number from 1 to 10, in whole or half points (such as 6,5).")},
                       code="grade_range")
    elif qtype == QuestionType.LIKERT:
        points = builder.scale_points(question)
        if number != number.to_integral_value() or not (1 <= number <= points):
            raise _err({field: _("Choose one of the %(n)s answers.") % {"n": points}}, code="likert_range")
    elif qtype == QuestionType.SINGLE:
        if number != number.to_integral_value() or not (1 <= number <= len(question.choices)):
            raise _err({field: _("Choose from the options.")}, code="choice")
    else:
        if question.min_value is not None and number < question.min_value:
            raise _err({field: _("The number is below %(min)s.") % {"min": builder.dutch(question.min_value)}},
                       code="number_range")
        if question.max_value is not None and number > question.max_value:
            raise _err({field: _("The number is above %(max)s.") % {"max": builder.dutch(question.max_value)}},
                       code="number_range")
        if abs(number) >= Decimal("10000000"):
            raise _err({field: _("The number is too large.")}, code="number_range")
        if number != number.quantize(Decimal("0.01")):
            raise _err({field: _("Give at most two decimals.")}, code="number_decimals")
    return {"number": number}


@transaction.atomic
def response_submit(
    *, invitation: Invitation, answers: dict[str, Any], respondent: User | None = None, now: datetime | None = None
) -> Invitation:
    """Store a complete response. A client answers in the portal (`respondent`); professionals
    and employers by their personal link (the token is their key; `respondent` is None).
    Questions hidden by branching are not required, and an answer sent for one is not stored."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "questionnaire", "participant__client", "participant__study"
    ).get(pk=invitation.pk)
    if respondent is not None:
        policy.authorize(respondent, "questionnaire.respond", invitation)
    questionnaire = invitation.questionnaire
    if not is_open(questionnaire):
        raise ValidationError(_("This questionnaire is closed: answers can no longer be given."), code="closed")
    if invitation.responded_at is not None:
        raise ValidationError(_("You have already answered this questionnaire. Thank you!"), code="already_responded")
    errors: dict[str, list] = {}
    parsed: list[tuple[Question, dict[str, Any]]] = []
    questions = list(questionnaire.questions.all())
    asked = builder.shown(questions, answers)
    for question in questions:
        if question.pk not in asked:
            continue
        try:
            value = _parse_answer(question, answers.get(question.code))
        except ValidationError as exc:
            for key, items in exc.error_dict.items():
                errors.setdefault(key, []).extend(items)
            continue
        if value is not None:
            parsed.append((question, value))
    if errors:
        raise ValidationError(errors, code="invalid")
    Answer.objects.bulk_create([Answer(invitation=invitation, question=q, **v) for q, v in parsed])
    invitation.responded_at = now or timezone.now()
    invitation.save(update_fields=["responded_at"])
    return invitation


# --- interviews and coding ---------------------------------------------------------------------


@transaction.atomic
def interview_round_create(*, study: Study, title: str, created_by: User, topics: str = "") -> InterviewRound:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(created_by, "study.change", study)
    if not title.strip():
        raise _err({"title": _("Give the round a title.")}, code="title")
    number = (study.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return InterviewRound.objects.create(study=study, number=number, title=title.strip(), topics=topics)


def split_passages(transcript: str) -> list[str]:
    """Passages are the transcript's paragraphs (separated by an empty line)."""
    return [p.strip() for p in re.split(r"\n\s*\n", transcript.replace("\r\n", "\n")) if p.strip()]


@transaction.atomic
def interview_add(
    *, round: InterviewRound, label: str, respondent_role: str, held_on: date, transcript: str, added_by: User,
    participant: Participant | None = None,
) -> Interview:
    round = InterviewRound.objects.select_for_update().select_related("study").get(pk=round.pk)
    policy.authorize(added_by, "study.change", round.study)
    errors = {}
    if not label.strip():
        errors["label"] = _("Give the interview a neutral label, such as R1-03.")
    if respondent_role not in RespondentRole.values:
        errors["respondent_role"] = _("Choose the respondent's role.")
    passages = split_passages(transcript)
    if not passages:
        errors["transcript"] = _("Paste the notes or transcript.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date lies in the future.")
    if participant is not None and participant.study_id != round.study_id:
        errors["participant"] = _("This participant is not in the study.")
    if errors:
        raise _err(errors, code="invalid")
    identifying = {
        field: find_identifying(value, region=round.study.region)
        for field, value in (("label", label), ("transcript", transcript))
    }
    if any(identifying.values()):
        raise _err({
            field: _("“%(found)s” identifies a client (a name or citizen service number). Researchers see no names: "
                     "use a neutral label and pseudonymise the transcript.") % {"found": ", ".join(found)}
            for field, found in identifying.items() if found
        }, code="identifying")
    interview = Interview.objects.create(
        round=round, label=label.strip(), respondent_role=respondent_role, held_on=held_on,
        transcript=transcript, participant=participant,
    )
    Passage.objects.bulk_create([Passage(interview=interview, number=i + 1, text=t) for i, t in enumerate(passages)])
    return interview


@transaction.atomic
def code_create(
    *, study: Study, name: str, created_by: User, parent: Code | None = None, description: str = "", color: str = ""
) -> Code:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(created_by, "study.change", study)
    return _code_create(study, name, parent, description, color)


def _code_create(study: Study, name: str, parent: Code | None, description: str, color: str, guid=None) -> Code:
    name = name.strip()
    if not name:
        raise _err({"name": _("Give the code a name.")}, code="name")
    if parent is not None and parent.study_id != study.pk:
        raise _err({"parent": _("The parent code is not in this study's codebook.")}, code="parent")
    if color and not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
        raise _err({"color": _("A colour is written as #RRGGBB.")}, code="color")
    if Code.objects.filter(study=study, parent=parent, name=name).exists():
        raise _err({"name": _("This code already exists here.")}, code="duplicate")
    return Code.objects.create(study=study, name=name, parent=parent, description=description, color=color.upper(),
                               **({"guid": guid} if guid else {}))


@transaction.atomic
def coding_add(*, passage: Passage, code: Code, level: str, coder: User) -> Coding:
    passage = Passage.objects.select_for_update().select_related("interview__round__study").get(pk=passage.pk)
    study = passage.interview.round.study
    policy.authorize(coder, "study.change", study)
    if code.study_id != study.pk:
        raise _err({"code": _("This code is not in the study's codebook.")}, code="code")
    if level not in Level.values:
        raise _err({"level": _("Choose a level.")}, code="level")
    if Coding.objects.filter(passage=passage, code=code, coder=coder, start__isnull=True).exists():
        raise _err({"code": _("You already gave this passage this code.")}, code="duplicate")
    return Coding.objects.create(passage=passage, code=code, level=level, coder=coder)


@transaction.atomic
def coding_remove(*, coding: Coding, removed_by: User) -> None:
    coding = Coding.objects.select_for_update().select_related("passage__interview__round__study").get(pk=coding.pk)
    policy.authorize(removed_by, "study.change", coding.passage.interview.round.study)
    if coding.coder_id != removed_by.pk:
        raise ValidationError(_("You can only remove your own codings."), code="not_yours")
    coding.delete()


@transaction.atomic
def codebook_import(*, study: Study, codes: list[dict[str, Any]], imported_by: User) -> int:
    """Add codes from a parsed codebook (`codebook.py`): dicts with guid, name, parent guid,
    description, colour, parents before children. Codes whose guid is known are skipped."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(imported_by, "study.change", study)
    by_guid = {str(c.guid): c for c in study.codes.all()}
    added = 0
    for row in codes:
        guid = str(row["guid"])
        if guid in by_guid:
            continue
        parent_guid = row.get("parent") or ""
        parent = by_guid.get(str(parent_guid)) if parent_guid else None
        if parent_guid and parent is None:
            raise ValidationError(_("Code “%(name)s” names a parent that is not in the codebook.") % {"name": row["name"]}, code="parent")
        by_guid[guid] = _code_create(study, row["name"], parent, row.get("description", ""), row.get("color", ""), guid=guid)
        added += 1
    return added


@transaction.atomic
def expectation_add(*, round: InterviewRound, kind: str, level: str, text: str, added_by: User) -> Expectation:
    round = InterviewRound.objects.select_for_update().select_related("study").get(pk=round.pk)
    policy.authorize(added_by, "study.change", round.study)
    if kind not in ExpectationKind.values or level not in Level.values or not text.strip():
        raise ValidationError(_("Give the kind, the level and the text."), code="invalid")
    return Expectation.objects.create(study=round.study, round=round, kind=kind, level=level, text=text.strip())


@transaction.atomic
def expectation_assess(
    *, expectation: Expectation, assessment: str, round: InterviewRound, assessed_by: User, evidence: str = ""
) -> Expectation:
    expectation = Expectation.objects.select_for_update().select_related("study", "round").get(pk=expectation.pk)
    policy.authorize(assessed_by, "study.change", expectation.study)
    if assessment not in Assessment.values:
        raise _err({"assessment": _("Choose an assessment.")}, code="assessment")
    if round.study_id != expectation.study_id or round.number <= expectation.round.number:
        raise _err({"round": _("Assess an expectation in a later round than the one it was collected in.")}, code="round")
    if not evidence.strip():
        raise _err({"evidence": _("Say what the assessment is based on.")}, code="evidence")
    expectation.assessment = assessment
    expectation.assessed_in = round
    expectation.evidence = evidence.strip()
    expectation.save(update_fields=["assessment", "assessed_in", "evidence"])
    return expectation


# --- IPS fidelity --------------------------------------------------------------------------------


@transaction.atomic
def fidelity_review_record(
    *, organisation: Organisation, team_name: str, reviewed_on: date, scores: list[int], recorded_by: User,
    reviewers: str = "",
) -> FidelityReview:
    policy.authorize(recorded_by, "fidelity.record")
    if organisation.region_id != recorded_by.region_id:
        raise _err({"organisation": _("This organisation is not in your region.")}, code="other_region")
    if len(scores) != len(fidelity_scale.ITEMS):
        raise _err({"scores": _("Score all 25 items.")}, code="scores")
    try:
        scores = [int(s) for s in scores]
    except (TypeError, ValueError):
        raise _err({"scores": _("Every item is scored 1 to 5.")}, code="scores") from None
    if any(s < 1 or s > 5 for s in scores):
        raise _err({"scores": _("Every item is scored 1 to 5.")}, code="scores")
    if not team_name.strip():
        raise _err({"team_name": _("Name the team.")}, code="team")
    if reviewed_on > timezone.localdate():
        raise _err({"reviewed_on": _("The date lies in the future.")}, code="future")
    return FidelityReview.objects.create(
        region_id=recorded_by.region_id, organisation=organisation, team_name=team_name.strip(),
        reviewed_on=reviewed_on, reviewers=reviewers, scores=scores, total=sum(scores), recorded_by=recorded_by,
    )
