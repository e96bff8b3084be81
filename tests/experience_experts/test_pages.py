"""Pages end to end through the test client; the access-log crawl; privacy on the web."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.support.crawl import assert_each_request_logged_once
from tests.support.deployments import first_day
from werkbrug.core.models import AccessLogRecord
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import CheckIn, Deployment, DeploymentRequest, RequestStatus

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def u(name, *args):
    return reverse(f"experience_experts:{name}", args=args)


@pytest.fixture
def flow(ee):
    """A client request accepted by Anna, a registered deployment, a check-in, a support group."""
    today = timezone.localdate()
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=today, period_end=today + timedelta(days=7),
                                      domains=[ee.domains["Schulden"]])
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    group = services.support_group_create(organisation=ee.org, name="Steungroep", created_by=ee.coordinator,
                                          facilitators=[ee.anna], first_meeting_at=datetime.now(AMS) + timedelta(days=30))
    services.participant_add(group=group, client=ee.team.client, added_by=ee.anna)
    services.checkin_submit(expert=ee.anna, energy=4, load=2, note="Prima week")
    return dict(request=request, planned=planned, group=group)


def test_every_page_renders_for_its_users(client, ee, flow):
    pages = {
        ee.anna: [u("index"), u("profiles"), u("profile", ee.profiles["Anna"].pk), u("profile_edit", ee.profiles["Anna"].pk),
                  u("requests"), u("request", flow["request"].pk), u("deployments"),
                  u("deployment_register"), u("deployment_register") + f"?planned={flow['planned'].pk}", u("balance"),
                  u("wellbeing"), u("groups"), u("group", flow["group"].pk),
                  u("meeting", flow["group"].meetings.first().pk), u("domains")],
        ee.team.jobcoach: [u("index"), u("request_create"), u("request_create") + f"?trajectory={ee.team.trajectory.pk}",
                           u("request", flow["request"].pk), u("requests")],
        ee.coordinator: [u("index"), u("domains"), u("expert_balance", ee.profiles["Anna"].pk),
                         u("expert_wellbeing", ee.profiles["Anna"].pk), u("group_create"), u("reports"),
                         u("reports") + "?start=2026-01-01&end=2026-12-31"],
        ee.manager: [u("reports"), u("expert_balance", ee.profiles["Bert"].pk)],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user, url, response.status_code)


def test_reports_pdf(client, ee, flow):
    client.force_login(ee.manager)
    response = client.get(u("reports_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_client_data_pages_are_logged_once_each(client, ee, flow):
    client.force_login(ee.team.jobcoach)
    assert_each_request_logged_once(client, [
        ("GET", u("request", flow["request"].pk)),
        ("GET", u("requests")),
        ("GET", u("request_create") + f"?trajectory={ee.team.trajectory.pk}"),
    ])
    client.force_login(ee.anna)
    assert_each_request_logged_once(client, [
        ("GET", u("request", flow["request"].pk)),
        ("GET", u("deployments")),
        ("GET", u("deployment_register") + f"?planned={flow['planned'].pk}"),
        ("GET", u("group", flow["group"].pk)),
        ("GET", u("meeting", flow["group"].meetings.first().pk)),
    ])


def test_register_a_planned_deployment_through_the_page(client, ee, flow):
    client.force_login(ee.anna)
    before = AccessLogRecord.objects.count()
    response = client.post(u("deployment_register"), {
        "planned": flow["planned"].pk, "date": timezone.localdate().isoformat(), "kind": "one_on_one", "minutes": "80",
        "setting": "own_office", "outcome": "Eerste kennismaking"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccessLogRecord.objects.count() - before == 1
    flow["planned"].refresh_from_db()
    assert flow["planned"].minutes == 80 and flow["planned"].status == "registered"


@pytest.mark.parametrize("minutes", ["0", "-1", "1441", "veel"])
def test_bad_minutes_on_the_page_give_an_error_not_a_500(client, ee, minutes):
    client.force_login(ee.bert)
    response = client.post(u("deployment_register"), {
        "date": timezone.localdate().isoformat(), "kind": "network", "minutes": minutes, "setting": "external",
        "organisation_served": ee.org.pk, "topic": "Overleg"})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert not Deployment.objects.exists()


@time_machine.travel(datetime(2026, 2, 27, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)  # before the period
def test_request_page_flow_for_a_group_request(client, ee):
    client.force_login(ee.team.labour_expert)
    response = client.post(u("request_create"), {
        "kind": "presentation", "topic": "Teamoverleg", "setting": "other_office", "period_start": "2026-03-02",
        "period_end": "2026-03-31", "minutes": "60", "domains": [ee.domains["Angst"].pk]})
    assert response.status_code == 302
    request = DeploymentRequest.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Anna Aalders" in page and "Angst" in page
    client.post(u("request_offer", request.pk), {"expert": ee.anna.pk})
    client.force_login(ee.anna)
    response = client.post(u("request_answer", request.pk), {"answer": "decline"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_checkin_page_says_who_sees_it_and_refuses_bad_scores(client, ee):
    client.force_login(ee.bert)
    page = client.get(u("wellbeing")).content.decode()
    assert "Alleen jij en je coördinator zien dit" in page or "Only you and your coordinator see this" in page
    response = client.post(u("wellbeing"), {"energy": "7", "load": "3"})
    assert response.status_code == 200 and not CheckIn.objects.exists()
    response = client.post(u("wellbeing"), {"energy": "2", "load": "3", "note": "Moe"})
    assert response.status_code == 302 and CheckIn.objects.get().energy == 2


@pytest.mark.parametrize("who", ["bert", "other_coordinator", "manager", "jobcoach", "carla"])
def test_wellbeing_pages_hidden_from_everyone_else(client, ee, flow, who):
    user = {"jobcoach": ee.team.jobcoach}.get(who) or getattr(ee, who)
    client.force_login(user)
    assert client.get(u("expert_wellbeing", ee.profiles["Anna"].pk)).status_code == 404
    assert "Prima week" not in client.get(u("index")).content.decode()
    assert "Prima week" not in client.get(u("reports")).content.decode()


def test_another_region_sees_no_profile_or_request(client, ee, flow, other_region):
    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.core.models import Organisation, RoleAssignment, User

    org = Organisation.objects.create(region=other_region, name="Elders", type=OrganisationType.GGZ)
    stranger = User.objects.create_user(username="elders", password="x" * 16, region=other_region, organisation=org)
    RoleAssignment.objects.create(person=stranger, role=Role.JOBCOACH)
    client.force_login(stranger)
    assert client.get(u("profile", ee.profiles["Anna"].pk)).status_code == 404
    assert client.get(u("request", flow["request"].pk)).status_code == 404
    assert client.get(u("group", flow["group"].pk)).status_code == 404


def test_request_page_for_a_client_hidden_from_outsiders(client, ee, flow):
    client.force_login(ee.team.outsider)
    assert client.get(u("request", flow["request"].pk)).status_code == 404
    client.force_login(ee.bert)  # an expert it was not offered to
    assert client.get(u("request", flow["request"].pk)).status_code == 404


def test_list_pages_have_bounded_queries(client, ee, flow, django_assert_max_num_queries):
    for _i in range(5):
        services.deployment_register(expert=ee.anna, date=timezone.localdate(), kind="network", minutes=30,
                                     setting="external", organisation_served=ee.org, topic="Overleg")
    client.force_login(ee.anna)
    for url in (u("profiles"), u("deployments"), u("requests"), u("groups"), u("balance")):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_a_coordinator_of_another_organisation_does_not_see_the_group(client, ee, flow, make_person):
    from werkbrug.core.choices import Role

    uwv_coordinator = make_person(ee.team.uwv, Role.EE_COORDINATOR)
    client.force_login(uwv_coordinator)
    assert client.get(u("group", flow["group"].pk)).status_code == 404
    assert f"/support-groups/{flow['group'].pk}/" not in client.get(u("groups")).content.decode()
    client.force_login(ee.other_coordinator)  # same organisation: may see it
    assert client.get(u("group", flow["group"].pk)).status_code == 200
