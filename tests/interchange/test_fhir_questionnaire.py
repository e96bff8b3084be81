"""FHIR: research questionnaires and their answers, for the study's research team only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.evaluations.conftest import make_study, populated, research  # noqa: F401  (fixtures)
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord
from werkbrug.interchange.models import all_scopes
from werkbrug.interchange.services import system_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_as(client, get_token, region_admin):
    """read_as(person)(path): GET /fhir/R4/<path> with a token of a system acting for `person`."""

    def system_for(person):
        registered, secret = system_register(actor=region_admin, organisation=person.organisation,
                                             name="Onderzoekssysteem", scopes=all_scopes(), acting_person=person)
        token = get_token(SimpleNamespace(client=registered, secret=secret))
        return lambda path: client.get(f"/fhir/R4/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    return system_for


def test_a_questionnaire_reads_with_its_items_and_options(read_as, populated, research):  # noqa: F811
    fhir = read_as(research.researcher)
    response = fhir(f"Questionnaire/{populated.questionnaire.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["resourceType"] == "Questionnaire" and body["status"] == "active" and body["title"] == "Tevredenheid"
    items = {i["linkId"]: i for i in body["item"]}
    assert items["experience"]["type"] == "text" and items["experience"]["required"] is False
    grades = [o["valueCoding"]["code"] for o in items["grade"]["answerOption"]]
    assert grades[:3] == ["1", "1.5", "2"] and grades[-1] == "10"
    assert items["grade"]["answerOption"][1]["valueCoding"]["display"] == "1,5"
    assert len(items["helped"]["answerOption"]) == 5 and items["helped"]["type"] == "choice"
    assert items["support"]["repeats"] is True
    assert [o["valueCoding"]["display"] for o in items["support"]["answerOption"]] == ["Gesprek", "Groep", "Werkplek"]
    assert AccessLogRecord.objects.filter(action="study.view", actor_id_snapshot=research.researcher.pk,
                                          purpose__contains="via Onderzoekssysteem").exists()
    found = fhir("Questionnaire?status=active").json()["entry"]
    assert [e["resource"]["id"] for e in found] == [str(populated.questionnaire.pk)]
    assert fhir("Questionnaire?status=retired").json().get("entry", []) == []


def test_responses_are_pseudonymised_and_searchable_by_questionnaire(read_as, populated, research):  # noqa: F811
    fhir = read_as(research.second)
    bundle = fhir(f"QuestionnaireResponse?questionnaire=Questionnaire/{populated.questionnaire.pk}").json()
    responses = [e["resource"] for e in bundle["entry"]]
    assert len(responses) == 5
    first = responses[0]
    assert first["status"] == "completed" and first["questionnaire"].endswith(f"/Questionnaire/{populated.questionnaire.pk}")
    assert first["subject"]["identifier"]["value"] in {p.study_pseudonym for p in populated.people}
    assert "reference" not in first["subject"]
    answers = {i["linkId"]: i["answer"] for i in first["item"]}
    assert answers["experience"] == [{"valueString": "Prettig gesprek 0"}]
    assert answers["grade"][0]["valueCoding"]["code"] == "6"
    assert [a["valueCoding"]["display"] for a in answers["support"]] == ["Groep"]
    text = str(bundle)
    assert "Geheimnaam" not in text and "werkgever@example.org" not in text
    single = fhir(f"QuestionnaireResponse/{first['id']}")
    assert single.status_code == 200 and single.json()["item"] == first["item"]
    assert fhir("QuestionnaireResponse?patient=Patient/abc").status_code == 400
    assert fhir("Patient?questionnaire=1").status_code == 400


def test_a_withdrawn_participant_disappears_from_the_answers(read_as, populated, research):  # noqa: F811
    fhir = read_as(research.researcher)
    invitation = next(i for i in populated.invitations if i.participant_id and i.answers.exists())
    assert fhir(f"QuestionnaireResponse/{invitation.pk}").status_code == 200
    consent_withdraw(client=invitation.participant.client, organisation=research.institute,
                     category=DataCategory.RESEARCH, recorded_by=research.researcher, method=ConsentMethod.VERBAL)
    assert fhir(f"QuestionnaireResponse/{invitation.pk}").status_code == 404
    ids = [e["resource"]["id"] for e in fhir("QuestionnaireResponse").json()["entry"]]
    assert str(invitation.pk) not in ids and len(ids) == 4


def test_outside_the_research_team_nothing_is_found(read_as, populated, research):  # noqa: F811
    fhir = read_as(research.jobcoach)
    assert fhir(f"Questionnaire/{populated.questionnaire.pk}").status_code == 404
    invitation = next(i for i in populated.invitations if i.answers.exists())
    assert fhir(f"QuestionnaireResponse/{invitation.pk}").status_code == 404
    assert fhir("Questionnaire").json().get("entry", []) == []
    assert fhir("QuestionnaireResponse").json().get("entry", []) == []


def test_an_unanswered_invitation_is_not_a_response(read_as, populated, research):  # noqa: F811
    unanswered = next(i for i in populated.invitations if not i.answers.exists())
    assert read_as(research.researcher)(f"QuestionnaireResponse/{unanswered.pk}").status_code == 404


def test_branching_reads_as_enable_when(read_as, make_study, research):  # noqa: F811
    from werkbrug.evaluations import services as s

    study = make_study()
    questionnaire = s.questionnaire_create(study=study, title="Werk", created_by=research.researcher, questions=[
        {"code": "works", "text": "Heeft u werk?", "type": "single", "choices": ["Ja", "Nee"]},
        {"code": "hours", "text": "Hoeveel uur?", "type": "number", "min_value": "0", "max_value": "60"},
    ])
    hours = questionnaire.questions.get(code="hours")
    s.question_update(question=hours, changed_by=research.researcher, code="hours", text="Hoeveel uur?",
                      type="number", min_value="0", max_value="60", show_if="works", show_if_value="Ja")
    body = read_as(research.researcher)(f"Questionnaire/{questionnaire.pk}").json()
    assert body["status"] == "draft"
    item = {i["linkId"]: i for i in body["item"]}["hours"]
    assert item["type"] == "decimal"
    assert [e["valueDecimal"] for e in item["extension"]] == [0.0, 60.0]
    assert item["enableWhen"] == [{"question": "works", "operator": "=", "answerCoding": {
        "system": "https://werkbrug.nl/fhir/StructureDefinition/questionnaire-option", "code": "1"}}]


def test_a_response_search_does_not_grow_queries_per_response(read_as, populated, research,  # noqa: F811
                                                              django_assert_max_num_queries):
    fhir = read_as(research.researcher)
    fhir("QuestionnaireResponse?_count=1")  # token and caches warm
    # Per response only its participant's consent check and its access-log record (no query per answer).
    with django_assert_max_num_queries(19):
        assert len(fhir("QuestionnaireResponse").json()["entry"]) == 5
