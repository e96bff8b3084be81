"""Creating a QuestionnaireResponse: a professional answers a research questionnaire of the
study's schedule from their own system.

The schedule invites the plan director of a participant's client as the professional respondent
and delivers the personal link to that person's Werkbrug inbox (`evaluations/services/schedules.py`).
A system may answer such an invitation only when its acting person is that invited respondent
(`questionnaire.answer_via_system` in `core/policy/interchange.py`); nothing is matched by name or
e-mail address, so invitations sent by hand to an e-mail address are not answerable here.

The resource names the Patient (`subject`, the client as the person sees them: authorized as
`client.view` first) and the `questionnaire`; together they pick the person's pending
invitation (the oldest, when the schedule has sent more than one). Only then is the rest read:
validated as FHIR R4 (fhir.resources), mapped onto the answers by variable name, and stored by
the same service as the personal link (`evaluations.services.response_submit`), which checks
types, ranges, required questions and branching. The answer leaves out the study pseudonym:
the research identity of a client is for the research team only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pydantic import ValidationError as ModelError

from werkbrug.core import policy
from werkbrug.evaluations import services as evaluation_services
from werkbrug.evaluations.models import Invitation, Question, QuestionType, RespondentKind

from ..base import FHIR_ID, FhirError, base_url
from .questionnaire import CHOICE_TYPES, OPTION_SYSTEM, _code, response_resource

if TYPE_CHECKING:
    from werkbrug.core.models import User

ACTION = "questionnaire.answer_via_system"
MAX_ITEMS = 200


def _reference(body: dict, field: str, prefix: str) -> str | None:
    value = body.get(field)
    if field == "subject":
        value = value.get("reference") if isinstance(value, dict) else None
    if not isinstance(value, str) or len(value) > 300:
        return None
    # `questionnaire` may be the canonical URL: <base>/Questionnaire/<id>.
    tail = value.rsplit("/", 2)
    if len(tail) < 2 or tail[-2] != prefix or not FHIR_ID.fullmatch(tail[-1]):
        return None
    return tail[-1]


def _invitation(user: User, body: dict) -> tuple[Invitation, str]:
    """The acting person's own pending invitation for the named Patient and Questionnaire,
    authorized (and so logged) before anything else of the body is read."""
    from werkbrug.clients.selectors import client_by_pseudonym

    pseudonym = _reference(body, "subject", "Patient")
    questionnaire = _reference(body, "questionnaire", "Questionnaire")
    if pseudonym is None or questionnaire is None or not questionnaire.isdigit() or len(questionnaire) > 18:
        raise FhirError(422, "required", "subject must be Patient/<id> and questionnaire Questionnaire/<id>")
    client = client_by_pseudonym(user=user, pseudonym=pseudonym)  # Http404 when not the person's to see
    candidates = list(
        Invitation.objects.filter(questionnaire_id=int(questionnaire), kind=RespondentKind.PROFESSIONAL,
                                  responded_at__isnull=True, scheduled__participant__client=client)
        .select_related("questionnaire__study", "scheduled__participant__client", "scheduled__participant__study")
        .order_by("sent_at", "pk")[:20]
    )
    for invitation in candidates:
        if policy.can(user, ACTION, invitation):
            policy.authorize(user, ACTION, invitation)
            return invitation, pseudonym
    if candidates:
        try:
            policy.authorize(user, ACTION, candidates[0])  # refused, and so logged against the client
        except (Http404, PermissionDenied):
            pass
    # The same answer whether or not someone else's invitation exists.
    raise FhirError(403, "forbidden", "there is no pending invitation of the acting person to answer this "
                    "questionnaire about this patient")


def _validated(body: dict) -> None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    try:
        QuestionnaireResponse.model_validate(body)
    except (ModelError, ValueError, TypeError) as exc:
        raise FhirError(422, "structure", "not a valid FHIR R4 QuestionnaireResponse: "
                        + str(exc).splitlines()[0][:300]) from None


def _value(question: Question, answers: list[Any]) -> Any:
    """One item's answers as the evaluations service takes them (the form's raw values)."""
    if not all(isinstance(a, dict) for a in answers):
        raise ValueError("an answer is an object")
    if question.type in CHOICE_TYPES:
        codes = {_code(value): value for value, _label in question.options()}
        picked = []
        for answer in answers:
            coding = answer.get("valueCoding")
            if not isinstance(coding, dict) or coding.get("system", OPTION_SYSTEM) != OPTION_SYSTEM:
                raise ValueError(f"answer with a valueCoding of {OPTION_SYSTEM}")
            code = coding.get("code")
            if not isinstance(code, str) or code not in codes:
                raise ValueError("choose one of the questionnaire's answerOption codes")
            picked.append(codes[code])
        if question.type == QuestionType.MULTIPLE:
            return picked
        if len(picked) > 1:
            raise ValueError("give one answer")
        return str(picked[0]) if picked else None
    if len(answers) > 1:
        raise ValueError("give one answer")
    if not answers:
        return None
    if question.type == QuestionType.NUMBER:
        number = answers[0].get("valueDecimal", answers[0].get("valueInteger"))
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError("answer with a valueDecimal")
        return str(Decimal(str(number)))
    text = answers[0].get("valueString")
    if not isinstance(text, str):
        raise ValueError("answer with a valueString")
    return text


def _answers(invitation: Invitation, body: dict) -> dict[str, Any]:
    if body.get("status") != "completed":
        raise FhirError(422, "business-rule", "only a completed response is stored: status must be completed")
    items = body.get("item") or []
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise FhirError(422, "too-long", f"at most {MAX_ITEMS} items")
    questions = {q.code: q for q in invitation.questionnaire.questions.all()}
    answers: dict[str, Any] = {}
    issues = []
    for item in items:
        link = item.get("linkId") if isinstance(item, dict) else None
        if link not in questions or link in answers:
            issues.append(("invalid", f"item {str(link)[:40]!r} is not a question of the questionnaire, or twice"))
            continue
        if item.get("item"):
            issues.append(("structure", f"item {link!r}: the questionnaire has no nested items"))
            continue
        try:
            answers[link] = _value(questions[link], item.get("answer") or [])
        except ValueError as exc:
            issues.append(("value", f"item {link!r}: {exc}"))
    if issues:
        raise FhirError(422, issues[0][0], "; ".join(message for _code, message in issues))
    return answers


def response_create(user: User, body: dict) -> tuple[dict, str]:
    invitation, pseudonym = _invitation(user, body)
    _validated(body)
    answers = _answers(invitation, body)
    try:
        invitation = evaluation_services.response_submit(invitation=invitation, answers=answers)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            messages = [f"item {key.removeprefix('q_')!r}: {' '.join(str(m) for e in errors for m in e.messages)}"
                        for key, errors in exc.error_dict.items()]
        else:
            messages = exc.messages
        raise FhirError(422, "invariant", "; ".join(messages)) from exc
    invitation = Invitation.objects.select_related("questionnaire").prefetch_related("answers").get(pk=invitation.pk)
    resource = response_resource(invitation)
    # The study pseudonym stays with the research team: the answer names the Patient as sent.
    resource["subject"] = {"reference": f"Patient/{pseudonym}"}
    resource["questionnaire"] = f"{base_url()}/Questionnaire/{invitation.questionnaire_id}"
    return resource, str(invitation.pk)
