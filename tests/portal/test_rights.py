"""The client's rights in the portal: their own intake, referrals and work; ticking off their own
actions; downloading everything about them (PDF and JSON, with the access log); asking for a
correction. Only their own file, every request logged with the client as the actor."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as BrowserClient
from django.urls import reverse

from tests.plans.conftest import goals_for
from werkbrug.core.choices import UserKind
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.notifications.models import Notification
from werkbrug.plans.models import Action, ActionStatusChange
from werkbrug.plans.services import plan_save
from werkbrug.portal.models import CorrectionRequest

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def file(team, client_user):
    """The client's file: an intake with a care and a debts section, a referral, a job, a plan."""
    from werkbrug.collaboration.services import referral_create
    from werkbrug.employment.services import job_start
    from werkbrug.trajectories.services import intake_save

    intake_save(trajectory=team.trajectory, saved_by=team.jobcoach,
                data={"support_needs": "Rustige werkplek nodig", "own_goal": "Werken in het groen"})
    referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=team.uwv,
                    service="reintegration", question="Ondersteuning bij solliciteren")
    job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Kwekerij De Linde",
              job_title="Hovenier", start=team.trajectory.started_on, hours_per_week="16",
              contract_type="fixed_term", competitive=True, hourly_wage="16.00")
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    return team


@pytest.fixture
def other_client(team, make_client):
    """Another client of the region, with a portal account and a plan of their own."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.core.choices import Role
    from werkbrug.trajectories.services import trajectory_start

    other = make_client(team.jobcoach, first_name="Anna")
    trajectory_start(client=other, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    user = User.objects.create_user(username="other.client", password="x" * 16, kind=UserKind.CLIENT, region=other.region)
    other.user = user
    other.save(update_fields=["user"])
    return user


def records_after(before: int):
    return list(AccessLogRecord.objects.filter(id__gt=before).order_by("id"))


def last_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_client_sees_their_intake_referrals_and_work_each_logged(client, file, client_user):
    client.force_login(client_user)
    before = last_id()
    page = client.get(reverse("portal:intake")).content.decode()
    assert "Rustige werkplek nodig" in page and "Werken in het groen" in page
    assert {(r.data_category, r.actor_id_snapshot, r.granted) for r in records_after(before)} == {
        (c, client_user.pk, True) for c in ("participation", "care", "debts", "work_income")}
    before = last_id()
    page = client.get(reverse("portal:referrals")).content.decode()
    assert "Ondersteuning bij solliciteren" in page and "UWV Test" in page
    assert [(r.action, r.data_category) for r in records_after(before)] == [("portal.referrals", "participation")]
    before = last_id()
    page = client.get(reverse("portal:jobs")).content.decode()
    assert "Hovenier" in page and "Kwekerij De Linde" in page
    assert [(r.action, r.data_category) for r in records_after(before)] == [("portal.jobs", "job_outcomes")]


def test_another_client_sees_none_of_it(client, file, other_client):
    client.force_login(other_client)
    for name in ("portal:intake", "portal:referrals", "portal:jobs", "portal:corrections"):
        page = client.get(reverse(name)).content.decode()
        assert "Rustige werkplek" not in page and "solliciteren" not in page and "Hovenier" not in page
    data = b"".join(client.get(reverse("portal:download_json")).streaming_content).decode()
    assert "Rustige werkplek" not in data and "Hovenier" not in data and file.client.pseudonym not in data


def test_professionals_get_404_on_the_clients_pages(client, file):
    client.force_login(file.jobcoach)
    for name in ("portal:intake", "portal:referrals", "portal:jobs", "portal:download_pdf", "portal:download_json",
                 "portal:corrections"):
        assert client.get(reverse(name)).status_code == 404


def test_the_client_ticks_off_their_own_action_and_the_plan_director_is_told(client, file, client_user):
    action = Action.objects.get(title="Cv bijwerken")
    client.force_login(client_user)
    before = last_id()
    response = client.post(reverse("portal:action_tick", kwargs={"action_pk": action.pk}), {"done": "1"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    change = ActionStatusChange.objects.get(action=action)
    assert (change.previous, change.new, change.changed_by_id) == ("open", "done", client_user.pk)
    assert [(r.action, r.code, r.actor_id_snapshot) for r in records_after(before)] == [
        ("plan.action_tick", "U", client_user.pk)]
    told = Notification.objects.get(kind="action_done_by_client")
    assert told.recipient_id == file.trajectory.plan_director_id
    assert "Cv" not in told.title  # a kind and a number, never the text
    # and back to open
    client.post(reverse("portal:action_tick", kwargs={"action_pk": action.pk}), {"done": "0"})
    action.refresh_from_db()
    assert action.status == "open"


def test_ticking_someone_elses_action_is_refused(client, file, client_user, other_client):
    jobcoach_action = Action.objects.get(title="Gesprek met werkgever plannen")
    own_action = Action.objects.get(title="Cv bijwerken")
    client.force_login(client_user)
    before = AccessLogRecord.objects.filter(granted=False).count()
    assert client.post(reverse("portal:action_tick", kwargs={"action_pk": jobcoach_action.pk}), {"done": "1"}).status_code == 404
    # another client cannot tick this client's action (404, as for a missing one)
    client.force_login(other_client)
    assert client.post(reverse("portal:action_tick", kwargs={"action_pk": own_action.pk}), {"done": "1"}).status_code == 404
    assert client.post(reverse("portal:action_tick", kwargs={"action_pk": 987654321}), {"done": "1"}).status_code == 404
    # professionals change statuses on their own page, not here
    client.force_login(file.jobcoach)
    assert client.post(reverse("portal:action_tick", kwargs={"action_pk": own_action.pk}), {"done": "1"}).status_code == 404
    assert AccessLogRecord.objects.filter(granted=False).count() - before == 3
    assert set(Action.objects.values_list("status", flat=True)) == {"open"}
    assert not ActionStatusChange.objects.exists()


def test_the_plan_page_offers_the_tick_only_for_the_clients_actions(client, file, client_user):
    client.force_login(client_user)
    page = client.get(reverse("portal:plan")).content.decode()
    own = Action.objects.get(title="Cv bijwerken")
    theirs = Action.objects.get(title="Gesprek met werkgever plannen")
    assert reverse("portal:action_tick", kwargs={"action_pk": own.pk}) in page
    assert reverse("portal:action_tick", kwargs={"action_pk": theirs.pk}) not in page
    assert "Dit heb ik gedaan" in page


def test_correction_request_reaches_the_plan_director(client, file, client_user):
    client.force_login(client_user)
    before = last_id()
    response = client.post(reverse("portal:corrections"), {"subject": "intake", "text": "Mijn opleiding ontbreekt: mbo 2 groen."})
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.client_id, request.trajectory_id, request.requested_by_id, request.state) == (
        file.client.pk, file.trajectory.pk, client_user.pk, "open")
    assert [(r.action, r.code, r.actor_id_snapshot) for r in records_after(before)] == [
        ("portal.correction", "C", client_user.pk)]
    told = Notification.objects.get(kind="correction_requested")
    assert told.recipient_id == file.trajectory.plan_director_id == file.jobcoach.pk
    assert "opleiding" not in told.title
    # the plan director reads it from the notification's link and answers; the client is told
    director = BrowserClient()
    director.force_login(file.jobcoach)
    assert "Mijn opleiding ontbreekt" in director.get(told.link).content.decode()
    response = director.post(told.link, {"answer": "Aangevuld in de intake."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "answered" and request.answered_by_id == file.jobcoach.pk
    assert Notification.objects.get(kind="correction_answered").recipient_id == client_user.pk
    assert "Aangevuld in de intake." in client.get(reverse("portal:corrections")).content.decode()


def test_only_the_plan_director_reads_a_correction_request(client, file, client_user):
    client.force_login(client_user)
    client.post(reverse("portal:corrections"), {"subject": "plan", "text": "De datum klopt niet."})
    url = reverse("portal:correction_request", kwargs={"pk": CorrectionRequest.objects.get().pk})
    for person in (file.labour_expert, file.outsider):  # in the team but not plan director; outside the team
        other = BrowserClient()
        other.force_login(person)
        assert other.get(url).status_code == 404
        assert other.post(url, {"answer": "x"}).status_code == 404
    assert CorrectionRequest.objects.get().state == "open"


def test_an_empty_correction_request_is_refused_in_dutch(client, file, client_user):
    client.force_login(client_user)
    response = client.post(reverse("portal:corrections"), {"subject": "", "text": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies…" in page and "---------" not in page
    assert not CorrectionRequest.objects.exists()


def test_download_json_has_everything_and_the_access_log(client, file, client_user):
    pro = BrowserClient()
    pro.force_login(file.labour_expert)
    pro.get(reverse("plans:plan", kwargs={"trajectory_pk": file.trajectory.pk}))
    client.force_login(client_user)
    before = last_id()
    with time_machine.travel(datetime(2026, 12, 4, 19, 56, tzinfo=AMS), tick=True):
        response = client.get(reverse("portal:download_json"))
        assert response.streaming and response["Content-Type"].startswith("application/json")
        data = json.loads(b"".join(response.streaming_content))
    # the download itself is logged: an export, one record per category, the client as actor
    records = records_after(before)
    assert {r.code for r in records} == {"E"} and {r.actor_id_snapshot for r in records} == {client_user.pk}
    assert {r.data_category for r in records} >= {"participation", "care", "plan", "job_outcomes"}
    assert data["client"]["pseudonym"] == file.client.pseudonym
    assert data["made_at"].startswith("2026-12-04T19:56") and data["made_at"].endswith("+01:00")
    trajectory = data["trajectories"][0]
    fields = {name: value for s in trajectory["intake"]["sections"] for name, value in s["fields"].items()}
    assert fields["support_needs"] == "Rustige werkplek nodig" and fields["own_goal"] == "Werken in het groen"
    assert trajectory["referrals"][0]["question"] == "Ondersteuning bij solliciteren"
    assert trajectory["jobs"][0]["job_title"] == "Hovenier"
    assert trajectory["plan_versions"][0]["goals"][0]["actions"][0]["title"] == "Cv bijwerken"
    assert any(row["who"] == "Lars Deskundige" for row in data["access_log"])
    assert all(row["at"].endswith(("+01:00", "+02:00")) for row in data["access_log"])


def test_download_pdf_lists_the_access_log_in_dutch(client, file, client_user):
    pypdf = pytest.importorskip("pypdf")
    pro = BrowserClient()
    pro.force_login(file.labour_expert)
    with time_machine.travel(datetime(2026, 12, 3, 9, 30, tzinfo=AMS), tick=False):
        pro.get(reverse("plans:plan", kwargs={"trajectory_pk": file.trajectory.pk}))
    client.force_login(client_user)
    with time_machine.travel(datetime(2026, 12, 4, 19, 56, tzinfo=AMS), tick=False):
        response = client.get(reverse("portal:download_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Mijn gegevens in Werkbrug" in text and "4 december 2026" in text
    assert "Rustige werkplek nodig" in text and "Hovenier" in text and "Cv bijwerken" in text
    assert "Wie keek in mijn dossier" in text
    assert "Lars Deskundige" in text and "3 december 2026 09:30 CET" in text


def test_the_pdf_access_log_is_bounded(client, file, client_user, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    from werkbrug.portal import export

    monkeypatch.setattr(export, "PDF_ACCESS_LOG_ROWS", 2)
    client.force_login(client_user)
    for _ in range(3):
        client.get(reverse("portal:index"))
    response = client.get(reverse("portal:download_pdf"))
    text = " ".join("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages).split())
    total = AccessLogRecord.objects.filter(client_pseudonym=file.client.pseudonym, granted=True).count()
    assert f"De 2 nieuwste van {total} regels" in text


def test_the_api_gives_the_same_rights(file, client_user, other_client):
    api = BrowserClient()
    api.force_login(client_user)
    own = Action.objects.get(title="Cv bijwerken")
    theirs = Action.objects.get(title="Gesprek met werkgever plannen")
    response = api.post(f"/api/v1/portal/plan/actions/{own.pk}/tick/", {"done": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert api.post(f"/api/v1/portal/plan/actions/{theirs.pk}/tick/", {"done": True},
                    content_type="application/json").status_code == 404
    response = api.post("/api/v1/portal/corrections/", {"subject": "jobs", "text": "Ik werk 20 uur, geen 16."},
                        content_type="application/json")
    assert response.status_code == 201
    assert [r["text"] for r in api.get("/api/v1/portal/corrections/").json()] == ["Ik werk 20 uur, geen 16."]
    data = json.loads(b"".join(api.get("/api/v1/portal/export/").streaming_content))
    assert data["correction_requests"][0]["about"] == "jobs" and data["access_log"]
    response = api.get("/api/v1/portal/plan/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    api.force_login(other_client)
    assert api.post(f"/api/v1/portal/plan/actions/{own.pk}/tick/", {"done": False},
                    content_type="application/json").status_code == 404
    assert api.get("/api/v1/portal/corrections/").json() == []
    own.refresh_from_db()
    assert own.status == "done"


def test_policy_table_for_the_clients_rights(file, client_user, other_client):
    from werkbrug.core import policy
    from werkbrug.portal.services import correction_request_create

    own = Action.objects.select_related("version__plan__trajectory__client").get(title="Cv bijwerken")
    theirs = Action.objects.select_related("version__plan__trajectory__client").get(title="Gesprek met werkgever plannen")
    from werkbrug.trajectories.models import Trajectory

    request = correction_request_create(client=file.client, person=client_user, subject="other", text="Klopt niet.")
    trajectory = Trajectory.objects.select_related("client").get(pk=file.trajectory.pk)  # with the portal account
    cases = [
        # (who, action, object, allowed)
        (client_user, "plan.action_tick", own, True),        # the client, an action that is theirs
        (client_user, "plan.action_tick", theirs, False),    # the client, the jobcoach's action
        (other_client, "plan.action_tick", own, False),      # another client
        (file.jobcoach, "plan.action_tick", own, False),     # professionals use plan.action_status
        (file.jobcoach, "correction.view", request, True),   # the plan director
        (file.jobcoach, "correction.handle", request, True),
        (file.labour_expert, "correction.view", request, False),  # in the team, not plan director
        (file.outsider, "correction.view", request, False),  # outside the team
        (client_user, "correction.handle", request, False),  # the client asks; does not answer
        (client_user, "portal.export", file.client, True),
        (other_client, "portal.export", file.client, False),
        (file.jobcoach, "portal.export", file.client, False),
        (client_user, "plan.print", trajectory, True),
        (other_client, "plan.print", trajectory, False),
        (file.labour_expert, "plan.print", trajectory, True),
        (file.outsider, "plan.print", trajectory, False),
    ]
    for who, action, obj, allowed in cases:
        assert policy.can(who, action, obj) is allowed, (who, action, allowed)


def test_the_export_costs_the_same_queries_however_long_the_access_log(client, file, client_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(client_user)

    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(reverse("portal:download_json")).streaming_content)
        return len(queries)

    export_queries()  # the first request of a session reads a few things once
    first = export_queries()
    for _ in range(40):
        client.get(reverse("portal:index"))
    assert export_queries() == first  # the log is streamed in chunks, not read row by row
    assert first < 80, first
