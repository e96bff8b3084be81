"""The appointments of a closed trajectory: read-only for its former team (the archive's rule,
`trajectory_data`), in pages and the API; not for an outsider, and not for whoever is in the
client's next trajectory. Nobody plans, changes or cancels anything in it."""

from __future__ import annotations

from django.urls import reverse

from werkbrug.appointments.models import Appointment
from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.services import trajectory_close, trajectory_start

from .conftest import at

CLOSE = {"reason": "work_found", "outcome": "paid_work", "note": ""}
API = "/api/v1/"


def test_the_former_team_reads_the_closed_trajectorys_appointments_and_nobody_else(team, plan, as_user, make_person):
    appointment = plan(place="UWV Tiel, spreekkamer 7")
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **CLOSE)
    pages = {
        "list": reverse("appointments:trajectory", kwargs={"trajectory_pk": team.trajectory.pk}),
        "detail": reverse("appointments:detail", kwargs={"pk": appointment.pk}),
        "ics": reverse("appointments:ics", kwargs={"pk": appointment.pk}),
        "api list": f"{API}trajectories/{team.trajectory.pk}/appointments/",
        "api detail": f"{API}appointments/{appointment.pk}/",
    }
    former = as_user(team.labour_expert)
    for name, url in pages.items():
        assert former.get(url).status_code == 200, name
    listing = former.get(pages["list"]).content.decode()
    detail = former.get(pages["detail"]).content.decode()
    assert "spreekkamer 7" in detail
    # Read-only: no button to plan, change or cancel …
    assert reverse("appointments:trajectory_new", kwargs={"trajectory_pk": team.trajectory.pk}) not in listing
    assert reverse("appointments:edit", kwargs={"pk": appointment.pk}) not in detail
    assert reverse("appointments:cancel", kwargs={"pk": appointment.pk}) not in detail
    # … and every write refused, pages and API alike.
    assert former.get(reverse("appointments:trajectory_new", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404
    assert former.post(reverse("appointments:trajectory_new", kwargs={"trajectory_pk": team.trajectory.pk}),
                       {"kind": "conversation"}).status_code == 404
    assert former.get(reverse("appointments:edit", kwargs={"pk": appointment.pk})).status_code == 404
    assert former.post(reverse("appointments:cancel", kwargs={"pk": appointment.pk}), {"reason": "x"}).status_code == 404
    assert former.post(pages["api list"], {"kind": "conversation"}, content_type="application/json").status_code == 404
    assert former.patch(pages["api detail"], {"place": "Elders"}, content_type="application/json").status_code == 404
    assert former.post(f"{API}appointments/{appointment.pk}/cancel/", {"reason": "x"},
                       content_type="application/json").status_code == 404
    appointment.refresh_from_db()
    assert (appointment.status, appointment.place) == ("planned", "UWV Tiel, spreekkamer 7")
    # The reads are logged as the archive's.
    assert AccessLogRecord.objects.filter(action="appointment.list", actor_id_snapshot=team.labour_expert.pk,
                                          granted=True, purpose="archive").exists()
    assert AccessLogRecord.objects.filter(action="appointment.view", actor_id_snapshot=team.labour_expert.pk,
                                          granted=True, purpose="archive").exists()
    outsider = as_user(team.outsider)
    assert all(outsider.get(url).status_code == 404 for url in pages.values())
    # The client's next trajectory, with another jobcoach: the closed file stays its old team's.
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    newcomer_client = as_user(newcomer)
    assert all(newcomer_client.get(url).status_code == 404 for url in pages.values())
    assert newcomer_client.post(f"{API}appointments/{appointment.pk}/cancel/", {"reason": "x"},
                                content_type="application/json").status_code == 404
    assert appointment.pk not in [a["id"] for a in newcomer_client.get(f"{API}appointments/").json()["results"]]


def test_the_next_trajectorys_appointments_are_its_own_teams(team, plan, as_user, make_person):
    """The scope follows the appointment's own trajectory: the former team does not see what the
    client's next team plans, and the next team does not see the old ones in its lists or feed."""
    from werkbrug.appointments.selectors import my_appointments
    from werkbrug.appointments.services import appointment_plan

    old = plan()
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **CLOSE)
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    following = trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH,
                                 consent_method=ConsentMethod.VERBAL)
    new = appointment_plan(planned_by=newcomer, trajectory=following, kind="conversation", starts_at=at(2026, 4, 2, 10),
                           ends_at=at(2026, 4, 2, 11), place="GGZ Ede", now=at(2026, 3, 20, 9))
    assert list(my_appointments(user=newcomer, now=at(2026, 3, 21, 9))) == [new]
    assert list(my_appointments(user=team.jobcoach, now=at(2026, 3, 21, 9))) == [old]
    assert Appointment.objects.count() == 2
    assert as_user(team.jobcoach).get(reverse("appointments:detail", kwargs={"pk": new.pk})).status_code == 404
