"""The API: same services and policy as the pages; errors as problem+json; one log record per GET."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.clients.models import Client, ConsentMethod, ConsentState
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.trajectories.models import Intake, TeamMembership, Trajectory

VALID_BSN = "111222333"
PROBLEM = "application/problem+json"


@pytest.fixture
def api(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _codes(response) -> set[str]:
    assert response["Content-Type"].startswith(PROBLEM), response.content
    return {e["code"] for e in response.json().get("errors", [])}


def _register_body(**extra):
    body = {"first_name": "Bram", "last_name": "Smit", "date_of_birth": "1980-01-01", "bsn": VALID_BSN,
            "role": Role.JOBCOACH, "consent_method": ConsentMethod.PAPER}
    body.update(extra)
    return body


def test_register_and_read(api, jobcoach):
    c = api(jobcoach)
    response = c.post("/api/v1/clients/", _register_body(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bsn"] == VALID_BSN and body["trajectory"] == Trajectory.objects.get().pk
    detail = c.get(f"/api/v1/clients/{body['id']}/").json()
    assert detail["pseudonym"] == Client.objects.get().pseudonym
    caseload = c.get("/api/v1/trajectories/").json()
    assert caseload["next"] is None and caseload["results"][0]["client_name"] == "Bram Smit"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (_register_body(bsn="123456789"), 400, "invalid_bsn"),
        (_register_body(date_of_birth="2999-01-01"), 400, "future"),
        (_register_body(role="manager"), 400, "role"),
        (_register_body(consent_method="portal"), 400, "method"),
        (_register_body(date_of_birth="gisteren"), 400, "invalid"),
    ],
)
def test_register_bad_input(api, jobcoach, body, status, code):
    response = api(jobcoach).post("/api/v1/clients/", body, content_type="application/json")
    assert response.status_code == status
    assert code in _codes(response)
    assert not Client.objects.exists()


def test_duplicate_bsn_in_dutch_and_english(api, jobcoach):
    c = api(jobcoach)
    c.post("/api/v1/clients/", _register_body(), content_type="application/json")
    # The same name and date of birth: first "possibly known in the region" (nothing more) …
    known = c.post("/api/v1/clients/", _register_body(), content_type="application/json")
    assert known.status_code == 400 and _codes(known) == {"possibly_known"}
    # … and registered anyway, the BSN's uniqueness refuses it.
    again = {**_register_body(), "different_person": True}
    response = c.post("/api/v1/clients/", again, content_type="application/json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400 and "duplicate_bsn" in _codes(response)
    assert "al een cliënt met dit BSN" in response.json()["detail"]
    english = c.post("/api/v1/clients/", again, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert "already registered" in english.json()["detail"]
    assert Client.objects.count() == 1


def test_bsn_is_null_without_legal_basis(api, team, make_org, make_person):
    from werkbrug.clients.services import client_update, consent_grant
    from werkbrug.trajectories.services import team_member_add

    client_update(client=team.client, changed_by=team.jobcoach, bsn=VALID_BSN)
    org = make_org(OrganisationType.REINTEGRATION, "Re-integratie Test")
    coach = make_person(org, Role.JOBCOACH)
    consent_grant(client=team.client, organisation=org, category=DataCategory.PARTICIPATION,
                  recorded_by=coach, method=ConsentMethod.PAPER, evidence="Formulier")
    team_member_add(trajectory=team.trajectory, person=coach, role=Role.JOBCOACH, added_by=team.jobcoach)
    body = api(coach).get(f"/api/v1/clients/{team.client.pk}/").json()
    assert body["bsn"] is None and body["has_bsn"] is True


def test_consent_grant_withdraw_and_stale(api, team):
    c = api(team.labour_expert)  # UWV's consent, recorded by UWV (the policy's `consent.record`)
    url = f"/api/v1/clients/{team.client.pk}/consents/"
    state = ConsentState.objects.get(organisation=team.uwv, category=DataCategory.WORK_INCOME)
    body = {"organisation": team.uwv.pk, "category": "work_income", "method": "verbal", "expected_version": state.version,
            "evidence": "Gespreksverslag 3 mei"}
    assert c.post(url + "withdraw/", body, content_type="application/json").status_code == 200
    stale = c.post(url, {**body, "method": "paper"}, content_type="application/json")
    assert stale.status_code == 400 and "stale" in _codes(stale)
    again = c.post(url + "withdraw/", body, content_type="application/json")
    assert again.status_code == 400 and "stale" in _codes(again)
    end_before_start = c.post(url, {"organisation": team.uwv.pk, "category": "debts", "method": "paper", "evidence": "F",
                                    "given_on": "2026-05-01", "valid_until": "2026-04-01"}, content_type="application/json")
    assert end_before_start.status_code == 400 and "end_before_start" in _codes(end_before_start)
    listing = c.get(url).json()
    assert any(s["category"] == "work_income" and not s["granted"] for s in listing["current"])
    assert listing["history"][0]["kind"] == "withdraw"


def test_team_add_errors_and_success(api, team, make_org, make_person):
    c = api(team.jobcoach)
    url = f"/api/v1/trajectories/{team.trajectory.pk}/team/"
    debt_org = make_org(OrganisationType.DEBT_COUNSELLING, "Schuld Test")
    counsellor = make_person(debt_org, Role.DEBT_COUNSELLOR)
    unknown = c.post(url, {"person": 987654, "role": "debt_counsellor"}, content_type="application/json")
    assert unknown.status_code == 400 and "unknown_member" in _codes(unknown)
    unconsented = c.post(url, {"person": counsellor.pk, "role": "debt_counsellor"}, content_type="application/json")
    assert unconsented.status_code == 400 and "no_consent" in _codes(unconsented)
    second = c.post(url, {"person": team.outsider.pk, "role": "therapist", "plan_director": True},
                    content_type="application/json")
    assert second.status_code == 400 and "second_plan_director" in _codes(second)
    # Outside the team, the consent API answers the debt counsellor as if the client did not exist
    # (consent.manage: the client or a team member); the service records the consent given to
    # their organisation (consent.record), then they are added.
    refused = api(counsellor).post(f"/api/v1/clients/{team.client.pk}/consents/", {
        "organisation": debt_org.pk, "category": "participation", "method": "paper", "evidence": "Formulier S-1",
    }, content_type="application/json")
    assert refused.status_code == 404
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant

    consent_grant(client=team.client, organisation=debt_org, category="participation", recorded_by=counsellor,
                  method=ConsentMethod.PAPER, evidence="Formulier S-1")
    c = api(team.jobcoach)
    ok = c.post(url, {"person": counsellor.pk, "role": "debt_counsellor"}, content_type="application/json")
    assert ok.status_code == 201
    member = ok.json()["id"]
    assert c.delete(f"{url}{member}/").status_code == 204
    assert not TeamMembership.objects.filter(pk=member, left_at__isnull=True).exists()


def test_hand_over(api, team):
    c = api(team.labour_expert)
    url = f"/api/v1/trajectories/{team.trajectory.pk}/hand-over/"
    denied = c.post(url, {"new_director": team.labour_expert.pk}, content_type="application/json")
    assert denied.status_code == 404 and denied["Content-Type"].startswith(PROBLEM)
    assert denied.json()["code"] == "not_found"
    response = api(team.jobcoach).post(url, {"new_director": team.labour_expert.pk, "note": "over"},
                                       content_type="application/json")
    assert response.status_code == 200
    assert response.json()["plan_director"]["id"] == team.labour_expert.pk
    assert len(response.json()["plan_director_history"]) == 2


def test_intake_save_sections_and_stale(api, team):
    url = f"/api/v1/trajectories/{team.trajectory.pk}/intake/"
    uwv = api(team.labour_expert)
    hidden = uwv.put(url, {"data": {"support_needs": "x"}}, content_type="application/json")
    assert hidden.status_code == 400 and "not_consented" in _codes(hidden)
    saved = uwv.put(url, {"data": {"work_history": "Magazijn", "wished_hours_per_week": "24"}, "expected_version": 0},
                    content_type="application/json")
    assert saved.status_code == 200, saved.content
    sections = {s["key"]: s for s in saved.json()["sections"]}
    assert sections["support_needs"]["shared"] is False and sections["support_needs"]["values"] is None
    assert sections["wishes"]["values"]["wished_hours_per_week"] == 24
    stale = uwv.put(url, {"data": {"education": "mbo"}, "expected_version": 0}, content_type="application/json")
    assert stale.status_code == 400 and "stale" in _codes(stale)
    bad = uwv.put(url, {"data": {"wished_hours_per_week": "veel"}}, content_type="application/json")
    assert bad.status_code == 400
    incomplete = uwv.put(url, {"data": {}, "complete": True}, content_type="application/json")
    assert incomplete.status_code == 400 and "incomplete" in _codes(incomplete)
    unknown = uwv.put(url, {"data": {"diagnosis": "x"}}, content_type="application/json")
    assert unknown.status_code == 400 and "unknown_field" in _codes(unknown)
    assert Intake.objects.get().version == 1


def test_outsider_gets_problem_404(api, team):
    c = api(team.outsider)
    for url in (f"/api/v1/trajectories/{team.trajectory.pk}/", f"/api/v1/clients/{team.client.pk}/",
                f"/api/v1/trajectories/{team.trajectory.pk}/intake/", f"/api/v1/clients/{team.client.pk}/consents/"):
        response = c.get(url)
        assert response.status_code == 404 and response["Content-Type"].startswith(PROBLEM)
    put = c.put(f"/api/v1/trajectories/{team.trajectory.pk}/intake/", {"data": {}}, content_type="application/json")
    assert put.status_code == 404


def test_every_api_get_logs_once(api, team):
    t, cl = team.trajectory.pk, team.client.pk
    urls = ["/api/v1/trajectories/", "/api/v1/trajectories/?q=Sam&sort=-started", f"/api/v1/trajectories/{t}/",
            f"/api/v1/trajectories/{t}/intake/", f"/api/v1/clients/{cl}/", f"/api/v1/clients/{cl}/consents/"]
    assert_each_request_logged_once(api(team.labour_expert), [("GET", u) for u in urls])


def test_schema_builds(api, team):
    response = api(team.jobcoach).get(reverse("api:schema"))
    assert response.status_code == 200
    assert b"/api/v1/trajectories/{id}/intake/" in response.content


def test_close_end_before_start_and_close(api, team):
    c = api(team.jobcoach)
    url = f"/api/v1/trajectories/{team.trajectory.pk}/close/"
    body = {"reason": "work_found", "outcome": "paid_work"}
    before = c.post(url, {**body, "ended_on": "2000-01-01"}, content_type="application/json")
    assert before.status_code == 400 and "end_before_start" in _codes(before)
    closed = c.post(url, body, content_type="application/json").json()
    assert closed["status"] == "closed" and closed["close_reason"] == "work_found"
    assert [e["kind"] for e in closed["events"]] == ["closed"]
    # Closing again: the trajectory is the plan director's no more (404, as for any other client).
    assert c.post(url, body, content_type="application/json").status_code == 404
