"""FHIR: appointments as Appointment, read and searched under the appointment page's policy."""

from __future__ import annotations

import pytest

from tests.appointments.conftest import at, plan  # noqa: F401  (the fixture)
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db


def test_an_appointment_reads_as_the_page_shows_it(fhir, plan, team):  # noqa: F811
    appointment = plan(video_link="https://meet.example.org/abc", employer_contact_name="Piet Werkgever")
    response = fhir(f"Appointment/{appointment.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["resourceType"] == "Appointment" and body["status"] == "booked"
    assert body["start"] == "2026-03-30T10:00:00+02:00" and body["end"] == "2026-03-30T11:00:00+02:00"
    actors = [p["actor"] for p in body["participant"]]
    assert actors[0]["reference"] == f"Patient/{team.client.pseudonym}"
    displays = [a.get("display") for a in actors[1:]]
    assert "Jet Coach" in displays and "Piet Werkgever" in displays and "UWV Tiel, spreekkamer 2" in displays
    assert {"url": "https://werkbrug.nl/fhir/StructureDefinition/video-link",
            "valueUrl": "https://meet.example.org/abc"} in body["extension"]
    assert {"reference": f"CarePlan/{team.trajectory.pk}"} in body["supportingInformation"]
    record = AccessLogRecord.objects.filter(action="appointment.view").latest("id")
    assert record.client_pseudonym == team.client.pseudonym and record.granted
    assert "via GGZ-dossier" in record.purpose


def test_a_winter_appointment_has_the_winter_offset(fhir, plan):  # noqa: F811
    appointment = plan(starts_at=at(2026, 12, 14, 9), ends_at=at(2026, 12, 14, 9, 30), now=at(2026, 12, 1, 9))
    body = fhir(f"Appointment/{appointment.pk}").json()
    assert body["start"] == "2026-12-14T09:00:00+01:00" and body["end"] == "2026-12-14T09:30:00+01:00"


def test_search_by_patient_status_and_last_updated(fhir, plan, team):  # noqa: F811
    from werkbrug.appointments.services import appointment_cancel

    first = plan()
    second = plan(starts_at=at(2026, 4, 2, 10), ends_at=at(2026, 4, 2, 11))
    appointment_cancel(cancelled_by=team.jobcoach, appointment=second, reason="Ziek", now=at(2026, 3, 21, 9))
    found = fhir(f"Appointment?patient=Patient/{team.client.pseudonym}").json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(first.pk), str(second.pk)]
    booked = fhir(f"Appointment?patient={team.client.pseudonym}&status=booked").json()
    assert [e["resource"]["id"] for e in booked["entry"]] == [str(first.pk)]
    cancelled = fhir("Appointment?status=cancelled").json()
    assert [e["resource"]["id"] for e in cancelled["entry"]] == [str(second.pk)]
    assert fhir("Appointment?_lastUpdated=gt2100-01-01").json().get("entry", []) == []
    assert fhir("Appointment?status=planned").status_code == 400


def test_without_consent_the_appointment_is_gone_and_a_404(fhir, plan, team):  # noqa: F811
    appointment = plan()
    assert fhir(f"Appointment/{appointment.pk}").status_code == 200
    consent_withdraw(client=team.client, organisation=team.ggz, category=DataCategory.PARTICIPATION,
                     recorded_by=team.jobcoach, method=ConsentMethod.VERBAL)
    response = fhir(f"Appointment/{appointment.pk}")
    assert response.status_code == 404 and response.json()["resourceType"] == "OperationOutcome"
    assert fhir(f"Appointment?patient={team.client.pseudonym}").json().get("entry", []) == []
    assert fhir("Appointment").json().get("entry", []) == []


def test_missing_and_other_ids_are_404(fhir):
    assert fhir("Appointment/999999").status_code == 404
    assert fhir("Appointment/abc").status_code == 404


def test_capability_statement_lists_appointment(client):
    types = {r["type"] for r in client.get("/fhir/R4/metadata").json()["rest"][0]["resource"]}
    assert "Appointment" in types


def test_a_search_costs_one_access_log_record_per_appointment(fhir, plan, django_assert_max_num_queries):  # noqa: F811
    for day in range(1, 6):
        plan(starts_at=at(2026, 4, day, 10), ends_at=at(2026, 4, day, 11))
    fhir("Appointment?_count=1")  # token and caches warm
    with django_assert_max_num_queries(10):
        assert len(fhir("Appointment").json()["entry"]) == 5


def test_an_appointment_without_a_client_is_for_those_taking_part(fhir, team, get_token, client, region_admin):
    from types import SimpleNamespace

    from werkbrug.appointments.services import appointment_plan
    from werkbrug.interchange.models import all_scopes
    from werkbrug.interchange.services import system_register

    meeting = appointment_plan(planned_by=team.jobcoach, trajectory=None, kind="support_group",
                               starts_at=at(2026, 5, 4, 14), ends_at=at(2026, 5, 4, 16),
                               video_link="https://meet.example.org/groep", now=at(2026, 4, 1, 9))
    body = fhir(f"Appointment/{meeting.pk}").json()
    assert "supportingInformation" not in body and body["participant"][0]["actor"]["display"] == "Jet Coach"
    registered, secret = system_register(actor=region_admin, organisation=team.ggz, name="Ander systeem",
                                         scopes=all_scopes(), acting_person=team.outsider)
    token = get_token(SimpleNamespace(client=registered, secret=secret))
    response = client.get(f"/fhir/R4/Appointment/{meeting.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
