from datetime import date

import pytest
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.core.models import AccessLogRecord
from werkbrug.employment.models import EmployerContact, Job, PhaseChange
from werkbrug.employment.services import job_start, phase_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(ips_team):
    return job_start(trajectory=ips_team.trajectory, recorded_by=ips_team.jobcoach, employer_name="Bakkerij Bos",
                     job_title="Bakker", start=date(2026, 2, 2), hours_per_week="24", hourly_wage="15",
                     contract_type="fixed_term", competitive=True)


def test_every_page_and_endpoint_logs_once(client, ips_team, job):
    t = ips_team.trajectory.pk
    client.force_login(ips_team.jobcoach)
    assert_each_request_logged_once(client, [
        ("get", reverse("employment:index")),
        ("get", reverse("employment:ips", kwargs={"trajectory_pk": t})),
        ("get", reverse("employment:phase_change", kwargs={"trajectory_pk": t})),
        ("get", reverse("employment:employer_contact_create", kwargs={"trajectory_pk": t})),
        ("get", reverse("employment:job_start", kwargs={"trajectory_pk": t})),
        ("get", reverse("employment:job_end", kwargs={"trajectory_pk": t, "pk": job.pk})),
        ("get", f"/api/v1/trajectories/{t}/ips/"),
        ("get", f"/api/v1/trajectories/{t}/employer-contacts/"),
        ("get", f"/api/v1/trajectories/{t}/jobs/"),
        ("get", "/api/v1/ips-outcomes/"),
    ])
    before = AccessLogRecord.objects.count()
    response = client.post(reverse("employment:phase_change", kwargs={"trajectory_pk": t}),
                           {"phase": "job_search", "changed_on": "2026-02-01"})
    assert response.status_code == 302 and AccessLogRecord.objects.count() == before + 1
    response = client.post(f"/api/v1/jobs/{job.pk}/end/", {"end": "2026-01-01", "reason": "resigned"},
                           content_type="application/json")
    assert response.status_code == 400 and AccessLogRecord.objects.count() == before + 2


def test_outsider_and_colleague_without_consent_get_404(client, ips_team, job):
    t = ips_team.trajectory.pk
    for person in (ips_team.outsider, ips_team.labour_expert):
        client.force_login(person)
        assert client.get(reverse("employment:ips", kwargs={"trajectory_pk": t})).status_code == 404
        response = client.get(f"/api/v1/trajectories/{t}/ips/")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        response = client.post(f"/api/v1/trajectories/{t}/jobs/", {
            "employer_name": "X", "job_title": "Y", "start": "2026-02-02", "hours_per_week": "8",
            "contract_type": "other", "competitive": True}, content_type="application/json")
        assert response.status_code == 404
        # The caseload overview does not list the client.
        assert client.get("/api/v1/ips-outcomes/").json()["totals"]["clients"] == 0
    assert Job.objects.count() == 1


def test_ips_page_flow(client, ips_team):
    t = ips_team.trajectory.pk
    client.force_login(ips_team.jobcoach)
    response = client.post(reverse("employment:phase_change", kwargs={"trajectory_pk": t}),
                           {"phase": "intake", "changed_on": "2026-01-10", "note": ""})
    assert response.status_code == 302
    client.post(reverse("employment:employer_contact_create", kwargs={"trajectory_pk": t}),
                {"contacted_on": "2026-02-01", "employer_name": "Van Doorn", "kind": "first_contact"})
    client.post(reverse("employment:job_start", kwargs={"trajectory_pk": t}), {
        "employer_name": "Van Doorn", "job_title": "Plukker", "start": "2026-03-02", "hours_per_week": "20",
        "hourly_wage": "14.71", "contract_type": "fixed_term", "competitive": "on"})
    page = client.get(reverse("employment:ips", kwargs={"trajectory_pk": t})).content.decode()
    assert "Intake" in page and "Van Doorn" in page and "Plukker" in page and "Werkt 20 uur per week of meer" in page
    assert PhaseChange.objects.count() == 1 and EmployerContact.objects.count() == 1 and Job.objects.count() == 1
    job = Job.objects.get()
    response = client.post(reverse("employment:job_end", kwargs={"trajectory_pk": t, "pk": job.pk}),
                           {"end": "2026-03-01", "reason": "resigned"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de startdatum" in response.content.decode()
    job.refresh_from_db()
    assert job.end is None


def test_job_start_with_zero_hours_shows_the_error(client, ips_team):
    client.force_login(ips_team.jobcoach)
    response = client.post(reverse("employment:job_start", kwargs={"trajectory_pk": ips_team.trajectory.pk}), {
        "employer_name": "Van Doorn", "job_title": "Plukker", "start": "2026-03-02", "hours_per_week": "0",
        "contract_type": "fixed_term"})
    assert response.status_code == 200
    assert "moet meer dan 0 zijn" in response.content.decode()
    assert not Job.objects.exists()


def test_api_flow_and_problem_json(client, ips_team):
    t = ips_team.trajectory.pk
    client.force_login(ips_team.jobcoach)
    response = client.post(f"/api/v1/trajectories/{t}/ips/phase-changes/", {"phase": "job_search", "changed_on": "2026-02-01"},
                           content_type="application/json")
    assert response.status_code == 201
    response = client.post(f"/api/v1/trajectories/{t}/ips/phase-changes/", {"phase": "job_search"},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "phase"
    assert response.json()["errors"][0]["code"] == "same_phase"
    response = client.post(f"/api/v1/trajectories/{t}/jobs/", {
        "employer_name": "X", "job_title": "Y", "start": "2026-02-02", "hours_per_week": "-2",
        "contract_type": "other", "competitive": True}, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "hours_per_week"
    assert response.json()["errors"][0]["code"] == "min_value"
    response = client.post(f"/api/v1/trajectories/{t}/jobs/", {
        "employer_name": "X", "job_title": "Y", "start": "2026-02-02", "hours_per_week": "32", "hourly_wage": "15",
        "contract_type": "permanent", "competitive": True}, content_type="application/json")
    assert response.status_code == 201
    response = client.post(f"/api/v1/trajectories/{t}/employer-contacts/", {
        "contacted_on": "2026-01-20", "employer_name": "X", "kind": "placement_talk"}, content_type="application/json")
    assert response.status_code == 201
    body = client.get(f"/api/v1/trajectories/{t}/ips/").json()
    assert body["phase"] == "job_search" and len(body["jobs"]) == 1 and len(body["employer_contacts"]) == 1
    assert body["outcomes"]["ever_employed"] is True and body["outcomes"]["days_to_first_job"] == 28
    totals = client.get("/api/v1/ips-outcomes/").json()["totals"]
    assert totals["clients"] == 1 and totals["ever_employed"] == 1


def test_outcomes_page_query_count_does_not_grow(client, ips_team, job, django_assert_max_num_queries):
    phase_change(trajectory=ips_team.trajectory, changed_by=ips_team.jobcoach, phase="job_support",
                 changed_on=date(2026, 2, 2))
    client.force_login(ips_team.jobcoach)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("employment:index")).content.decode()
    assert "Begeleiding op het werk" in page and ips_team.client.full_name in page
