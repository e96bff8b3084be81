"""FHIR: signals as Communication (read, search, create), Task status from the system, AuditEvent."""

from __future__ import annotations

import json

import pytest

from werkbrug.collaboration.models import Signal
from werkbrug.collaboration.services import signal_create
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.interchange.models import all_scopes
from werkbrug.interchange.services import system_register
from werkbrug.notifications.models import Notification
from werkbrug.plans.models import Action, ActionStatus

pytestmark = pytest.mark.django_db

CATEGORY = "https://werkbrug.nl/fhir/StructureDefinition/signal-category"


@pytest.fixture
def plan(team):
    from tests.plans.conftest import goals_for
    from werkbrug.plans.services import plan_save

    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)


@pytest.fixture
def send(client, system, get_token):
    token = get_token(system)

    def request(method: str, path: str, body, content_type: str = "application/fhir+json"):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return client.generic(method, f"/fhir/R4/{path}", data, content_type=content_type,
                              HTTP_AUTHORIZATION=f"Bearer {token}")

    return request


def signal_body(team, **over):
    body = {
        "resourceType": "Communication", "status": "completed",
        "subject": {"reference": f"Patient/{team.client.pseudonym}"},
        "about": [{"reference": f"CarePlan/{team.trajectory.pk}"}],
        "category": [{"coding": [{"system": CATEGORY, "code": "mood"}]}],
        "priority": "urgent", "payload": [{"contentString": "Slaapt slecht sinds de verhuizing."}],
    }
    body.update(over)
    return body


def test_a_signal_reads_as_communication_with_its_acknowledgements(fhir, team):
    signal = signal_create(trajectory=team.trajectory, author=team.labour_expert, category="work", urgency="normal",
                           text="Werkgever belde.", recipients=[team.jobcoach])
    read = fhir(f"Communication/{signal.pk}").json()
    assert read["payload"] == [{"contentString": "Werkgever belde."}]
    assert read["category"][0]["coding"][0]["code"] == "work" and read["priority"] == "routine"
    assert [r["display"] for r in read["recipient"]] == ["Jet Coach"]
    assert all(e["extension"][1:] == [] for e in read["extension"])  # not yet acknowledged
    found = fhir(f"Communication?patient={team.client.pseudonym}").json()["entry"]
    assert [e["resource"]["id"] for e in found] == [str(signal.pk)]


def test_the_system_sends_a_signal_to_the_team(send, team, system):
    response = send("POST", "Communication", signal_body(team))
    assert response.status_code == 201, response.content
    signal = Signal.objects.get()
    assert response["Location"].endswith(f"/fhir/R4/Communication/{signal.pk}")
    assert signal.author == team.jobcoach and signal.urgency == "urgent" and signal.whole_team
    assert list(signal.recipients.values_list("person", flat=True)) == [team.labour_expert.pk]
    # The recipient is told through the notification service, as for a signal sent in the pages.
    assert Notification.objects.filter(recipient=team.labour_expert, kind="signal_received").exists()
    record = AccessLogRecord.objects.filter(action="signal.create").latest("id")
    assert record.code == "C" and "via GGZ-dossier" in record.purpose


def test_a_signal_about_a_trajectory_outside_the_caseload_is_a_404_before_validation(send, team, make_client):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import trajectory_start

    other = make_client(team.outsider)
    theirs = trajectory_start(client=other, started_by=team.outsider, role=Role.THERAPIST,
                              consent_method=ConsentMethod.VERBAL)
    # An invalid body about a forbidden trajectory answers exactly as about a missing one.
    forbidden = send("POST", "Communication", signal_body(team, about=[{"reference": f"CarePlan/{theirs.pk}"}],
                                                          payload=[]))
    missing = send("POST", "Communication", signal_body(team, about=[{"reference": "CarePlan/987654321"}], payload=[]))
    assert forbidden.status_code == missing.status_code == 404
    assert not Signal.objects.exists()


@pytest.mark.parametrize("change, status", [
    ({"category": [{"coding": [{"system": CATEGORY, "code": "gossip"}]}]}, 422),
    ({"priority": "stat"}, 422),
    ({"payload": [{"contentString": "   "}]}, 422),
    ({"payload": []}, 422),
    ({"about": []}, 422),
    ({"subject": {"reference": "Patient/SOMEONE"}}, 422),
    ({"resourceType": "Patient"}, 400),
])
def test_invalid_communications_are_refused_with_an_operation_outcome(send, team, change, status):
    response = send("POST", "Communication", signal_body(team, **change))
    assert response.status_code == status, response.content
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Signal.objects.exists()


@pytest.mark.parametrize("body, content_type, status", [
    ("{not json", "application/fhir+json", 400),
    ("[" * 100 + "]" * 100, "application/fhir+json", 400),
    ('{"resourceType": "Communication", "n": 99999999999999999999999}', "application/fhir+json", 400),
    ("x" * 70000, "application/fhir+json", 413),
    ("resourceType=Communication", "application/x-www-form-urlencoded", 415),
])
def test_hostile_bodies_get_a_4xx(send, body, content_type, status):
    assert send("POST", "Communication", body, content_type).status_code == status


def test_a_read_only_token_cannot_write(client, system, get_token, team):
    token = get_token(system, scope="system/Communication.read")
    response = client.post("/fhir/R4/Communication", json.dumps(signal_body(team)),
                           content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert not Signal.objects.exists()


def test_the_system_records_an_action_done(send, fhir, team, plan):
    action = Action.objects.filter(version=plan, owner_is_client=False).get()
    task = fhir(f"Task/{action.pk}").json()
    response = send("PUT", f"Task/{action.pk}", {**task, "status": "completed"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert send("PUT", f"Task/{action.pk}", {**task, "status": "on-hold"}).status_code == 422
    assert send("PUT", f"Task/{action.pk}", {**task, "id": "1"}).status_code == 400


def test_task_update_checks_before_it_reads_the_body(client, team, plan, region_admin, get_token):
    """The UWV's system, once the UWV lost the plan consent: its garbage body about a real action
    answers exactly as about a missing one."""
    from types import SimpleNamespace

    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw
    from werkbrug.core.choices import DataCategory

    uwv_system, secret = system_register(actor=region_admin, organisation=team.uwv, name="UWV-systeem",
                                         scopes=all_scopes(), acting_person=team.labour_expert)
    token = get_token(SimpleNamespace(client=uwv_system, secret=secret))
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    action = Action.objects.filter(version=plan).first()

    def put(pk):
        return client.generic("PUT", f"/fhir/R4/Task/{pk}", "{garbage", content_type="application/fhir+json",
                              HTTP_AUTHORIZATION=f"Bearer {token}")

    forbidden, missing = put(action.pk), put(987654321)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() | {"issue": forbidden.json()["issue"]}
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_audit_events_are_for_the_privacy_officer_only(client, fhir, team, privacy_officer, region_admin, get_token):
    from types import SimpleNamespace

    assert fhir(f"AuditEvent?patient={team.client.pseudonym}").status_code == 404 or \
        fhir(f"AuditEvent?patient={team.client.pseudonym}").status_code == 403
    officer_system, secret = system_register(actor=region_admin, organisation=privacy_officer.organisation,
                                             name="Privacytool", scopes=all_scopes(), acting_person=privacy_officer)
    token = get_token(SimpleNamespace(client=officer_system, secret=secret))
    fhir(f"Patient/{team.client.pseudonym}")  # the GGZ system reads the client: one record
    response = client.get(f"/fhir/R4/AuditEvent?patient={team.client.pseudonym}&_count=100",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    events = [e["resource"] for e in response.json()["entry"]]
    assert events and all(e["entity"][0]["what"]["reference"] == f"Patient/{team.client.pseudonym}" for e in events)
    read = [e for e in events if e["subtype"][0]["code"] == "client.view"]
    assert read and read[0]["agent"][0]["who"]["display"] == "Jet Coach"
    assert "via GGZ-dossier" in read[0]["agent"][0]["purposeOfUse"][0]["text"]
    one = client.get(f"/fhir/R4/AuditEvent/{read[0]['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert one.status_code == 200 and one.json()["recorded"] == read[0]["recorded"]


def test_capability_statement_lists_the_writes(client):
    resources = {r["type"]: {i["code"] for i in r["interaction"]}
                 for r in client.get("/fhir/R4/metadata").json()["rest"][0]["resource"]}
    assert "create" in resources["Communication"] and "update" in resources["Task"]
    assert "create" not in resources["Patient"]
