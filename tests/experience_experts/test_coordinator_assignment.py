"""Who coordinates an expert (and so reads their wellbeing) is the region administrator's decision.

Reproduced on main: a coordinator PATCHed `{"coordinator": <self>}` on any expert's profile and
then read that expert's check-ins; the expert was not told. Now the profile change refuses the
field, a separate assignment (region administrators only) is recorded and the expert is told.
"""

import pytest
from django.core import mail
from django.urls import reverse

from tests.support.api import assert_problem
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import CoordinatorAssignment, ExpertProfile

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def anna_checked_in(ee):
    services.checkin_submit(expert=ee.anna, energy=1, load=5, note="Slecht geslapen, paniek")
    return ee.profiles["Anna"]


def test_a_coordinator_cannot_make_themselves_an_experts_coordinator_by_patch(api, ee, anna_checked_in):
    api.force_authenticate(ee.other_coordinator)
    response = api.patch(f"{API}ee-profiles/{anna_checked_in.pk}/", {"coordinator": ee.other_coordinator.pk},
                         format="json")
    assert_problem(response, 400, "coordinator", code="coordinator_not_allowed")
    anna_checked_in.refresh_from_db()
    assert anna_checked_in.coordinator == ee.coordinator
    assert_problem(api.get(f"{API}ee-profiles/{anna_checked_in.pk}/checkins/"), 404)
    assert not CoordinatorAssignment.objects.filter(coordinator=ee.other_coordinator).exists()


def test_the_service_refuses_a_coordinator_change_through_the_profile(ee):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.profile_update(profile=ee.profiles["Anna"], changed_by=ee.coordinator, coordinator=ee.other_coordinator)
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).coordinator == ee.coordinator


@pytest.mark.parametrize("who", ["coordinator", "other_coordinator", "manager", "anna"])
def test_only_the_region_administrator_assigns_through_the_api(api, ee, who):
    api.force_authenticate(getattr(ee, who))
    response = api.post(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/coordinator/",
                        {"coordinator": ee.other_coordinator.pk}, format="json")
    assert response.status_code in (403, 404)
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).coordinator == ee.coordinator


def test_a_stranger_gets_404_before_the_body_is_read(api, ee, stranger):
    api.force_authenticate(stranger)
    assert_problem(api.post(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/coordinator/", {"coordinator": "x"},
                            format="json"), 404)


def test_the_administrator_assigns_it_is_recorded_and_the_expert_is_told(
    api, ee, anna_checked_in, settings, django_capture_on_commit_callbacks,
):
    settings.WERKBRUG_BASE_URL = "https://werkbrug.example.nl"
    ee.anna.email = "anna@example.nl"
    ee.anna.save(update_fields=["email"])
    api.force_authenticate(ee.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{API}ee-profiles/{anna_checked_in.pk}/coordinator/",
                            {"coordinator": ee.other_coordinator.pk}, format="json")
    assert response.status_code == 201, response.content
    record = CoordinatorAssignment.objects.get(pk=response.json()["id"])
    assert (record.coordinator, record.previous, record.assigned_by) == (ee.other_coordinator, ee.coordinator, ee.admin)
    assert record.assigned_at is not None
    # The expert is told: one mail, an absolute link to her profile, no wellbeing data.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.nl"]
    body = mail.outbox[0].body
    assert "https://werkbrug.example.nl" + reverse("experience_experts:profile", args=[anna_checked_in.pk]) in body
    assert "paniek" not in body and "energ" not in body.lower()
    # The new coordinator reads the wellbeing, the old one no longer does.
    api.force_authenticate(ee.other_coordinator)
    assert api.get(f"{API}ee-profiles/{anna_checked_in.pk}/checkins/").status_code == 200
    api.force_authenticate(ee.coordinator)
    assert_problem(api.get(f"{API}ee-profiles/{anna_checked_in.pk}/checkins/"), 404)


def test_the_expert_sees_the_assignment_on_her_own_profile_page(client, ee):
    client.force_login(ee.admin)
    response = client.post(reverse("experience_experts:profile_coordinator", args=[ee.profiles["Anna"].pk]),
                           {"coordinator": ee.other_coordinator.pk})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).coordinator == ee.other_coordinator
    client.force_login(ee.anna)
    page = client.get(reverse("experience_experts:profile", args=[ee.profiles["Anna"].pk])).content.decode()
    assert 'id="coordinator-assignments"' in page
    assert ee.other_coordinator.get_full_name() in page and ee.admin.get_full_name() in page


def test_a_coordinator_cannot_assign_on_the_page(client, ee):
    client.force_login(ee.other_coordinator)
    page = client.get(reverse("experience_experts:profile", args=[ee.profiles["Anna"].pk]))
    assert page.context["coordinator_form"] is None
    response = client.post(reverse("experience_experts:profile_coordinator", args=[ee.profiles["Anna"].pk]),
                           {"coordinator": ee.other_coordinator.pk})
    assert response.status_code in (403, 404)
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).coordinator == ee.coordinator


def test_naming_a_coordinator_at_creation_is_for_the_administrator(api, ee, make_person):
    dora = make_person(ee.org, Role.EXPERIENCE_EXPERT, first_name="Dora", last_name="Dekker")
    body = {"person": dora.pk, "coordinator": ee.coordinator.pk, "contract_hours": "16", "client_contact_limit": "6"}
    api.force_authenticate(ee.coordinator)
    assert_problem(api.post(API + "ee-profiles/", body, format="json"), 400, "coordinator", code="coordinator_not_allowed")
    assert not ExpertProfile.objects.filter(person=dora).exists()
    api.force_authenticate(ee.admin)
    assert api.post(API + "ee-profiles/", body, format="json").status_code == 201
    profile = ExpertProfile.objects.get(person=dora)
    assert profile.coordinator == ee.coordinator
    assert CoordinatorAssignment.objects.filter(profile=profile, assigned_by=ee.admin, coordinator=ee.coordinator).exists()


# --- who sees experts' profiles (item 2 of the issue) ------------------------------------------


@pytest.fixture
def employer_manager(ee, make_org, make_person):
    """A manager of an external employer: no casework role."""
    return make_person(make_org(OrganisationType.EMPLOYER, "Bakkerij Test"), Role.MANAGER)


def test_an_employers_manager_sees_no_profiles_domains_or_balances(api, client, ee, employer_manager):
    anna = ee.profiles["Anna"]
    api.force_authenticate(employer_manager)
    assert api.get(API + "ee-profiles/").status_code == 403
    assert_problem(api.get(f"{API}ee-profiles/{anna.pk}/"), 404)
    assert_problem(api.get(f"{API}ee-profiles/{anna.pk}/balance/"), 404)
    assert_problem(api.get(f"{API}ee-profiles/{anna.pk}/absences/"), 404)
    client.force_login(employer_manager)
    assert client.get(reverse("experience_experts:profile", args=[anna.pk])).status_code == 404
    assert client.get(reverse("experience_experts:expert_balance", args=[anna.pk])).status_code == 404
    assert "Schulden" not in client.get(reverse("experience_experts:profiles")).content.decode()


def test_casework_roles_coordinators_and_the_expert_see_profiles(api, ee):
    anna = ee.profiles["Anna"]
    for person in (ee.team.jobcoach, ee.coordinator, ee.anna, ee.admin):
        api.force_authenticate(person)
        response = api.get(f"{API}ee-profiles/{anna.pk}/")
        assert response.status_code == 200 and "Schulden" in response.json()["domains"], person


def test_the_balance_is_for_the_experts_own_managers_not_others(api, ee, employer_manager):
    anna = ee.profiles["Anna"]
    api.force_authenticate(ee.manager)  # Ervaringswerk, Anna's employer
    assert api.get(f"{API}ee-profiles/{anna.pk}/balance/").status_code == 200
    api.force_authenticate(employer_manager)
    assert_problem(api.get(f"{API}ee-profiles/{anna.pk}/balance/"), 404)



def test_the_report_lists_balances_only_of_experts_the_manager_may_see(api, ee, employer_manager):
    api.force_authenticate(ee.manager)  # Ervaringswerk: Anna and Bert are theirs, Carla (UWV) is not
    rows = api.get(API + "ee-reports/?start=2026-01-01&end=2026-12-31").json()["balance_rows"]
    assert {r["expert"] for r in rows} == {str(ee.anna), str(ee.bert)}
    api.force_authenticate(employer_manager)
    response = api.get(API + "ee-reports/?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200 and response.json()["balance_rows"] == []
    api.force_authenticate(ee.coordinator)
    rows = api.get(API + "ee-reports/?start=2026-01-01&end=2026-12-31").json()["balance_rows"]
    assert {r["expert"] for r in rows} == {str(ee.anna), str(ee.bert), str(ee.carla)}
