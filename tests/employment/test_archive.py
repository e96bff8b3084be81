"""The IPS page of a closed trajectory (phases, employer contacts, jobs): read-only for its former
team (the archive's rule, `trajectory_data`), in pages and the API; not for an outsider, and not for
whoever is in the client's next trajectory. Nobody records anything in it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.employment import services
from werkbrug.employment.models import EmployerContact
from werkbrug.trajectories.services import trajectory_close, trajectory_start

CLOSE = {"reason": "work_found", "outcome": "paid_work", "note": ""}
API = "/api/v1/"


def test_the_former_team_reads_the_closed_ips_page_and_nobody_else(ips_team, as_user, make_person):
    from werkbrug.clients.services import consent_grant

    team = ips_team
    consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.JOB_OUTCOMES,
                  recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Getekend formulier T-2")
    services.employer_contact_record(trajectory=team.trajectory, recorded_by=team.jobcoach, contacted_on=date(2026, 5, 4),
                                     employer_name="Kwekerij De Linde", kind="first_contact")
    job = services.job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Kwekerij De Linde",
                             job_title="Kweker", start=date(2026, 5, 11), hours_per_week=20, hourly_wage="15.40",
                             contract_type="fixed_term", competitive=True)
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **CLOSE)
    t = team.trajectory.pk
    pages = {"ips": reverse("employment:ips", kwargs={"trajectory_pk": t}), "api ips": f"{API}trajectories/{t}/ips/"}
    former = as_user(team.labour_expert)
    for name, url in pages.items():
        assert former.get(url).status_code == 200, name
    page = former.get(pages["ips"]).content.decode()
    assert "Kwekerij De Linde" in page
    # Read-only: no button to change the phase, record a contact, a job or its end …
    for name in ("employment:phase_change", "employment:employer_contact_create", "employment:job_start"):
        assert reverse(name, kwargs={"trajectory_pk": t}) not in page
    assert reverse("employment:job_end", kwargs={"trajectory_pk": t, "pk": job.pk}) not in page
    # … and every write refused, pages and API alike.
    assert former.get(reverse("employment:employer_contact_create", kwargs={"trajectory_pk": t})).status_code == 404
    assert former.post(reverse("employment:employer_contact_create", kwargs={"trajectory_pk": t}),
                       {"employer_name": "X"}).status_code == 404
    assert former.post(f"{API}trajectories/{t}/employer-contacts/", {"employer_name": "X"},
                       content_type="application/json").status_code == 404
    assert as_user(team.jobcoach).post(f"{API}jobs/{job.pk}/end/", {"end": "2026-05-20", "reason": "other"},
                                       content_type="application/json").status_code == 404
    assert EmployerContact.objects.count() == 1
    assert AccessLogRecord.objects.filter(action="ips.view", actor_id_snapshot=team.labour_expert.pk, granted=True,
                                          purpose="archive").exists()
    outsider = as_user(team.outsider)
    assert all(outsider.get(url).status_code == 404 for url in pages.values())
    # The client's next trajectory, with another jobcoach: the closed file stays its old team's.
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    assert all(as_user(newcomer).get(url).status_code == 404 for url in pages.values())
