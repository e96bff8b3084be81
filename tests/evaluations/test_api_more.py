"""The rest of the research API: enrolment, expectations, follow-up jobs, the questionnaire builder,
codebook import and reading interviews. Same services, same policy, problem+json errors."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.api import assert_problem
from werkbrug.evaluations import codebook, services
from werkbrug.evaluations.models import (
    Code,
    Expectation,
    Participant,
    Question,
    Questionnaire,
    RecordedJob,
)

JSON = "application/json"


def problem(response, status: int, code: str | None = None) -> None:
    assert_problem(response, status, code=code)


# --- 1. enrolment ------------------------------------------------------------------------------


def test_enrol_eligible_participants(api, research, make_study):
    study = make_study(eligible_benefits=["wajong"])
    research.client(benefit="wajong")
    research.client(benefit="wajong")
    research.client(benefit="ww")  # does not meet the criteria
    research.client(benefit="wajong", consent=False)  # no research consent
    url = f"/api/v1/research/studies/{study.pk}/participants/enrol/"
    response = api.post(url)
    assert response.status_code == 201 and response.json() == {"enrolled": 2}
    people = list(study.participants.all())
    assert len(people) == 2 and {p.stage for p in people} == {"eligible"}
    assert {p.client.benefit for p in people} == {"wajong"}
    again = api.post(url)
    assert again.status_code == 201 and again.json() == {"enrolled": 0}
    assert study.participants.count() == 2


def test_enrol_refused_outside_the_research_team(client, research, make_study, outsider):
    study = make_study()
    research.client()
    url = f"/api/v1/research/studies/{study.pk}/participants/enrol/"
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.post(url), 404)
    client.force_login(research.researcher)
    problem(client.post("/api/v1/research/studies/999999/participants/enrol/"), 404)
    assert not Participant.objects.exists()


# --- 2. expectations ---------------------------------------------------------------------------


@pytest.fixture
def rounds(research, make_study):
    study = make_study()
    r1 = services.interview_round_create(study=study, title="Verwachtingen", created_by=research.researcher)
    r2 = services.interview_round_create(study=study, title="Ervaringen", created_by=research.researcher)
    return study, r1, r2


def test_add_and_assess_an_expectation(api, research, rounds):
    study, r1, r2 = rounds
    base = f"/api/v1/research/studies/{study.pk}/expectations/"
    response = api.post(base, {"round": r1.pk, "kind": "minimum_goal", "level": "management", "text": "  Vijf aan het werk "},
                        content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {"id": body["id"], "kind": "minimum_goal", "level": "management", "text": "Vijf aan het werk",
                    "round": 1, "assessment": None, "assessed_in": None, "evidence": ""}
    item = Expectation.objects.get(pk=body["id"])
    assert (item.study, item.round) == (study, r1)

    assessed = api.post(f"{base}{item.pk}/assess/", {"round": r2.pk, "assessment": "exceeded", "evidence": " Zes aan het werk "},
                        content_type=JSON)
    assert assessed.status_code == 200, assessed.content
    assert assessed.json()["assessment"] == "exceeded" and assessed.json()["assessed_in"] == 2
    item.refresh_from_db()
    assert (item.assessment, item.assessed_in, item.evidence) == ("exceeded", r2, "Zes aan het werk")
    listed = api.get(base).json()
    assert [(e["id"], e["assessment"], e["assessed_in"]) for e in listed] == [(item.pk, "exceeded", 2)]


@pytest.mark.parametrize(("payload", "code"), [
    ({"kind": "wish", "level": "client", "text": "Meer uren"}, "invalid"),
    ({"kind": "expectation", "level": "planet", "text": "Meer uren"}, "invalid"),
    ({"kind": "expectation", "level": "client", "text": "   "}, "invalid"),
    ({"kind": "expectation", "level": "client"}, "required"),
])
def test_bad_expectation_is_a_problem_and_writes_nothing(api, rounds, payload, code):
    study, r1, _r2 = rounds
    response = api.post(f"/api/v1/research/studies/{study.pk}/expectations/", {"round": r1.pk, **payload}, content_type=JSON)
    problem(response, 400, code)
    assert not Expectation.objects.exists()


def test_expectation_round_of_another_study_or_outsider_is_404(client, research, rounds, make_study, outsider):
    study, r1, _r2 = rounds
    other = make_study(title="Andere studie")
    other_round = services.interview_round_create(study=other, title="Elders", created_by=research.researcher)
    client.force_login(research.researcher)
    payload = {"kind": "expectation", "level": "client", "text": "Meer uren"}
    problem(client.post(f"/api/v1/research/studies/{study.pk}/expectations/", {"round": other_round.pk, **payload},
                        content_type=JSON), 404)
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.post(f"/api/v1/research/studies/{study.pk}/expectations/", {"round": r1.pk, **payload},
                            content_type=JSON), 404)
    assert not Expectation.objects.exists()


@pytest.mark.parametrize(("later", "assessment", "evidence", "code"), [
    (False, "achieved", "Zes aan het werk", "round"),  # the round it was collected in
    (True, "achieved", "", "evidence"),
    (True, "achieved", "   ", "evidence"),
    (True, "fantastic", "Zes aan het werk", "assessment"),
])
def test_bad_assessment_is_a_problem_and_changes_nothing(api, research, rounds, later, assessment, evidence, code):
    study, r1, r2 = rounds
    item = services.expectation_add(round=r1, kind="expectation", level="client", text="Meer uren", added_by=research.researcher)
    response = api.post(f"/api/v1/research/studies/{study.pk}/expectations/{item.pk}/assess/",
                        {"round": (r2 if later else r1).pk, "assessment": assessment, "evidence": evidence}, content_type=JSON)
    problem(response, 400, code)
    item.refresh_from_db()
    assert (item.assessment, item.assessed_in, item.evidence) == ("", None, "")


def test_assessment_refused_for_outsiders_and_other_studies(client, research, rounds, make_study, outsider):
    study, r1, r2 = rounds
    item = services.expectation_add(round=r1, kind="expectation", level="client", text="Meer uren", added_by=research.researcher)
    other = make_study(title="Andere studie")
    payload = {"round": r2.pk, "assessment": "achieved", "evidence": "Gehaald"}
    client.force_login(outsider)
    problem(client.post(f"/api/v1/research/studies/{study.pk}/expectations/{item.pk}/assess/", payload, content_type=JSON), 404)
    client.force_login(research.researcher)
    problem(client.post(f"/api/v1/research/studies/{other.pk}/expectations/{item.pk}/assess/", payload, content_type=JSON), 404)
    item.refresh_from_db()
    assert item.assessment == "" and item.assessed_in is None


# --- 3. follow-up jobs -------------------------------------------------------------------------


def test_record_a_follow_up_job(api, research, make_study):
    study = make_study()
    participant = services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    url = f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/jobs/"
    response = api.post(url, {"start": "2026-03-01", "hours_per_week": "16.5", "competitive": False, "hourly_wage": "14.25"},
                        content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["participant"] == participant.study_pseudonym and body["hours_per_week"] == "16.5"
    assert "client" not in body
    job = RecordedJob.objects.get(pk=body["id"])
    assert (job.participant, job.start, job.end, str(job.hours_per_week), job.competitive, str(job.hourly_wage)) == (
        participant, date(2026, 3, 1), None, "16.5", False, "14.25")
    assert job.recorded_by == research.researcher


@pytest.mark.parametrize(("payload", "code"), [
    ({"start": "2026-03-01", "end": "2026-02-01", "hours_per_week": "16"}, "end_before_start"),
    ({"start": "2026-03-01", "hours_per_week": "0"}, "hours"),
    ({"start": "2026-03-01", "hours_per_week": "81"}, "hours"),
    ({"start": "maart", "hours_per_week": "16"}, "invalid"),
    ({"hours_per_week": "16"}, "required"),
])
def test_bad_job_is_a_problem_and_writes_nothing(api, research, make_study, payload, code):
    study = make_study()
    participant = services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    response = api.post(f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/jobs/", payload, content_type=JSON)
    problem(response, 400, code)
    assert not RecordedJob.objects.exists()


def test_job_refused_for_outsiders_and_other_studies(client, research, make_study, outsider):
    study = make_study()
    other = make_study(title="Andere studie")
    participant = services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    payload = {"start": "2026-03-01", "hours_per_week": "16"}
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.post(f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/jobs/", payload,
                            content_type=JSON), 404)
    client.force_login(research.researcher)
    problem(client.post(f"/api/v1/research/studies/{other.pk}/participants/{participant.pk}/jobs/", payload,
                        content_type=JSON), 404)
    assert not RecordedJob.objects.exists()


# --- 4. questionnaire builder ------------------------------------------------------------------


@pytest.fixture
def draft(research, make_study):
    study = make_study()
    q = services.questionnaire_create(study=study, title="Tevredenheid", created_by=research.researcher,
                                      questions=[{"code": "grade", "text": "Welk cijfer?", "type": "grade"}])
    return study, q


def test_add_questions_then_close(api, research, draft):
    study, q = draft
    base = f"/api/v1/research/studies/{study.pk}/questionnaires/{q.pk}/"
    response = api.post(base + "questions/", {"code": "support", "text": "Welke steun?", "type": "multiple",
                                              "choices": ["Gesprek", "Groep"], "required": False}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["order"], body["code"], body["choices"], body["required"]) == (1, "support", ["Gesprek", "Groep"], False)
    assert list(q.questions.values_list("code", flat=True)) == ["grade", "support"]

    problem(api.post(base + "questions/", {"code": "grade", "text": "Nog eens?", "type": "grade"}, content_type=JSON), 400, "duplicate")
    problem(api.post(base + "questions/", {"code": "one", "text": "Eén keuze?", "type": "single", "choices": ["Ja"]},
                     content_type=JSON), 400, "choices")
    problem(api.post(base + "questions/", {"code": "Fout Naam", "text": "Vraag?", "type": "text"}, content_type=JSON),
            400, "variable_name")
    assert q.questions.count() == 2

    closed = api.post(base + "close/")
    assert closed.status_code == 200 and closed.json() == {"id": q.pk, "status": "closed"}
    assert Questionnaire.objects.get(pk=q.pk).status == "closed"
    problem(api.post(base + "questions/", {"code": "late", "text": "Te laat?", "type": "text"}, content_type=JSON), 400, "not_draft")
    assert q.questions.count() == 2


def test_builder_refused_for_outsiders_and_other_studies(client, research, draft, make_study, outsider):
    study, q = draft
    other = make_study(title="Andere studie")
    question = {"code": "extra", "text": "Extra?", "type": "text"}
    client.force_login(outsider)
    base = f"/api/v1/research/studies/{study.pk}/questionnaires/{q.pk}/"
    problem(client.post(base + "questions/", question, content_type=JSON), 404)
    problem(client.post(base + "close/"), 404)
    client.force_login(research.researcher)
    elsewhere = f"/api/v1/research/studies/{other.pk}/questionnaires/{q.pk}/"
    problem(client.post(elsewhere + "questions/", question, content_type=JSON), 404)
    problem(client.post(elsewhere + "close/"), 404)
    assert Question.objects.filter(questionnaire=q).count() == 1
    assert Questionnaire.objects.get(pk=q.pk).status == "draft"


# --- 5. codebook import ------------------------------------------------------------------------


def _upload(api, study, name: str, content: bytes):
    return api.post(f"/api/v1/research/studies/{study.pk}/codes/import/",
                    {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")})


def test_import_codebook_csv(api, research, make_study):
    study = make_study()
    parent = str(uuid.uuid4())
    csv = f"guid,name,parent_guid,description\n{parent},Knelpunten,,Wat tegenzit\n,Tijd,{parent},\n".encode()
    response = _upload(api, study, "codes.csv", csv)
    assert response.status_code == 201 and response.json() == {"imported": 2}
    codes = {c.name: c for c in study.codes.all()}
    assert str(codes["Knelpunten"].guid) == parent and codes["Knelpunten"].description == "Wat tegenzit"
    assert codes["Tijd"].parent == codes["Knelpunten"]
    # Known guids are skipped; a row without a guid is a new code, and "Tijd" already exists under that parent.
    problem(_upload(api, study, "codes.csv", csv), 400, "duplicate")
    assert study.codes.count() == 2
    assert _upload(api, study, "codes.csv", f"guid,name\n{parent},Knelpunten\n".encode()).json() == {"imported": 0}
    mixed = f"guid,name,parent_guid\n{uuid.uuid4()},Steun,\n,Tijd,{parent}\n".encode()
    problem(_upload(api, study, "codes.csv", mixed), 400, "duplicate")
    assert not study.codes.filter(name="Steun").exists()  # all or nothing


def test_import_codebook_qdc_round_trip(api, populated, research, make_study):
    other = make_study(title="Kopie")
    qdc = codebook.to_qdc(list(populated.study.codes.all()))
    response = _upload(api, other, "codes.qdc", qdc)
    assert response.status_code == 201 and response.json() == {"imported": 3}
    copied = {c.name: c for c in other.codes.all()}
    assert set(copied) == {"Knelpunten", "Tijd", "Steun"}
    assert copied["Tijd"].parent == copied["Knelpunten"]
    assert {str(c.guid) for c in copied.values()} == {str(c.guid) for c in populated.codes}
    assert api.get(f"/api/v1/research/studies/{other.pk}/codebook.qdc").content == qdc
    assert _upload(api, other, "codes.qdc", qdc).json() == {"imported": 0}


@pytest.mark.parametrize(("name", "content", "code"), [
    ("codes.qdc", b"<Project/>", "format"),
    ("codes.qdc", b"not xml at all", "format"),
    ("codes.qdc", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "format"),
    ("codes.qdc", b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="nope" name="X"/></Codes></CodeBook>', "guid"),
    ("codes.csv", b"code,description\nTijd,\n", "columns"),
    ("codes.csv", "name\nKnelpunten\n".encode("utf-16"), "encoding"),
    ("codes.csv", b"guid,name,parent_guid\n,Tijd,9d0f8a52-3c1e-4b7a-9e2f-5a6b7c8d9e01\n", "parent"),  # a parent nobody has
])
def test_bad_codebook_is_a_problem_and_writes_nothing(api, make_study, name, content, code):
    study = make_study()
    problem(_upload(api, study, name, content), 400, code)
    assert not Code.objects.exists()


def test_import_needs_a_file_and_a_researcher(client, research, make_study, outsider):
    study = make_study()
    client.force_login(research.researcher)
    problem(client.post(f"/api/v1/research/studies/{study.pk}/codes/import/", {}), 400, "required")
    client.force_login(outsider)
    problem(_upload(client, study, "codes.csv", b"name\nTijd\n"), 404)
    assert not Code.objects.exists()


# --- 6. reading interviews ---------------------------------------------------------------------


def test_interviews_and_passages(api, populated, research):
    base = f"/api/v1/research/studies/{populated.study.pk}/"
    listed = api.get(base + "interviews/")
    assert listed.status_code == 200
    assert [(i["label"], i["round"], i["respondent_role"], i["passages"]) for i in listed.json()] == [
        ("R1-01", 1, "professional", 3), ("R2-01", 2, "client", 1)]
    response = api.get(base + f"interviews/{populated.interview.pk}/passages/")
    assert response.status_code == 200
    passages = response.json()
    assert [p["number"] for p in passages] == [1, 2, 3]
    assert passages[1]["text"] == "De tijd is krap."
    # The researcher sees their own codes (Steun, Tijd, Steun) and only a count of the second coder's.
    assert [[c["code_name"] for c in p["mine"]] for p in passages] == [["Steun"], ["Tijd"], ["Steun"]]
    assert [p["others"] for p in passages] == [1, 1, 1]
    assert {c["level"] for p in passages for c in p["mine"]} == {"professional"}


def test_interviews_refused_for_outsiders_and_other_studies(client, populated, research, make_study, outsider):
    other = make_study(title="Andere studie")
    client.force_login(outsider)
    problem(client.get(f"/api/v1/research/studies/{populated.study.pk}/interviews/"), 404)
    problem(client.get(f"/api/v1/research/studies/{populated.study.pk}/interviews/{populated.interview.pk}/passages/"), 404)
    client.force_login(research.researcher)
    problem(client.get(f"/api/v1/research/studies/{other.pk}/interviews/{populated.interview.pk}/passages/"), 404)
    assert client.get(f"/api/v1/research/studies/{other.pk}/interviews/").json() == []
