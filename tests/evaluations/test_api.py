"""The research API: same services, same policy, problem+json errors."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from werkbrug.evaluations.models import Allocation, Study
from werkbrug.evaluations.services import participant_enrol

from .conftest import consent_to_study

PROBLEM = "application/problem+json"


@pytest.fixture
def api(client, research):
    client.force_login(research.researcher)
    return client


STUDY = {
    "title": "API-studie", "research_question": "Werkt het?", "design": "rct",
    "starts_on": "2026-01-01", "ends_on": "2026-12-31",
    "arms": [{"name": "Interventie", "code": "int"}, {"name": "Controle", "code": "ctl", "is_control": True}],
    "stratify_by": ["benefit"],
}


def test_create_list_and_randomise(api, research):
    response = api.post("/api/v1/research/studies/", STUDY, content_type="application/json")
    assert response.status_code == 201, response.content
    study = Study.objects.get(pk=response.json()["id"])
    assert "seed" not in response.json()
    assert [s["title"] for s in api.get("/api/v1/research/studies/").json()] == ["API-studie"]
    assert response.json()["status"] == "draft"
    assert api.post(f"/api/v1/research/studies/{study.pk}/start/").json()["status"] == "running"
    study.refresh_from_db()
    participant = participant_enrol(study=study, client=research.client(benefit="wajong"), enrolled_by=research.researcher)
    url = f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/"
    assert api.post(url + "stage/", {"stage": "informed"}, content_type="application/json").status_code == 200
    assert api.post(url + "stage/", {"stage": "consented"}, content_type="application/json").status_code == 200
    response = api.post(url + "randomise/")
    assert response.status_code == 201
    body = response.json()
    assert body["participant"] == participant.study_pseudonym and body["arm"] in {"int", "ctl"}
    assert body["stratum"] == "benefit=wajong"
    again = api.post(url + "randomise/")
    assert again.status_code == 400 and again["Content-Type"] == PROBLEM
    assert again.json()["errors"][0]["code"] == "already_randomised"
    assert Allocation.objects.count() == 1
    listing = api.get(f"/api/v1/research/studies/{study.pk}/participants/").json()
    assert listing["results"][0]["arm"] == body["arm"]
    assert set(listing["results"][0]) == {"id", "participant", "stage", "stage_reason", "stratum", "arm", "randomised_on", "research_consent",
                                          "not_received", "not_received_reason", "lost_to_follow_up", "lost_to_follow_up_reason",
                                          "excluded_from_analysis", "excluded_from_analysis_reason"}


def test_invalid_study_is_a_problem(api):
    response = api.post("/api/v1/research/studies/", {**STUDY, "arms": [{"name": "A", "code": "a"}], "ends_on": "2025-01-01"},
                        content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"arms", "ends_on"} <= fields
    assert not Study.objects.exists()


def test_stage_change_errors(api, research, make_study):
    study = make_study()
    participant = participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    url = f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/stage/"
    response = api.post(url, {"stage": "excluded"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "reason_required"
    response = api.post(url, {"stage": "analysed"}, content_type="application/json")
    assert response.json()["errors"][0]["code"] == "invalid_transition"


def test_randomise_without_consent_is_a_problem(api, research, make_study):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    study = make_study()
    c = research.client()
    participant = participant_enrol(study=study, client=c, enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    consent_withdraw(client=c, organisation=research.institute, category="research", recorded_by=research.researcher,
                     method=ConsentMethod.VERBAL)
    response = api.post(f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/randomise/")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["code"] == "no_research_consent"


def test_other_team_gets_404_problem(client, research, make_study, make_person, make_org):
    from werkbrug.core.choices import OrganisationType, Role

    study = make_study()
    outsider = make_person(make_org(OrganisationType.RESEARCH, "Elders"), Role.RESEARCHER)
    client.force_login(outsider)
    response = client.get(f"/api/v1/research/studies/{study.pk}/participants/")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    client.force_login(research.jobcoach)
    response = client.post("/api/v1/research/studies/", STUDY, content_type="application/json")
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_portal_response_through_the_api(populated, client):
    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User

    invitation = [i for i in populated.invitations if i.participant_id][6]
    c = invitation.participant.client
    user = User.objects.create_user(username="p", password="x" * 16, kind=UserKind.CLIENT, region=c.region)
    c.user = user
    c.save(update_fields=["user"])
    client.force_login(user)
    url = f"/api/v1/research/my-questionnaires/{invitation.pk}/response/"
    with time_machine.travel(date(2026, 6, 1)):
        bad = client.post(url, {"answers": {"grade": 0, "helped": 4}}, content_type="application/json")
        assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
        assert bad.json()["errors"][0] == {"field": "q_grade", "message": "Een cijfer is een heel getal van 1 tot en met 10.", "code": "grade_range"} or bad.json()["errors"][0]["code"] == "grade_range"
        ok = client.post(url, {"answers": {"grade": 9, "helped": 4}}, content_type="application/json")
        assert ok.status_code == 201
        other = [i for i in populated.invitations if i.participant_id][7]
        assert client.post(f"/api/v1/research/my-questionnaires/{other.pk}/response/", {"answers": {}},
                           content_type="application/json").status_code == 404


def test_agreement_and_outcomes(api, populated, research):
    with time_machine.travel(date(2026, 6, 1)):
        response = api.get(f"/api/v1/research/studies/{populated.study.pk}/agreement/?a={research.researcher.pk}&b={research.second.pk}")
        assert response.status_code == 200 and response.json()["units"] == 3
        assert api.get(f"/api/v1/research/studies/{populated.study.pk}/agreement/").status_code == 400
        outcomes = api.get(f"/api/v1/research/studies/{populated.study.pk}/outcomes/").json()
        assert outcomes["n"] == 8 and outcomes["control"] == "usual"


def test_coding_through_the_api(api, populated, research):
    url = f"/api/v1/research/studies/{populated.study.pk}/codings/"
    passage = populated.passages[1]
    response = api.post(url, {"passage": passage.pk, "code": populated.codes[0].pk, "level": "organisation"}, content_type="application/json")
    assert response.status_code == 201
    again = api.post(url, {"passage": passage.pk, "code": populated.codes[0].pk, "level": "organisation"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "duplicate"


def test_fidelity_api(api, research):
    body = {"organisation": research.ggz.pk, "team_name": "IPS", "reviewed_on": "2026-01-05", "scores": [4] * 25}
    response = api.post("/api/v1/research/fidelity-reviews/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["total"] == 100
    bad = api.post("/api/v1/research/fidelity-reviews/", {**body, "scores": [4] * 24}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    assert len(api.get("/api/v1/research/fidelity-reviews/").json()) == 1


def test_questionnaire_interview_and_codes_through_the_api(api, research, make_study, mailoutbox, django_capture_on_commit_callbacks):
    study = make_study()
    participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    base = f"/api/v1/research/studies/{study.pk}/"
    bad = api.post(base + "questionnaires/", {"title": "T", "questions": [{"code": "g", "text": "Cijfer?", "type": "stars"}]},
                   content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "type"
    q = api.post(base + "questionnaires/", {"title": "T", "questions": [{"code": "g", "text": "Cijfer?", "type": "grade"}]},
                 content_type="application/json").json()
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(base + f"questionnaires/{q['id']}/send/", {"links": [{"kind": "employer", "email": "w@example.org"}]},
                        content_type="application/json")
    assert sent.json() == {"sent": 2} and len(mailoutbox) == 1
    assert api.post(base + f"questionnaires/{q['id']}/remind/").json() == {"reminded": 2}
    rnd = api.post(base + "rounds/", {"title": "Ronde 1"}, content_type="application/json").json()
    interview = api.post(base + f"rounds/{rnd['id']}/interviews/", {
        "label": "R1-01", "respondent_role": "manager", "held_on": "2026-01-10", "transcript": "Een.\n\nTwee.",
    }, content_type="application/json").json()
    assert [p["number"] for p in interview["passages"]] == [1, 2]
    parent = api.post(base + "codes/", {"name": "Knelpunten"}, content_type="application/json").json()
    api.post(base + "codes/", {"name": "Tijd", "parent": parent["id"]}, content_type="application/json")
    codes = api.get(base + "codes/").json()
    assert [(c["name"], c["depth"]) for c in codes] == [("Knelpunten", 0), ("Tijd", 1)]
    assert api.get(base + "expectations/").json() == []
