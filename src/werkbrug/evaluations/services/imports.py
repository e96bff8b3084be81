"""Importing a running or finished trial: allocations made elsewhere (participant, randomisation
date, arm), outcome events (jobs with their dates) and questionnaire answers.

The participants are the study's own (enrolled with research consent; named by study pseudonym).
An import runs in two steps in one transaction: every line is checked first and the errors are
collected with their line numbers; only a file without errors is stored, and only when it is not
a dry run. A stored import writes one `StudyEvent` (kind "imported": who, when, which file, how
many lines) and every row it adds points to it (`imported_in`), so the audit trail tells imported
data from data entered in Werkbrug. Imported allocations are numbered apart from the drawn ones
(block 0): the arm was given, so the concealed sequence is not used up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .. import builder, trial_import, workflow
from ..models import (
    Allocation,
    Answer,
    Invitation,
    Questionnaire,
    RecordedJob,
    RespondentKind,
    Stage,
    StageEvent,
    Study,
    StudyEvent,
    StudyEventKind,
)
from ..workflow import BEFORE_RANDOMISATION
from .participants import _check_job, _randomisation_day, has_research_consent
from .questionnaires import _parse_answer

if TYPE_CHECKING:
    from werkbrug.core.models import User

KINDS = ("allocations", "jobs", "answers")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YES = {"1", "ja", "j", "yes", "y", "true", "waar"}
NO = {"0", "nee", "n", "no", "false", "onwaar"}


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    event: StudyEvent | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@transaction.atomic
def study_import(
    *, study: Study, kind: str, data: bytes, imported_by: User, dry_run: bool = True, filename: str = "",
    questionnaire: Questionnaire | None = None,
) -> ImportResult:
    """Check (and unless `dry_run`, store) one import file of `kind` ("allocations", "jobs" or
    "answers"; answers go to `questionnaire`, one column per question's variable name)."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(imported_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what the file holds: allocations, jobs or answers.")})
    if kind == "answers" and (questionnaire is None or questionnaire.study_id != study.pk):
        raise ValidationError({"questionnaire": _("Choose the questionnaire of the answers.")})
    result = ImportResult(kind=kind, dry_run=dry_run)
    try:
        rows = trial_import.read(data)
    except ValidationError as exc:
        result.errors.append(_message(exc))
        return result
    result.rows = len(rows)
    participants = {p.study_pseudonym.upper(): p for p in study.participants.select_related("client", "allocation")}
    checker = {"allocations": _check_allocation, "jobs": _check_job_row, "answers": _check_answers}[kind]
    context: dict[str, Any] = {"study": study, "participants": participants, "seen": set(), "now": timezone.now()}
    if questionnaire is not None:
        context["questionnaire"] = questionnaire
        context["questions"] = list(questionnaire.questions.all())
    planned = []
    for row in rows:
        try:
            planned.append(checker(row, context))
        except ValidationError as exc:
            result.errors.append(_("Line %(line)s: %(error)s") % {"line": row.line, "error": _message(exc)})
    if not rows:
        result.errors.append(_("The file has no lines below the column names."))
    if result.errors or dry_run:
        return result
    result.event = StudyEvent.objects.create(
        study=study, kind=StudyEventKind.IMPORTED, at=context["now"], actor=imported_by,
        after={"what": kind, "file": filename[:200], "lines": len(rows),
               **({"questionnaire": questionnaire.pk} if questionnaire is not None else {})},
    )
    store = {"allocations": _store_allocation, "jobs": _store_job, "answers": _store_answers}[kind]
    for item in planned:
        store(item, context, result.event, imported_by)
    return result


def _participant(row: trial_import.Row, context: dict[str, Any]):
    code = str(trial_import.pick(row.values, "deelnemer", "participant", "study_pseudonym") or "").strip().upper()
    if not code:
        raise ValidationError(_("the participant is missing."))
    participant = context["participants"].get(code)
    if participant is None or not has_research_consent(participant.client, context["study"]):
        raise ValidationError(_("unknown participant “%(code)s”.") % {"code": code[:20]})
    return participant


def _date(row: trial_import.Row, names: tuple[str, ...], label: str, *, required: bool = True):
    raw = trial_import.pick(row.values, *names)
    if raw in (None, "") and not required:
        return None
    value = trial_import.as_date(raw)
    if value is None:
        raise ValidationError(_("%(field)s is not a date (such as 2026-03-01 or 1-3-2026).") % {"field": label})
    return value


def _check_allocation(row: trial_import.Row, context: dict[str, Any]) -> dict[str, Any]:
    study: Study = context["study"]
    participant = _participant(row, context)
    if participant.pk in context["seen"]:
        raise ValidationError(_("participant %(code)s appears twice.") % {"code": participant.study_pseudonym})
    context["seen"].add(participant.pk)
    if getattr(participant, "allocation", None) is not None:
        raise ValidationError(_("participant %(code)s has already been randomised.") % {"code": participant.study_pseudonym})
    if participant.stage not in BEFORE_RANDOMISATION or participant.stage == Stage.EXCLUDED:
        raise ValidationError(_("participant %(code)s cannot be randomised (now: %(stage)s).")
                              % {"code": participant.study_pseudonym, "stage": Stage(participant.stage).label})
    day = _date(row, ("randomisatiedatum", "randomised_on", "datum"), _("the randomisation date"))
    try:
        _randomisation_day(study, day, context["now"])
    except ValidationError as exc:
        raise ValidationError(_message(exc)) from None
    code = str(trial_import.pick(row.values, "arm", "groep") or "").strip()
    arms = context.setdefault("arms", {a.code.lower(): a for a in study.arms.all()})
    arm = arms.get(code.lower())
    if arm is None:
        raise ValidationError(_("unknown arm “%(code)s” (the arms: %(arms)s).")
                              % {"code": code[:30], "arms": ", ".join(a.code for a in arms.values())})
    return {"participant": participant, "day": day, "arm": arm}


def _store_allocation(item: dict[str, Any], context: dict[str, Any], event: StudyEvent, actor: User) -> None:
    participant, study = item["participant"], context["study"]
    number = Allocation.objects.filter(study=study, stratum=participant.stratum, imported_in__isnull=False).count() + 1
    Allocation.objects.create(
        study=study, participant=participant, arm=item["arm"], stratum=participant.stratum, sequence_number=number,
        block_number=0, block_size=0, randomised_on=item["day"], randomised_at=context["now"], randomised_by=actor,
        imported_in=event,
    )
    participant.stage = Stage.RANDOMISED
    participant.stage_reason = ""
    participant.save(update_fields=["stage", "stage_reason"])
    StageEvent.objects.create(participant=participant, stage=Stage.RANDOMISED, occurred_on=item["day"],
                              recorded_by=actor)


def _check_job_row(row: trial_import.Row, context: dict[str, Any]) -> dict[str, Any]:
    participant = _participant(row, context)
    start = _date(row, ("startdatum", "start"), _("the start date"))
    end = _date(row, ("einddatum", "einde", "end"), _("the end date"), required=False)
    hours = builder.number(trial_import.pick(row.values, "uren_per_week", "hours_per_week", "uren"))
    if hours is None:
        raise ValidationError(_("the hours per week are not a number."))
    raw = str(trial_import.pick(row.values, "regulier", "competitive") or "ja").strip().lower()
    if raw not in YES | NO:
        raise ValidationError(_("“regulier” is ja or nee."))
    try:
        _check_job(start=start, end=end, hours_per_week=hours)
    except ValidationError as exc:
        raise ValidationError(_message(exc)) from None
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationError(_("give the hours per week with at most one decimal."))
    key = (participant.pk, start)
    if key in context["seen"] or RecordedJob.objects.filter(participant=participant, start=start).exists():
        raise ValidationError(_("participant %(code)s already has a job starting on that date.")
                              % {"code": participant.study_pseudonym})
    context["seen"].add(key)
    return {"participant": participant, "start": start, "end": end, "hours": hours, "competitive": raw in YES}


def _store_job(item: dict[str, Any], context: dict[str, Any], event: StudyEvent, actor: User) -> None:
    RecordedJob.objects.create(
        participant=item["participant"], start=item["start"], end=item["end"], hours_per_week=item["hours"],
        competitive=item["competitive"], recorded_by=actor, imported_in=event,
    )


def _check_answers(row: trial_import.Row, context: dict[str, Any]) -> dict[str, Any]:
    participant = _participant(row, context)
    questionnaire: Questionnaire = context["questionnaire"]
    if participant.pk in context["seen"] or questionnaire.invitations.filter(participant=participant).exists():
        raise ValidationError(_("participant %(code)s already has answers to this questionnaire.")
                              % {"code": participant.study_pseudonym})
    context["seen"].add(participant.pk)
    day = _date(row, ("datum", "answered_on", "date"), _("the date"))
    if day > timezone.localdate(context["now"]):
        raise ValidationError(_("the date lies in the future."))
    questions = context["questions"]
    raw = {}
    for question in questions:
        value = row.values.get(question.code)
        if question.type == "multiple" and isinstance(value, str) and value.strip():
            value = [v for v in value.replace(";", ",").split(",") if v.strip()]
        raw[question.code] = value
    asked = builder.shown(questions, raw)
    parsed, problems = [], []
    for question in questions:
        if question.pk not in asked:
            continue
        try:
            value = _parse_answer(question, raw[question.code])
        except ValidationError as exc:
            problems.append(f"{question.code}: {_message(exc)}")
            continue
        if value is not None:
            parsed.append((question, value))
    if problems:
        raise ValidationError("; ".join(problems))
    return {"participant": participant, "day": day, "answers": parsed}


def _store_answers(item: dict[str, Any], context: dict[str, Any], event: StudyEvent, actor: User) -> None:
    at = timezone.make_aware(datetime.combine(item["day"], time(12, 0)), AMSTERDAM)
    invitation = Invitation.objects.create(
        questionnaire=context["questionnaire"], kind=RespondentKind.CLIENT, participant=item["participant"],
        sent_at=at, responded_at=at, imported_in=event,
    )
    Answer.objects.bulk_create([Answer(invitation=invitation, question=q, **v) for q, v in item["answers"]])
