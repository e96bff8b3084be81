"""Check first: every operation that names an object fetches and authorizes it before reading the
input, for every method; missing and forbidden look the same. Refusals on a deployment request
that names a client leave exactly one access-log record.

Reproduced on main: a stranger's invalid body got a 400 (the body was read before the check), and
a coordinator of another region who opened or offered a client's request left no record.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.api import assert_problem
from tests.support.deployments import first_day
from werkbrug.core.models import AccessLogRecord
from werkbrug.experience_experts import services

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def client_request(ee):
    today = timezone.localdate()
    return services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                   period_start=today, period_end=today + timedelta(days=7))


def _refusals(request):
    return list(AccessLogRecord.objects.filter(granted=False, object_id=str(request.pk)).values_list(
        "action", "client_pseudonym"))


@pytest.mark.parametrize(("method", "path", "action"), [
    ("get", "", "ee_request.view"),
    ("post", "offer/", "ee_request.offer"),
    ("post", "accept/", "ee_request.answer"),
    ("post", "decline/", "ee_request.answer"),
    ("get", "matches/", "ee_request.offer"),
])
def test_another_regions_coordinator_gets_404_and_one_record(api, ee, stranger, client_request, method, path, action):
    api.force_authenticate(stranger)
    response = getattr(api, method)(f"{API}ee-requests/{client_request.pk}/{path}", {"expert": "not a number"},
                                    format="json")
    assert_problem(response, 404)
    assert _refusals(client_request) == [(action, ee.team.client.pseudonym)]


def test_the_offer_page_checks_before_reading_the_expert_and_logs_the_refusal(client, ee, client_request):
    client.force_login(ee.team.outsider)  # same region, not the requester
    response = client.post(reverse("experience_experts:request_offer", args=[client_request.pk]), {"expert": "x"})
    assert response.status_code == 404
    assert _refusals(client_request) == [("ee_request.offer", ee.team.client.pseudonym)]


def test_the_requester_offers_with_one_granted_record(api, ee, client_request):
    api.force_authenticate(ee.team.jobcoach)
    before = AccessLogRecord.objects.count()
    assert api.post(f"{API}ee-requests/{client_request.pk}/offer/", {"expert": ee.anna.pk}, format="json").status_code == 201
    assert AccessLogRecord.objects.count() - before == 1


def test_an_invalid_body_from_someone_not_allowed_is_404_not_400(api, ee, client_request):
    services.request_offer(request=client_request, expert=ee.anna, offered_by=ee.team.jobcoach)
    planned = services.request_accept(request=client_request, expert=ee.anna, schedule=first_day(client_request))
    group = services.support_group_create(organisation=ee.org, name="Groep", created_by=ee.coordinator,
                                          facilitators=[ee.anna], first_meeting_at=timezone.now() + timedelta(days=30))
    meeting = group.meetings.first()
    api.force_authenticate(ee.bert)  # another expert: not his deployment, not his group
    assert_problem(api.post(f"{API}ee-deployments/{planned.pk}/complete/", {"minutes": "x"}, format="json"), 404)
    assert_problem(api.patch(f"{API}ee-meetings/{meeting.pk}/", {"starts_at": "x"}, format="json"), 404)
    assert_problem(api.post(f"{API}ee-support-groups/{group.pk}/participants/", {}, format="json"), 404)
    assert_problem(api.post(f"{API}ee-support-groups/{group.pk}/attendance/", {"meeting": "x"}, format="json"), 404)
    domain = ee.domains["Angst"]
    assert_problem(api.patch(f"{API}ee-domains/{domain.pk}/", {"active": "x"}, format="json"), 404, code="not_found")
    assert api.post(f"{API}ee-domains/", {}, format="json").status_code == 403


def test_a_bad_domain_id_on_the_domains_page_is_not_a_server_error(client, ee):
    client.force_login(ee.coordinator)
    assert client.post(reverse("experience_experts:domains"), {"toggle": "abc"}).status_code == 404


@pytest.mark.parametrize(("path", "who"), [
    ("ee-profiles/", "manager"),  # only coordinators make profiles
    ("ee-support-groups/", "manager"),  # experts and coordinators make groups
    ("ee-deployments/", "coordinator"),  # experts register their own deployments
])
def test_a_create_is_refused_before_its_body_is_read(api, ee, path, who):
    api.force_authenticate(getattr(ee, who))
    response = api.post(API + path, {"anything": "not valid"}, format="json")
    assert response.status_code in (403, 404), response.content
