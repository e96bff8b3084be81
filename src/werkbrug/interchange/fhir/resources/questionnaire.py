"""Questionnaire and QuestionnaireResponse: a study's research questionnaires and their answers,
for the study's research team.

Both read under `study.view` (the research API's reads: a researcher of the study's team, every
read logged), a response of a client participant also under `participant.view` (as the
participant's page: it disappears when the client withdraws research consent). Research data stay
pseudonymised: a client respondent is named by their study pseudonym, never as a Patient (a
researcher may not open the client), and professionals' and employers' e-mail addresses are never
given. So a response search is by `questionnaire`, not by `patient`.

Mapping: grade, Likert, single and multiple choice are `choice` items (multiple: `repeats`) with
their options as codings (the stored value as code, the label the respondent sees as display);
numbers are `decimal` with the minValue/maxValue extensions; open text is `text`; branching is
`enableWhen` on the earlier question's option. Status draft → draft, open → active, closed →
retired. A response is `completed` when the respondent sent it; unanswered invitations are not
responses.

Create: only a professional invited by the study's schedule answers, from their own system, as
themselves (`answering.py`). Invitations sent by hand name an e-mail address, not a Werkbrug
account, and a client answers only for themselves in the portal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.evaluations import selectors as evaluation_selectors
from werkbrug.evaluations.models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    QuestionType,
    Study,
)

from ..base import EXTENSION, FhirError, Search, base_url, filter_updated, instant
from .common import page

if TYPE_CHECKING:
    from werkbrug.core.models import User

STUDY_PSEUDONYM_SYSTEM = EXTENSION + "study-participant"
OPTION_SYSTEM = EXTENSION + "questionnaire-option"
STATUS = {QuestionnaireStatus.DRAFT: "draft", QuestionnaireStatus.OPEN: "active", QuestionnaireStatus.CLOSED: "retired"}
FROM_FHIR = {fhir: ours for ours, fhir in STATUS.items()}
CHOICE_TYPES = (QuestionType.GRADE, QuestionType.LIKERT, QuestionType.SINGLE, QuestionType.MULTIPLE)


def _code(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _item(question: Question, codes: dict[int, str]) -> dict:
    item: dict = {"linkId": question.code, "text": question.text, "required": question.required}
    if question.type in CHOICE_TYPES:
        item["type"] = "choice"
        if question.type == QuestionType.MULTIPLE:
            item["repeats"] = True
        item["answerOption"] = [{"valueCoding": {"system": OPTION_SYSTEM, "code": _code(value), "display": str(label)}}
                                for value, label in question.options()]
    elif question.type == QuestionType.NUMBER:
        item["type"] = "decimal"
        item["extension"] = [
            {"url": f"http://hl7.org/fhir/StructureDefinition/{name}", "valueDecimal": float(bound)}
            for name, bound in (("minValue", question.min_value), ("maxValue", question.max_value)) if bound is not None
        ]
        if not item["extension"]:
            del item["extension"]
    else:
        item["type"] = "text"
    if question.show_if_question_id and question.show_if_question_id in codes and question.show_if_value:
        item["enableWhen"] = [{"question": codes[question.show_if_question_id], "operator": "=",
                               "answerCoding": {"system": OPTION_SYSTEM, "code": _code(question.show_if_value)}}]
    return item


def questionnaire_resource(questionnaire: Questionnaire) -> dict:
    questions = list(questionnaire.questions.all())
    codes = {q.pk: q.code for q in questions}
    resource = {
        "resourceType": "Questionnaire", "id": str(questionnaire.pk),
        "meta": {"lastUpdated": instant(questionnaire.created_at)},
        "url": f"{base_url()}/Questionnaire/{questionnaire.pk}",
        "title": questionnaire.title, "status": STATUS[questionnaire.status],
        "subjectType": ["Patient"],
        "useContext": [{"code": {"system": "http://terminology.hl7.org/CodeSystem/usage-context-type",
                                 "code": "program"},
                        "valueCodeableConcept": {"text": questionnaire.study.title}}],
        "item": [_item(q, codes) for q in questions],
    }
    if questionnaire.introduction:
        resource["description"] = questionnaire.introduction
    if questionnaire.closes_on:
        resource["effectivePeriod"] = {"end": questionnaire.closes_on.isoformat()}
    return resource


def _id(pk: str) -> int:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    return int(pk)


def _studies(user: User) -> QuerySet[Study]:
    return policy.scope(user, "study.view", Study.objects.all())


def questionnaire_read(user: User, pk: str) -> dict:
    questionnaire = Questionnaire.objects.select_related("study").filter(pk=_id(pk)).first()
    if questionnaire is None:
        raise Http404
    # As the research API: the study is fetched under `study.view` (logged), then its questionnaire.
    study = evaluation_selectors.study_get(user=user, pk=questionnaire.study_id)
    questionnaire = evaluation_selectors.questionnaire_fetch(study=study, pk=questionnaire.pk)
    return questionnaire_resource(questionnaire)


class _Studies:
    """Authorizes (and so logs) each study once per search, as each study's page would."""

    def __init__(self, user: User):
        self.user, self.seen = user, {}

    def readable(self, study: Study) -> bool:
        if study.pk not in self.seen:
            allowed = policy.can(self.user, "study.view", study)
            if allowed:
                policy.authorize(self.user, "study.view", study)
            self.seen[study.pk] = allowed
        return self.seen[study.pk]


def questionnaire_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.patient is not None:
        raise FhirError(400, "not-supported", "a Questionnaire is not about one patient")
    queryset = Questionnaire.objects.filter(study__in=_studies(user)).select_related("study")
    if search.status is not None:
        if search.status not in FROM_FHIR:
            raise FhirError(400, "invalid", "status is one of " + ", ".join(FROM_FHIR))
        queryset = queryset.filter(status=FROM_FHIR[search.status])
    rows, more = page(filter_updated(queryset, "created_at", search).order_by("pk"), search)
    studies = _Studies(user)
    return [questionnaire_resource(q) for q in rows if studies.readable(q.study)], more


# --- QuestionnaireResponse -----------------------------------------------------------------------


def _answer_values(question: Question, answer: Answer, labels: dict) -> list[dict]:
    if question.type == QuestionType.TEXT:
        return [{"valueString": answer.text}]
    if question.type == QuestionType.NUMBER:
        return [{"valueDecimal": float(answer.number)}] if answer.number is not None else []
    values = answer.selected if question.type == QuestionType.MULTIPLE else [answer.number]
    return [{"valueCoding": {"system": OPTION_SYSTEM, "code": _code(v),
                             "display": labels.get(Decimal(str(v)), _code(v))}}
            for v in values if v is not None]


def response_resource(invitation: Invitation, questions: list[Question] | None = None) -> dict:
    """`questions`: the questionnaire's questions, when the caller already has them (a search)."""
    if questions is None:
        questions = list(invitation.questionnaire.questions.all())
    options = {q.pk: {Decimal(str(value)): str(label) for value, label in q.options()} for q in questions}
    answers = {a.question_id: a for a in invitation.answers.all()}
    items = []
    for question in questions:
        answer = answers.get(question.pk)
        values = _answer_values(question, answer, options[question.pk]) if answer is not None else []
        if values:
            items.append({"linkId": question.code, "text": question.text, "answer": values})
    resource = {
        "resourceType": "QuestionnaireResponse", "id": str(invitation.pk),
        "meta": {"lastUpdated": instant(invitation.responded_at)},
        "questionnaire": f"{base_url()}/Questionnaire/{invitation.questionnaire_id}",
        "status": "completed", "authored": instant(invitation.responded_at),
        "extension": [{"url": EXTENSION + "respondent-kind", "valueCode": invitation.kind}],
        "item": items,
    }
    if invitation.participant_id is not None:
        resource["subject"] = {"type": "Patient", "identifier": {
            "system": STUDY_PSEUDONYM_SYSTEM, "value": invitation.participant.study_pseudonym}}
    return resource


def _responses() -> QuerySet[Invitation]:
    return (Invitation.objects.filter(responded_at__isnull=False)
            .select_related("questionnaire__study", "participant__study", "participant__client")
            .prefetch_related("answers"))


def _participant_readable(user: User, invitation: Invitation) -> bool:
    participant = invitation.participant
    if participant is None:
        return True
    if not policy.can(user, "participant.view", participant):
        return False
    policy.authorize(user, "participant.view", participant)
    return True


def response_read(user: User, pk: str) -> dict:
    invitation = _responses().filter(pk=_id(pk)).first()
    if invitation is None:
        raise Http404
    evaluation_selectors.study_get(user=user, pk=invitation.questionnaire.study_id)
    if invitation.participant_id is not None:
        # As the participant's page: refused (and then 404) once research consent is withdrawn.
        policy.authorize(user, "participant.view", invitation.participant)
    return response_resource(invitation)


def response_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.patient is not None:
        raise FhirError(400, "not-supported", "research answers are pseudonymised: search by questionnaire")
    if search.status not in (None, "completed"):
        raise FhirError(400, "invalid", "a response's status is completed")
    queryset = _responses().filter(questionnaire__study__in=_studies(user))
    if search.questionnaire is not None:
        queryset = queryset.filter(questionnaire_id=search.questionnaire)
    rows, more = page(filter_updated(queryset, "responded_at", search).order_by("pk"), search)
    studies = _Studies(user)
    shown = [i for i in rows if studies.readable(i.questionnaire.study) and _participant_readable(user, i)]
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(questionnaire_id__in={i.questionnaire_id for i in shown}):
        questions.setdefault(question.questionnaire_id, []).append(question)
    return [response_resource(i, questions.get(i.questionnaire_id, [])) for i in shown], more

