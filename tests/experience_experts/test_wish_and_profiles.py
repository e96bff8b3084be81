"""The client's wish on the trajectory page and through the API; making and changing profiles."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.support.api import assert_problem as _problem
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.experience_experts.models import ClientWish, ExpertProfile
from werkbrug.trajectories.services import trajectory_close

pytestmark = pytest.mark.django_db
API = "/api/v1/"
WISH_BUTTON = "De cliënt wil graag praten met een ervaringsdeskundige"


@pytest.fixture
def stranger(other_region, make_org, make_person):
    """A coordinator and jobcoach of another region."""
    org = make_org(OrganisationType.EXPERIENCE_EXPERTS, "Elders", in_region=other_region)
    return make_person(org, Role.EE_COORDINATOR, Role.JOBCOACH, first_name="Sven", last_name="Elders")


@pytest.fixture
def dora(ee, make_person):
    """An experience expert of the region without a profile yet."""
    return make_person(ee.org, Role.EXPERIENCE_EXPERT, first_name="Dora", last_name="Dekker")


# --- the client's wish: the trajectory page ---------------------------------------------------


def test_trajectory_page_shows_the_wish_button_to_a_team_member_and_the_post_records_it(client, ee):
    trajectory = ee.team.trajectory
    wish_url = reverse("experience_experts:client_wish", args=[trajectory.pk])
    client.force_login(ee.team.jobcoach)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert f'action="{wish_url}"' in page and WISH_BUTTON in page
    response = client.post(wish_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("experience_experts:request_create") + f"?trajectory={trajectory.pk}"
    wish = ClientWish.objects.get()
    assert (wish.trajectory_id, wish.recorded_by_id) == (trajectory.pk, ee.team.jobcoach.pk)
    # once noted: no button any more, the suggestion says why
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert f'action="{wish_url}"' not in page
    assert "De cliënt vroeg om een gesprek met een ervaringsdeskundige." in page


def test_closed_trajectory_takes_no_wish(client, ee):
    """Once closed the team no longer works with the client: the archived page (read-only) offers
    no wish, and the post is 404."""
    trajectory = trajectory_close(trajectory=ee.team.trajectory, closed_by=ee.team.jobcoach, reason="work_found", outcome="paid_work")
    client.force_login(ee.team.jobcoach)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert page.status_code == 200
    assert reverse("experience_experts:client_wish", args=[trajectory.pk]) not in page.content.decode()
    assert client.post(reverse("experience_experts:client_wish", args=[trajectory.pk])).status_code == 404
    assert not ClientWish.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_wish_post_by_someone_outside_the_team_is_404_and_writes_nothing(client, ee, stranger, who):
    client.force_login(stranger if who == "stranger" else ee.team.outsider)
    assert client.post(reverse("experience_experts:client_wish", args=[ee.team.trajectory.pk])).status_code == 404
    assert client.post(reverse("experience_experts:client_wish", args=[999999])).status_code == 404
    assert not ClientWish.objects.exists()


def test_wish_page_refuses_get(client, ee):
    client.force_login(ee.team.jobcoach)
    assert client.get(reverse("experience_experts:client_wish", args=[ee.team.trajectory.pk])).status_code == 405
    assert not ClientWish.objects.exists()


# --- the client's wish: the API ---------------------------------------------------------------


def test_api_records_the_wish_once_logged(api, ee):
    api.force_authenticate(ee.team.jobcoach)
    before = AccessLogRecord.objects.count()
    response = api.post(API + "ee-client-wishes/", {"trajectory": ee.team.trajectory.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["trajectory"] == ee.team.trajectory.pk and body["recorded_by"] == ee.team.jobcoach.pk
    assert ClientWish.objects.get().pk == body["id"]
    assert AccessLogRecord.objects.count() - before == 1


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_api_wish_outside_the_team_or_region_is_404(api, ee, stranger, who):
    api.force_authenticate(stranger if who == "stranger" else ee.team.outsider)
    _problem(api.post(API + "ee-client-wishes/", {"trajectory": ee.team.trajectory.pk}, format="json"), 404)
    assert not ClientWish.objects.exists()


@pytest.mark.parametrize(("payload", "status"), [({}, 400), ({"trajectory": "x"}, 400), ({"trajectory": 999999}, 404)])
def test_api_wish_bad_input(api, ee, payload, status):
    api.force_authenticate(ee.team.jobcoach)
    _problem(api.post(API + "ee-client-wishes/", payload, format="json"), status, "trajectory" if status == 400 else None)
    assert not ClientWish.objects.exists()


def test_api_wish_on_a_closed_trajectory_is_refused(api, ee):
    trajectory_close(trajectory=ee.team.trajectory, closed_by=ee.team.jobcoach, reason="work_found", outcome="paid_work")
    api.force_authenticate(User.objects.get(pk=ee.team.jobcoach.pk))  # a new request: no cached team facts
    _problem(api.post(API + "ee-client-wishes/", {"trajectory": ee.team.trajectory.pk}, format="json"), 404)
    assert not ClientWish.objects.exists()


# --- a new profile: the page ------------------------------------------------------------------


def test_coordinator_makes_a_profile_on_the_page(client, ee, dora):
    client.force_login(ee.coordinator)
    assert reverse("experience_experts:profile_create") in client.get(reverse("experience_experts:profiles")).content.decode()
    page = client.get(reverse("experience_experts:profile_create"))
    assert page.status_code == 200
    choices = page.context["form"].fields["person"].queryset
    assert list(choices) == [dora]  # Anna, Bert and Carla have a profile already
    # Who coordinates is the region administrator's decision (test_coordinator_assignment.py):
    # the coordinator's form has no such field, and a posted value is ignored.
    assert "coordinator" not in page.context["form"].fields
    response = client.post(reverse("experience_experts:profile_create"), {
        "person": dora.pk, "coordinator": ee.coordinator.pk, "contract_hours": "16", "client_contact_limit": "6.5",
        "domains": [ee.domains["Angst"].pk, ee.domains["Psychose"].pk], "higher_vocational": "on",
        "education_field": "Social work", "training_name": "EDO", "training_year": "2021", "availability": "ma-wo"})
    profile = ExpertProfile.objects.get(person=dora)
    assert response.status_code == 302 and response["Location"] == reverse("experience_experts:profile", args=[profile.pk])
    assert (profile.contract_hours, profile.client_contact_limit) == (Decimal(16), Decimal("6.5"))
    assert profile.coordinator is None and profile.region_id == ee.org.region_id
    assert (profile.higher_vocational, profile.training_name, profile.training_year) == (True, "EDO", 2021)
    assert set(profile.domains.values_list("name", flat=True)) == {"Angst", "Psychose"}


def test_profile_page_bad_input_shows_the_error_and_writes_nothing(client, ee, dora):
    client.force_login(ee.coordinator)
    response = client.post(reverse("experience_experts:profile_create"), {
        "person": dora.pk, "contract_hours": "10", "client_contact_limit": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors["client_contact_limit"]
    response = client.post(reverse("experience_experts:profile_create"), {
        "person": ee.anna.pk, "contract_hours": "10", "client_contact_limit": "2"})  # has a profile: not a choice
    assert response.status_code == 200 and response.context["form"].errors["person"]
    assert not ExpertProfile.objects.filter(person=dora).exists()
    assert ExpertProfile.objects.count() == 3


@pytest.mark.parametrize("who", ["anna", "manager"])
def test_only_coordinators_make_profiles_on_the_page(client, ee, dora, who):
    client.force_login(getattr(ee, who))
    assert reverse("experience_experts:profile_create") not in client.get(
        reverse("experience_experts:profiles")).content.decode()
    assert client.get(reverse("experience_experts:profile_create")).status_code == 403
    response = client.post(reverse("experience_experts:profile_create"), {
        "person": dora.pk, "contract_hours": "16", "client_contact_limit": "6"})
    assert response.status_code == 403
    assert not ExpertProfile.objects.filter(person=dora).exists()


# --- profiles: the API ------------------------------------------------------------------------


def test_api_coordinator_makes_a_profile(api, ee, dora):
    api.force_authenticate(ee.coordinator)
    response = api.post(API + "ee-profiles/", {
        "person": dora.pk, "contract_hours": "16.0", "client_contact_limit": "6.0",
        "domains": [ee.domains["Schulden"].pk], "training_name": "EDO", "training_year": 2020}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == dora.pk and body["domains"] == ["Schulden"] and body["name"] == "Dora Dekker"
    profile = ExpertProfile.objects.get(person=dora)
    assert profile.pk == body["id"] and profile.coordinator is None  # assigned by the region administrator
    assert (profile.contract_hours, profile.client_contact_limit, profile.training_year) == (Decimal(16), Decimal(6), 2020)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"client_contact_limit": "20"}, "client_contact_limit"),
        ({"contract_hours": "0"}, "contract_hours"),
        ({"contract_hours": "veel"}, "contract_hours"),
        ({"domains": [999999]}, "domains"),
        ({"coordinator": 999999}, "coordinator"),
        ({"person": 999999}, "person"),
        ({"person": "anna"}, "person"),  # has a profile already
        ({"person": "stranger"}, "person"),  # another region
        ({"training_year": 1850}, "training_year"),
    ],
)
def test_api_profile_create_bad_input_writes_nothing(api, ee, dora, stranger, change, field):
    api.force_authenticate(ee.coordinator)
    body = {"person": dora.pk, "contract_hours": "16", "client_contact_limit": "6", **change}
    if body["person"] == "anna":
        body["person"] = ee.anna.pk
    elif body["person"] == "stranger":
        body["person"] = stranger.pk
    _problem(api.post(API + "ee-profiles/", body, format="json"), 400, field)
    assert ExpertProfile.objects.count() == 3


@pytest.mark.parametrize("who", ["manager", "bert"])
def test_api_profile_create_by_others_is_403(api, ee, dora, who):
    api.force_authenticate(getattr(ee, who))
    body = {"person": dora.pk, "contract_hours": "16", "client_contact_limit": "6"}
    _problem(api.post(API + "ee-profiles/", body, format="json"), 403)
    assert not ExpertProfile.objects.filter(person=dora).exists()


def test_api_patch_changes_only_the_fields_sent(api, ee):
    anna = ee.profiles["Anna"]
    api.force_authenticate(ee.coordinator)
    response = api.patch(f"{API}ee-profiles/{anna.pk}/", {
        "availability": "di en do", "contract_hours": "20", "domains": [ee.domains["Psychose"].pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["domains"] == ["Psychose"] and response.json()["availability"] == "di en do"
    anna.refresh_from_db()
    assert (anna.availability, anna.contract_hours, anna.client_contact_limit) == ("di en do", Decimal(20), Decimal(8))
    assert anna.coordinator == ee.coordinator and anna.higher_vocational is True
    assert list(anna.domains.values_list("name", flat=True)) == ["Psychose"]


def test_api_patch_by_the_expert_herself_but_not_her_coordinator(api, ee):
    anna = ee.profiles["Anna"]
    api.force_authenticate(ee.anna)
    response = api.patch(f"{API}ee-profiles/{anna.pk}/", {"client_contact_limit": "6"}, format="json")
    assert response.status_code == 200 and response.json()["client_contact_limit"] == "6.0"
    _problem(api.patch(f"{API}ee-profiles/{anna.pk}/", {"coordinator": None}, format="json"), 400, "coordinator")
    anna.refresh_from_db()
    assert anna.client_contact_limit == Decimal(6) and anna.coordinator == ee.coordinator


@pytest.mark.parametrize(
    ("change", "field"),
    [({"client_contact_limit": "30"}, "client_contact_limit"), ({"contract_hours": "x"}, "contract_hours"),
     ({"domains": [999999]}, "domains"), ({"coordinator": "anna"}, "coordinator")],
)
def test_api_patch_bad_input_changes_nothing(api, ee, change, field):
    anna = ee.profiles["Anna"]
    if change.get("coordinator") == "anna":
        change = {"coordinator": ee.anna.pk}  # not a coordinator
    api.force_authenticate(ee.coordinator)
    _problem(api.patch(f"{API}ee-profiles/{anna.pk}/", change, format="json"), 400, field)
    anna.refresh_from_db()
    assert (anna.contract_hours, anna.client_contact_limit, anna.coordinator) == (Decimal(18), Decimal(8), ee.coordinator)
    assert set(anna.domains.values_list("name", flat=True)) == {"Schulden", "Angst"}


def test_api_patch_refusals(api, ee, stranger):
    anna = ee.profiles["Anna"]
    api.force_authenticate(ee.bert)  # a colleague
    _problem(api.patch(f"{API}ee-profiles/{anna.pk}/", {"availability": "nooit"}, format="json"), 404, code="not_found")
    api.force_authenticate(stranger)  # another region
    _problem(api.patch(f"{API}ee-profiles/{anna.pk}/", {"availability": "nooit"}, format="json"), 404)
    api.force_authenticate(ee.coordinator)
    _problem(api.patch(f"{API}ee-profiles/999999/", {"availability": "nooit"}, format="json"), 404)
    anna.refresh_from_db()
    assert anna.availability == ""


def test_the_service_refuses_a_wish_on_a_closed_trajectory(ee):
    """Even when the caller's team facts are still cached in this request: the policy refuses a
    write to a closed trajectory (`trajectory_write`), and the service's own check stands behind it."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from werkbrug.experience_experts import services
    from werkbrug.experience_experts.services import requests as requests_services

    trajectory = trajectory_close(trajectory=ee.team.trajectory, closed_by=ee.team.jobcoach, reason="work_found", outcome="paid_work")
    with pytest.raises(Http404):
        services.client_wish_record(trajectory=trajectory, recorded_by=ee.team.jobcoach)
    assert not ClientWish.objects.exists()
    # The service's own rule, for a caller past the policy.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requests_services, "_authorize", lambda *args, **kwargs: None)
        with pytest.raises(ValidationError) as caught:
            services.client_wish_record(trajectory=trajectory, recorded_by=ee.team.jobcoach)
    assert caught.value.error_dict["trajectory"][0].code == "closed"
