"""Qualitative work: interview rounds, interviews, codes, codings, codebook import and expectations."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .. import workflow
from ..identity import find_identifying
from ..models import (
    Assessment,
    Code,
    Coding,
    Expectation,
    ExpectationKind,
    Interview,
    InterviewRound,
    Level,
    Participant,
    Passage,
    RespondentRole,
    Study,
)
from ._common import _err

if TYPE_CHECKING:
    from werkbrug.core.models import User


# --- interviews and coding ---------------------------------------------------------------------


@transaction.atomic
def interview_round_create(*, study: Study, title: str, created_by: User, topics: str = "") -> InterviewRound:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(created_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(round.study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(coding.passage.interview.round.study, workflow.StudyAction.MATERIALS)
    if coding.coder_id != removed_by.pk:
        raise ValidationError(_("You can only remove your own codings."), code="not_yours")
    coding.delete()


@transaction.atomic
def codebook_import(*, study: Study, codes: list[dict[str, Any]], imported_by: User) -> int:
    """Add codes from a parsed codebook (`codebook.py`): dicts with guid, name, parent guid,
    description, colour, parents before children. Codes whose guid is known are skipped."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(imported_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
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
    workflow.study_require(round.study, workflow.StudyAction.MATERIALS)
    if kind not in ExpectationKind.values or level not in Level.values or not text.strip():
        raise ValidationError(_("Give the kind, the level and the text."), code="invalid")
    return Expectation.objects.create(study=round.study, round=round, kind=kind, level=level, text=text.strip())


@transaction.atomic
def expectation_assess(
    *, expectation: Expectation, assessment: str, round: InterviewRound, assessed_by: User, evidence: str = ""
) -> Expectation:
    expectation = Expectation.objects.select_for_update().select_related("study", "round").get(pk=expectation.pk)
    policy.authorize(assessed_by, "study.change", expectation.study)
    workflow.study_require(expectation.study, workflow.StudyAction.MATERIALS)
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
