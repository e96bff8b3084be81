"""The FHIR R4 interface: what a system reads, under its person's policy and access log."""

from __future__ import annotations

import pytest

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord
from werkbrug.interchange.models import all_scopes
from werkbrug.interchange.services import system_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(team):
    from tests.plans.conftest import goals_for
    from werkbrug.plans.services import plan_save

    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)


def test_capability_statement_is_open_and_names_the_token_endpoint(client):
    response = client.get("/fhir/R4/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement" and body["fhirVersion"] == "4.0.1"
    types = {r["type"] for r in body["rest"][0]["resource"]}
    assert {"Patient", "CarePlan", "CareTeam", "Consent", "Task"} <= types
    oauth = body["rest"][0]["security"]["extension"][0]["extension"][0]["valueUri"]
    assert oauth.startswith("http") and oauth.endswith("/oauth/token")


def test_without_a_token_an_operation_outcome_401(client, team):
    response = client.get(f"/fhir/R4/Patient/{team.client.pseudonym}")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "Bearer" in response["WWW-Authenticate"]


def test_a_session_cookie_is_no_way_in(client, team):
    client.force_login(team.jobcoach)
    assert client.get(f"/fhir/R4/Patient/{team.client.pseudonym}").status_code == 401


def test_patient_read_is_logged_with_the_person_and_the_system(fhir, team):
    response = fhir(f"Patient/{team.client.pseudonym}")
    assert response.status_code == 200, response.content
    patient = response.json()
    assert patient["resourceType"] == "Patient" and patient["id"] == team.client.pseudonym
    assert patient["name"][0]["family"] == team.client.last_name
    assert patient["birthDate"] == team.client.date_of_birth.isoformat()
    record = AccessLogRecord.objects.filter(client_pseudonym=team.client.pseudonym, action="client.view").latest("id")
    assert record.granted and record.actor_id_snapshot == team.jobcoach.pk
    assert "via GGZ-dossier" in record.purpose


def test_missing_and_forbidden_patients_look_the_same(fhir, team, make_client):
    other = make_client(team.outsider)  # not in the jobcoach's caseload
    forbidden = fhir(f"Patient/{other.pseudonym}")
    missing = fhir("Patient/ZZZZZZZZ")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == {**missing.json(), "issue": forbidden.json()["issue"]}
    assert forbidden.json()["issue"][0]["code"] == missing.json()["issue"][0]["code"] == "not-found"
    denied = AccessLogRecord.objects.filter(client_pseudonym=other.pseudonym, granted=False)
    assert denied.exists() and "via GGZ-dossier" in denied.latest("id").purpose


def test_the_token_scope_limits_the_resource_types(client, system, get_token, team):
    token = get_token(system, scope="system/Patient.read")
    ok = client.get(f"/fhir/R4/Patient/{team.client.pseudonym}", HTTP_AUTHORIZATION=f"Bearer {token}")
    refused = client.get(f"/fhir/R4/CarePlan/{team.trajectory.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200 and refused.status_code == 403
    assert refused.json()["issue"][0]["code"] == "forbidden"


def test_careplan_carries_goals_actions_and_the_agreement(fhir, team, plan):
    response = fhir(f"CarePlan/{team.trajectory.pk}")
    assert response.status_code == 200
    careplan = response.json()
    assert careplan["subject"]["reference"] == f"Patient/{team.client.pseudonym}"
    assert careplan["status"] == "draft"  # asked for agreement, not yet agreed
    assert careplan["meta"]["versionId"] == "1"
    goals = [c for c in careplan["contained"] if c["resourceType"] == "Goal"]
    assert [g["description"]["text"] for g in goals] == ["Betaald werk in de groenvoorziening"]
    assert [a["reference"]["display"] for a in careplan["activity"]] == ["Cv bijwerken", "Gesprek met werkgever plannen"]
    agreement = careplan["extension"][0]
    assert agreement["url"].endswith("plan-agreement")
    assert agreement["extension"][0] == {"url": "state", "valueCode": "awaiting"}


def test_tasks_follow_the_plan_actions_and_their_status(fhir, team, plan):
    tasks = fhir(f"Task?patient=Patient/{team.client.pseudonym}").json()
    assert tasks["resourceType"] == "Bundle" and tasks["type"] == "searchset"
    described = sorted(e["resource"]["description"] for e in tasks["entry"])
    assert described == ["Cv bijwerken", "Gesprek met werkgever plannen"]
    assert {e["resource"]["status"] for e in tasks["entry"]} == {"requested"}
    assert "entry" not in fhir(f"Task?patient={team.client.pseudonym}&status=completed").json()  # FHIR: no empty arrays
    one = tasks["entry"][0]["resource"]
    assert fhir(f"Task/{one['id']}").json()["description"] == one["description"]


def test_careteam_names_the_plan_director(fhir, team):
    careteam = fhir(f"CareTeam/{team.trajectory.pk}").json()
    directors = [p for p in careteam["participant"]
                 if any(c.get("code") == "plan-director" for r in p["role"] for c in r.get("coding", []))]
    assert [d["member"]["display"] for d in directors] == ["Jet Coach"]


def test_consents_per_organisation_and_category_with_withdrawal(fhir, team):
    consents = fhir(f"Consent?patient={team.client.pseudonym}&_count=100").json()["entry"]
    uwv_plan = [c["resource"] for c in consents
                if c["resource"]["organization"][0]["display"] == str(team.uwv)
                and c["resource"]["provision"]["class"][0]["code"] == DataCategory.PLAN]
    assert len(uwv_plan) == 1 and uwv_plan[0]["status"] == "active" and uwv_plan[0]["provision"]["type"] == "permit"
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    withdrawn = fhir(f"Consent/{uwv_plan[0]['id']}").json()
    assert withdrawn["status"] == "inactive" and withdrawn["provision"]["type"] == "deny"
    inactive = fhir(f"Consent?patient={team.client.pseudonym}&status=inactive").json()["entry"]
    assert [c["resource"]["id"] for c in inactive] == [uwv_plan[0]["id"]]


def test_data_categories_are_filtered_by_consent_as_on_the_pages(client, team, plan, region_admin, get_token):
    """The UWV's system acts for the labour expert: the plan goes when the UWV's plan consent goes."""
    uwv_system, secret = system_register(actor=region_admin, organisation=team.uwv, name="UWV-systeem",
                                         scopes=all_scopes(), acting_person=team.labour_expert)
    from types import SimpleNamespace

    token = get_token(SimpleNamespace(client=uwv_system, secret=secret))

    def get(path):
        return client.get(f"/fhir/R4/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert get(f"CarePlan/{team.trajectory.pk}").status_code == 200
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    assert get(f"CarePlan/{team.trajectory.pk}").status_code == 404
    assert "entry" not in get(f"CarePlan?patient={team.client.pseudonym}").json()
    assert get(f"Patient/{team.client.pseudonym}").status_code == 200


def test_paging_links_lead_through_the_caseload(fhir, team, make_client):
    from werkbrug.core.choices import Role
    from werkbrug.trajectories.services import trajectory_start

    second = make_client(team.jobcoach)
    trajectory_start(client=second, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    first_page = fhir("Patient?_count=1").json()
    assert len(first_page["entry"]) == 1
    next_url = next(link["url"] for link in first_page["link"] if link["relation"] == "next")
    assert next_url.startswith("http")
    second_page = fhir(next_url.split("/fhir/R4/", 1)[1]).json()
    ids = {first_page["entry"][0]["resource"]["id"], second_page["entry"][0]["resource"]["id"]}
    assert ids == {team.client.pseudonym, second.pseudonym}
    assert not [link for link in second_page["link"] if link["relation"] == "next"]


@pytest.mark.parametrize("query", [
    "Patient?_count=0", "Patient?_count=1000", "Patient?_count=abc", "Patient?_offset=99999999",
    "Patient?colour=red", "Patient?_lastUpdated=yesterday", "Patient?_lastUpdated=ge0001-01-01",
    "CarePlan?patient=../etc", "CarePlan?status=DROP%20TABLE", "Task?status=done",
])
def test_hostile_search_parameters_get_a_400(fhir, team, query):
    response = fhir(query)
    assert response.status_code == 400, (query, response.content)
    assert response.json()["resourceType"] == "OperationOutcome"


def test_last_updated_narrows_the_search(fhir, team):
    assert len(fhir("Patient?_lastUpdated=ge2000-01-01").json()["entry"]) == 1
    assert "entry" not in fhir("Patient?_lastUpdated=lt2000-01-01").json()


def test_writes_are_not_offered_yet(client, fhir, team):
    from werkbrug.interchange.fhir.views import VIEWS  # noqa: F401 — the routes exist

    response = client.post(f"/fhir/R4/Patient/{team.client.pseudonym}", {}, HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 401
