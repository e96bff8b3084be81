"""Creating a QuestionnaireResponse: the professional the study's schedule invited answers from
their own system, as themselves; validated against the questionnaire and stored by the same
service as the personal link."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.evaluations.conftest import consent_to_study, make_study, research  # noqa: F401  (fixtures)
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import Answer, Invitation
from werkbrug.interchange.models import all_scopes
from werkbrug.interchange.services import system_register

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
OPTION = "https://werkbrug.nl/fhir/StructureDefinition/questionnaire-option"


@pytest.fixture
def invited(research, make_study):  # noqa: F811
    """A running trial whose schedule invited the client's plan director (research.jobcoach) at baseline."""
    with time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=AMS), tick=False):
        study = make_study(draft=True)
        questionnaire = s.questionnaire_create(
            study=study, title="Werk en welzijn", created_by=research.researcher, questions=[
                {"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"},
                {"code": "works", "text": "Werkt de cliënt?", "type": "single", "choices": ["Ja", "Nee"]},
                {"code": "hours", "text": "Hoeveel uur?", "type": "number", "min_value": 0, "max_value": 40,
                 "show_if": "works", "show_if_value": "1"},
                {"code": "note", "text": "Toelichting", "type": "text", "required": False},
            ])
        s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting", window_days=28,
                             items=[(questionnaire.pk, "professional")])
        study = s.study_start(study=study, started_by=research.researcher)
        client = research.client()
        participant = s.participant_enrol(study=study, client=client, enrolled_by=research.researcher)
        consent_to_study(participant, research.researcher)
        s.participant_randomise(participant=participant, randomised_by=research.researcher)
    with time_machine.travel(datetime(2026, 1, 6, 10, tzinfo=AMS), tick=False):
        assert s.schedule_run()["sent"] == 1
    invitation = Invitation.objects.get(scheduled__participant=participant)
    return SimpleNamespace(study=study, questionnaire=questionnaire, client=client, invitation=invitation)


@pytest.fixture
def post_as(client, get_token, region_admin):
    """post_as(person)(body): POST /fhir/R4/QuestionnaireResponse from a system acting for `person`."""

    def system_for(person):
        registered, secret = system_register(actor=region_admin, organisation=person.organisation,
                                             name="EPD", scopes=all_scopes(), acting_person=person)
        token = get_token(SimpleNamespace(client=registered, secret=secret))
        return lambda body: client.post("/fhir/R4/QuestionnaireResponse", body, content_type="application/fhir+json",
                                        HTTP_AUTHORIZATION=f"Bearer {token}")

    return system_for


def response(invited, *items, status="completed") -> dict:
    return {"resourceType": "QuestionnaireResponse", "status": status,
            "questionnaire": f"https://werkbrug.test/fhir/R4/Questionnaire/{invited.questionnaire.pk}",
            "subject": {"reference": f"Patient/{invited.client.pseudonym}"}, "item": list(items)}


def coding(link: str, *codes: str) -> dict:
    return {"linkId": link, "answer": [{"valueCoding": {"system": OPTION, "code": c}} for c in codes]}


def test_the_invited_professional_answers_from_their_system(post_as, invited, research):  # noqa: F811
    answer = post_as(research.jobcoach)(response(
        invited, coding("grade", "7.5"), coding("works", "1"), {"linkId": "hours", "answer": [{"valueDecimal": 24}]},
        {"linkId": "note", "answer": [{"valueString": "Gaat goed"}]}))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    QuestionnaireResponse.model_validate(body)
    assert answer["Location"].endswith(f"/QuestionnaireResponse/{invited.invitation.pk}")
    assert body["subject"] == {"reference": f"Patient/{invited.client.pseudonym}"}
    assert "study-participant" not in answer.content.decode()  # the research identity stays with the researchers
    stored = {a.question.code: a for a in Answer.objects.filter(invitation=invited.invitation)}
    assert str(stored["grade"].number) == "7.50" and str(stored["hours"].number) == "24.00"
    assert stored["works"].number == 1 and stored["note"].text == "Gaat goed"
    invited.invitation.refresh_from_db()
    assert invited.invitation.responded_at is not None
    record = AccessLogRecord.objects.get(action="questionnaire.answer_via_system", granted=True)
    assert record.code == "C" and record.client_pseudonym == invited.client.pseudonym
    assert record.actor_id_snapshot == research.jobcoach.pk and "via EPD" in record.purpose
    # Answered: there is nothing left to answer.
    again = post_as(research.jobcoach)(response(invited, coding("grade", "8"), coding("works", "2")))
    assert again.status_code == 403


def test_a_hidden_question_is_not_required_nor_stored(post_as, invited, research):  # noqa: F811
    answer = post_as(research.jobcoach)(response(
        invited, coding("grade", "6"), coding("works", "2"), {"linkId": "hours", "answer": [{"valueDecimal": 99}]}))
    assert answer.status_code == 201, answer.content
    assert set(Answer.objects.values_list("question__code", flat=True)) == {"grade", "works"}


@pytest.mark.parametrize("items, why", [
    ([coding("grade", "11"), coding("works", "2")], "grade out of range"),
    ([coding("grade", "6.3"), coding("works", "2")], "not a grade option"),
    ([coding("works", "2")], "required grade missing"),
    ([coding("grade", "6"), coding("works", "1")], "hours required when working"),
    ([coding("grade", "6"), coding("works", "1"), {"linkId": "hours", "answer": [{"valueDecimal": 41}]}], "above max"),
    ([coding("grade", "6"), coding("works", "1"), {"linkId": "hours", "answer": [{"valueDecimal": -1}]}], "below min"),
    ([{"linkId": "grade", "answer": [{"valueString": "zeven"}]}, coding("works", "2")], "wrong value type"),
    ([coding("grade", "6", "7"), coding("works", "2")], "two answers to a single choice"),
    ([coding("grade", "6"), coding("works", "2"), coding("unknown", "1")], "unknown linkId"),
    ([coding("grade", "6"), coding("works", "2"), {"linkId": "note", "answer": [{"valueString": 3}]}], "not FHIR"),
])
def test_invalid_answers_are_a_422_and_nothing_is_stored(post_as, invited, research, items, why):  # noqa: F811
    answer = post_as(research.jobcoach)(response(invited, *items))
    assert answer.status_code == 422, (why, answer.content)
    OperationOutcome.model_validate(answer.json())
    assert not Answer.objects.exists()
    invited.invitation.refresh_from_db()
    assert invited.invitation.responded_at is None


def test_only_a_completed_response_is_stored(post_as, invited, research):  # noqa: F811
    answer = post_as(research.jobcoach)(response(invited, coding("grade", "6"), coding("works", "2"),
                                                 status="in-progress"))
    assert answer.status_code == 422


def test_a_team_member_who_was_not_invited_cannot_answer(post_as, invited, research, make_person):  # noqa: F811
    from werkbrug.trajectories.models import Trajectory
    from werkbrug.trajectories.services import team_member_add

    colleague = make_person(research.ggz, Role.THERAPIST, first_name="Theo", last_name="Collega")
    trajectory = Trajectory.objects.get(client=invited.client)
    team_member_add(trajectory=trajectory, person=colleague, role=Role.THERAPIST, added_by=research.jobcoach)
    answer = post_as(colleague)(response(invited, coding("grade", "6"), coding("works", "2")))
    assert answer.status_code == 403
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert not Answer.objects.exists()
    assert AccessLogRecord.objects.filter(action="questionnaire.answer_via_system", granted=False,
                                          actor_id_snapshot=colleague.pk).exists()


def test_someone_outside_the_team_gets_the_patient_not_found(post_as, invited, research, make_person):  # noqa: F811
    stranger = make_person(research.ggz, Role.JOBCOACH, first_name="Stijn", last_name="Vreemd")
    answer = post_as(stranger)(response(invited, coding("grade", "6"), coding("works", "2")))
    assert answer.status_code == 404 and not Answer.objects.exists()


def test_an_invitation_by_e_mail_is_not_matched_to_an_account(post_as, invited, research):  # noqa: F811
    """Sent by hand to the professional's own e-mail address: still not answerable by a system."""
    Invitation.objects.filter(pk=invited.invitation.pk).update(responded_at=datetime(2026, 1, 7, tzinfo=AMS))
    s.questionnaire_send(questionnaire=invited.questionnaire, sent_by=research.researcher, to_participants=False,
                         links=[("professional", research.jobcoach.email or "jet@example.org")])
    answer = post_as(research.jobcoach)(response(invited, coding("grade", "6"), coding("works", "2")))
    assert answer.status_code == 403


def test_no_answers_about_a_client_who_withdrew_research_consent(post_as, invited, research):  # noqa: F811
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw
    from werkbrug.core.choices import DataCategory

    consent_withdraw(client=invited.client, organisation=research.institute, category=DataCategory.RESEARCH,
                     recorded_by=research.researcher, method=ConsentMethod.VERBAL)
    answer = post_as(research.jobcoach)(response(invited, coding("grade", "6"), coding("works", "2")))
    assert answer.status_code == 403 and not Answer.objects.exists()


def test_the_write_scope_is_needed(client, get_token, region_admin, invited, research):  # noqa: F811
    registered, secret = system_register(actor=region_admin, organisation=research.ggz, name="EPD",
                                         scopes=["system/QuestionnaireResponse.read"], acting_person=research.jobcoach)
    token = get_token(SimpleNamespace(client=registered, secret=secret))
    answer = client.post("/fhir/R4/QuestionnaireResponse", response(invited, coding("grade", "6")),
                         content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 403 and not Answer.objects.exists()
