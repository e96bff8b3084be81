"""The "many open signals" suggestion with real signals; the API's domains, signals, balance and decline."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from tests.support.api import assert_problem as _problem
from werkbrug.collaboration.services import signal_acknowledge, signal_create
from werkbrug.experience_experts import selectors, services
from werkbrug.experience_experts.models import (
    DeploymentRequest,
    LivedExperienceDomain,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/"
AMS = ZoneInfo("Europe/Amsterdam")


# --- "many open signals" ----------------------------------------------------------------------


def _signals(ee, n):
    return [signal_create(trajectory=ee.team.trajectory, author=ee.team.jobcoach, category="debts", urgency="normal",
                          text=f"Signaal {i}", recipients=[ee.team.labour_expert]) for i in range(n)]


def test_three_open_signals_suggest_an_expert_and_acknowledged_ones_do_not_count(ee):
    trajectory = ee.team.trajectory
    _signals(ee, 2)
    assert selectors.expert_suggestion(trajectory=trajectory) is None  # two are not many
    third = _signals(ee, 1)[0]
    with translation.override("en"):
        assert selectors.expert_suggestion(trajectory=trajectory) == (
            "There are 3 open signals about this client: an experience expert may help.")
    signal_acknowledge(signal=third, person=ee.team.labour_expert)
    assert selectors.expert_suggestion(trajectory=trajectory) is None  # two open, one read
    _signals(ee, 1)
    assert selectors.expert_suggestion(trajectory=trajectory) == (
        "Er zijn 3 open signalen over deze cliënt: een ervaringsdeskundige kan misschien helpen.")


def test_open_signals_suggestion_on_the_trajectory_page_and_gone_once_requested(client, ee):
    _signals(ee, 3)
    client.force_login(ee.team.jobcoach)
    url = reverse("trajectories:detail", args=[ee.team.trajectory.pk])
    page = client.get(url).content.decode()
    assert "Er zijn 3 open signalen over deze cliënt" in page
    assert reverse("experience_experts:request_create") + f"?trajectory={ee.team.trajectory.pk}" in page
    today = timezone.localdate()
    services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                            period_start=today, period_end=today + timedelta(days=7))
    assert selectors.expert_suggestion(trajectory=ee.team.trajectory) is None
    assert "open signalen" not in client.get(url).content.decode()


def test_the_client_wish_goes_before_the_signals(ee):
    _signals(ee, 4)
    services.client_wish_record(trajectory=ee.team.trajectory, recorded_by=ee.team.jobcoach)
    with translation.override("en"):
        assert selectors.expert_suggestion(trajectory=ee.team.trajectory) == (
            "The client asked to talk with an experience expert.")


# --- ee-domains -------------------------------------------------------------------------------


def test_domains_list_for_professionals_of_the_region(api, ee, stranger):
    services.domain_update(domain=ee.domains["Angst"], changed_by=ee.coordinator, active=False)
    api.force_authenticate(ee.team.jobcoach)
    response = api.get(API + "ee-domains/")
    assert response.status_code == 200
    rows = {r["name"]: r["active"] for r in response.json()["results"]}
    assert rows == {"Angst": False, "Depressie en burn-out": True, "Psychose": True, "Schulden": True}
    api.force_authenticate(stranger)
    assert api.get(API + "ee-domains/").json()["results"] == []  # another region's list


def test_domains_create_by_a_coordinator(api, ee):
    api.force_authenticate(ee.coordinator)
    response = api.post(API + "ee-domains/", {"name": "  Rouw  "}, format="json")
    assert response.status_code == 201 and response.json()["name"] == "Rouw" and response.json()["active"] is True
    assert LivedExperienceDomain.objects.filter(region=ee.org.region, name="Rouw").exists()


@pytest.mark.parametrize("name", ["", "schulden", "   "])
def test_domains_create_bad_input_writes_nothing(api, ee, name):
    api.force_authenticate(ee.coordinator)
    _problem(api.post(API + "ee-domains/", {"name": name}, format="json"), 400, "name")
    assert LivedExperienceDomain.objects.count() == 4


@pytest.mark.parametrize("who", ["anna", "manager"])
def test_domains_create_by_others_is_403(api, ee, who):
    api.force_authenticate(getattr(ee, who))
    _problem(api.post(API + "ee-domains/", {"name": "Rouw"}, format="json"), 403)
    assert not LivedExperienceDomain.objects.filter(name="Rouw").exists()


# --- ee-signals -------------------------------------------------------------------------------


def test_signals_api_lists_only_the_experts_you_coordinate(api, ee):
    with time_machine.travel(datetime(2026, 3, 6, 17, tzinfo=AMS), tick=False):
        # Bert: 19 h in the week of 2 March against 18 contract hours, 9 h client contact against 8
        for day, minutes, kind in ((2, 600, "network"), (3, 420, "one_on_one"), (4, 120, "three_way")):
            services.deployment_register(expert=ee.bert, date=date(2026, 3, day), kind=kind, minutes=minutes,
                                         setting="own_office", organisation_served=ee.org, topic="Overleg")
    api.force_authenticate(ee.coordinator)
    response = api.get(API + "ee-signals/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {(r["expert"], r["kind"], r["period"]) for r in rows} == {
        (ee.bert.pk, "over_contract", "2026-03-02"), (ee.bert.pk, "over_limit", "2026-03-02")}
    for who in ("other_coordinator", "manager", "bert", "anna"):
        api.force_authenticate(getattr(ee, who))
        response = api.get(API + "ee-signals/")
        assert response.status_code == 200 and response.json()["results"] == [], who


# --- ee-profiles/{id}/balance/ ----------------------------------------------------------------


def test_balance_api_figures(api, ee):
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False):
        for day, minutes, setting, kind in ((2, 240, "own_office", "one_on_one"), (3, 120, "external", "network"),
                                            (10, 60, "own_office", "presentation")):
            services.deployment_register(expert=ee.anna, date=date(2026, 3, day), kind=kind, minutes=minutes,
                                         setting=setting, organisation_served=ee.org, topic="Werk")
        api.force_authenticate(ee.coordinator)
        response = api.get(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/balance/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["target"]["own_office"] == 60
    assert len(body["months"]) == 6 and body["months"][-1]["month"] == "2026-03-01"
    march = body["months"][-1]
    assert march["minutes"] == 420
    assert march["by_setting"] == {"own_office": 300, "external": 120}
    assert march["by_kind"] == {"one_on_one": 240, "network": 120, "presentation": 60}
    assert march["own_office_share"] == pytest.approx(100 * 300 / 420)  # per cent, under the 60 % target
    assert all(m["minutes"] == 0 for m in body["months"][:-1])


@pytest.mark.parametrize(("who", "status"), [("anna", 200), ("manager", 200), ("other_coordinator", 200),
                                             ("bert", 404), ("stranger", 404)])
def test_balance_api_access(api, ee, stranger, who, status):
    api.force_authenticate(stranger if who == "stranger" else getattr(ee, who))
    response = api.get(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/balance/")
    if status == 200:
        assert response.status_code == 200 and len(response.json()["months"]) == 6
    else:
        _problem(response, status)


def test_balance_api_unknown_profile_is_404(api, ee):
    api.force_authenticate(ee.coordinator)
    _problem(api.get(f"{API}ee-profiles/999999/balance/"), 404)


# --- ee-requests/{id}/decline/ ----------------------------------------------------------------


@pytest.fixture
def offered(ee):
    today = timezone.localdate()
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=today, period_end=today + timedelta(days=7))
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    return request


def test_decline_through_the_api_needs_no_reason(api, ee, offered):
    api.force_authenticate(ee.anna)
    response = api.post(f"{API}ee-requests/{offered.pk}/decline/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["expert"] == ee.anna.pk and body["outcome"] == "declined" and body["decided_at"]
    offered.refresh_from_db()
    assert offered.status == RequestStatus.OPEN and offered.expert is None
    # free for another expert; Anna is left out of the matches
    api.force_authenticate(ee.team.jobcoach)
    names = [m["name"] for m in api.get(f"{API}ee-requests/{offered.pk}/matches/").json()]
    assert "Anna Aalders" not in names and names
    # declining twice: the request is no longer put to her, so for her it is not there (as elsewhere)
    api.force_authenticate(ee.anna)
    _problem(api.post(f"{API}ee-requests/{offered.pk}/decline/"), 404)
    assert RequestOffer.objects.get().outcome == OfferOutcome.DECLINED


@pytest.mark.parametrize(("who", "status"), [("bert", 404), ("stranger", 404), ("jobcoach", 404)])
def test_decline_by_someone_else_is_refused_and_changes_nothing(api, ee, stranger, offered, who, status):
    user = {"stranger": stranger, "jobcoach": ee.team.jobcoach}.get(who) or getattr(ee, who)
    api.force_authenticate(user)
    _problem(api.post(f"{API}ee-requests/{offered.pk}/decline/"), status)
    offered.refresh_from_db()
    assert offered.status == RequestStatus.OFFERED and offered.expert_id == ee.anna.pk
    assert RequestOffer.objects.get().outcome == OfferOutcome.PENDING


def test_decline_unknown_request_is_404(api, ee):
    api.force_authenticate(ee.anna)
    _problem(api.post(f"{API}ee-requests/999999/decline/"), 404)
    assert not DeploymentRequest.objects.exists()
