"""Questionnaires: the builder's writes, sending, reminders and responses."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.links import absolute_url
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .. import builder, workflow
from ..models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    QuestionType,
    RespondentKind,
    ScheduleItem,
    Stage,
    Study,
)
from ..questionnaire_selectors import questionnaire_versions
from ._common import _err
from .participants import has_research_consent

if TYPE_CHECKING:
    from werkbrug.core.models import User

logger = logging.getLogger(__name__)

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
    min_value = max_value = decimals = None
    if qtype == QuestionType.NUMBER:
        min_value, max_value = (_bound(q.get(key), key) for key in ("min_value", "max_value"))
        if min_value is not None and max_value is not None and min_value > max_value:
            raise _err({"max_value": _("The maximum lies below the minimum.")}, code="range")
        raw_decimals = q.get("decimals")
        if raw_decimals not in (None, ""):
            try:
                decimals = int(raw_decimals)
            except (TypeError, ValueError):
                decimals = -1
            if not 0 <= decimals <= builder.MAX_DECIMALS:
                raise _err({"decimals": _("A number has 0, 1 or 2 decimals.")}, code="decimals")
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
        "decimals": decimals, "scale_points": points, "scale_labels": labels,
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
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(questionnaire.study, workflow.StudyAction.MATERIALS)
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


QUESTION_FIELDS = ("code", "text", "type", "choices", "required", "min_value", "max_value", "decimals",
                   "scale_points", "scale_labels", "show_if", "show_if_value")


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
        "decimals": question.decimals, "scale_points": question.scale_points, "scale_labels": question.scale_labels,
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


@transaction.atomic
def questionnaire_version_create(*, questionnaire: Questionnaire, created_by: User) -> Questionnaire:
    """A new version of a questionnaire: a draft copy of its questions (branching included) to change.

    The old version keeps its questions and answers; invitations not yet answered can still be
    answered on it. The study's schedule keeps asking the old version until a researcher puts the
    new one into use (`questionnaire_version_use`), so the worker never sends a half-edited draft.
    Only the newest version gets a new one (`superseded`)."""
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    policy.authorize(created_by, "study.change", questionnaire.study)
    workflow.study_require(questionnaire.study, workflow.StudyAction.MATERIALS)
    newer = builder.newer_version(questionnaire)
    if newer is not None:
        raise ValidationError(_("Version %(n)s already replaces this version: make changes there.")
                              % {"n": newer.version}, code="superseded")
    copy = Questionnaire.objects.create(
        study=questionnaire.study, title=questionnaire.title, introduction=questionnaire.introduction,
        closes_on=questionnaire.closes_on, version=questionnaire.version + 1, previous=questionnaire,
    )
    copied: dict[int, Question] = {}
    for question in questionnaire.questions.order_by("order", "id"):
        old_pk = question.pk
        question.pk = None
        question.id = None
        question.questionnaire = copy
        question.show_if_question = copied.get(question.show_if_question_id) if question.show_if_question_id else None
        question.save(force_insert=True)
        copied[old_pk] = question
    return copy


def _earlier_versions(questionnaire: Questionnaire) -> list[int]:
    return [v.pk for v in questionnaire_versions(questionnaire=questionnaire) if v.version < questionnaire.version]


def version_use_error(questionnaire: Questionnaire) -> ValidationError | None:
    """Why this version cannot take over the schedule now, or None (the service and the builder page).

    A new version (newest, not closed, with questions) takes over while it is a draft, or once it
    was opened by sending it by hand while an earlier version still holds the schedule."""
    if questionnaire.previous_id is None:
        return ValidationError(_("Only a new version replaces a previous one in the schedule."), code="no_previous")
    newer = builder.newer_version(questionnaire)
    if newer is not None:
        return ValidationError(_("Version %(n)s replaces this version: put that one into use.") % {"n": newer.version},
                               code="superseded")
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        return ValidationError(_("A closed version cannot be put into use."), code="closed")
    if questionnaire.status != QuestionnaireStatus.DRAFT and not ScheduleItem.objects.filter(
            questionnaire_id__in=_earlier_versions(questionnaire)).exists():
        return ValidationError(_("This version is already in use."), code="in_use")
    if not questionnaire.questions.exists():
        return ValidationError(_("Add questions before putting this version into use."), code="no_questions")
    return None


@transaction.atomic
def questionnaire_version_use(*, questionnaire: Questionnaire, used_by: User) -> Questionnaire:
    """Put a new version into use: it opens, and the schedule asks it instead of the earlier versions.

    Invitations already sent keep their version (and count for their event); from now on the
    worker sends this one. Only the newest version, a draft that replaces a previous one, with
    questions (`version_use_error`). Earlier versions never put into use (version 3 made from a draft version 2) hand
    over their schedule items too."""
    questionnaire = Questionnaire.objects.select_for_update().select_related("study").get(pk=questionnaire.pk)
    policy.authorize(used_by, "study.change", questionnaire.study)
    workflow.study_require(questionnaire.study, workflow.StudyAction.MATERIALS)
    error = version_use_error(questionnaire)
    if error is not None:
        raise error
    items = list(ScheduleItem.objects.select_for_update().filter(questionnaire_id__in=_earlier_versions(questionnaire)))
    moments = [(item.event_id, item.respondent) for item in items]
    moments += ScheduleItem.objects.filter(questionnaire=questionnaire).values_list("event_id", "respondent")
    if len(set(moments)) < len(moments):
        raise ValidationError(_("The schedule already asks this version at the same moment: remove one of the two "
                                "from the schedule first."), code="in_schedule")
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        questionnaire.status = QuestionnaireStatus.OPEN
        questionnaire.save(update_fields=["status"])
    # The same items move (not new ones), so what was sent on them still counts for their event.
    ScheduleItem.objects.filter(pk__in=[item.pk for item in items]).update(questionnaire=questionnaire)
    return questionnaire


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
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        raise ValidationError(_("This questionnaire is closed."), code="closed")
    newer = builder.newer_version(questionnaire)
    if newer is not None:
        raise ValidationError(_("Version %(n)s replaces this version: send that one.") % {"n": newer.version},
                              code="superseded")
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
    workflow.study_require(questionnaire.study, workflow.StudyAction.PARTICIPANTS)
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
    workflow.study_require(questionnaire.study, workflow.StudyAction.MATERIALS)
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
        if question.decimals is not None and builder.decimals_of(number) > question.decimals:
            raise _err({field: _("Give a whole number.") if question.decimals == 0 else
                        _("Give at most %(n)s decimals.") % {"n": question.decimals}}, code="number_decimals")
    return {"number": number}


@transaction.atomic
def response_submit(
    *, invitation: Invitation, answers: dict[str, Any], respondent: User | None = None, now: datetime | None = None
) -> Invitation:
    """Store a complete response. A client answers in the portal (`respondent`); professionals
    and employers by their personal link (the token is their key; `respondent` is None).
    Questions hidden by branching are not required, and an answer sent for one is not stored."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "questionnaire__study", "participant__client", "participant__study"
    ).get(pk=invitation.pk)
    if respondent is not None:
        policy.authorize(respondent, "questionnaire.respond", invitation)
    questionnaire = invitation.questionnaire
    workflow.study_require(questionnaire.study, workflow.StudyAction.RESPOND)
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
