"""The remaining entities through /api/v1/: absences, domain changes, meetings, buddies — under the policy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.api import assert_problem as _problem
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import Absence, ExpertProfile, LivedExperienceDomain

pytestmark = pytest.mark.django_db
API = "/api/v1/"


# --- absences ---------------------------------------------------------------------------------


def test_expert_adds_and_lists_own_absence(api, ee):
    today = timezone.localdate()
    pk = ee.profiles["Anna"].pk
    api.force_authenticate(ee.anna)
    response = api.post(f"{API}ee-profiles/{pk}/absences/", {
        "start": today.isoformat(), "end": (today + timedelta(days=4)).isoformat(), "note": "Herstelpauze"}, format="json")
    assert response.status_code == 201, response.content
    absence = Absence.objects.get()
    assert (absence.profile_id, absence.start, absence.end, absence.note) == (pk, today, today + timedelta(days=4), "Herstelpauze")
    rows = api.get(f"{API}ee-profiles/{pk}/absences/").json()
    assert rows == [{"id": absence.pk, "profile": pk, "start": today.isoformat(),
                     "end": (today + timedelta(days=4)).isoformat(), "note": "Herstelpauze"}]


def test_coordinator_adds_absence_and_colleague_sees_it_without_the_note(api, ee):
    today = timezone.localdate()
    pk = ee.profiles["Anna"].pk
    api.force_authenticate(ee.coordinator)
    body = {"start": today.isoformat(), "end": today.isoformat(), "note": "Ziek"}
    assert api.post(f"{API}ee-profiles/{pk}/absences/", body, format="json").status_code == 201
    api.force_authenticate(ee.bert)
    rows = api.get(f"{API}ee-profiles/{pk}/absences/").json()
    assert len(rows) == 1 and rows[0]["note"] == "" and rows[0]["start"] == today.isoformat()


def test_colleague_may_not_add_absence_for_another_expert(api, ee):
    today = timezone.localdate().isoformat()
    api.force_authenticate(ee.bert)
    _problem(api.post(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/absences/", {"start": today, "end": today},
                      format="json"), 404, code="not_found")
    assert not Absence.objects.exists()


def test_absences_of_another_region_are_404(api, ee, stranger):
    today = timezone.localdate().isoformat()
    services.absence_add(profile=ee.profiles["Anna"], start=timezone.localdate(), end=timezone.localdate(), added_by=ee.anna)
    api.force_authenticate(stranger)
    pk = ee.profiles["Anna"].pk
    _problem(api.get(f"{API}ee-profiles/{pk}/absences/"), 404)
    _problem(api.post(f"{API}ee-profiles/{pk}/absences/", {"start": today, "end": today}, format="json"), 404)
    assert Absence.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "end"),
        ({"start": "gisteren", "end": "2026-05-01"}, "start"),
        ({"end": "2026-05-01"}, "start"),
        ({"start": "2026-05-01", "end": "2026-05-02", "note": "x" * 201}, "note"),
    ],
)
def test_bad_absence_is_problem_json_and_writes_nothing(api, ee, payload, field):
    api.force_authenticate(ee.anna)
    _problem(api.post(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/absences/", payload, format="json"), 400, field)
    assert not Absence.objects.exists()


# --- domains ----------------------------------------------------------------------------------


def test_coordinator_renames_and_switches_off_a_domain(api, ee):
    domain = ee.domains["Angst"]
    api.force_authenticate(ee.coordinator)
    response = api.patch(f"{API}ee-domains/{domain.pk}/", {"name": "Angst en paniek"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id": domain.pk, "name": "Angst en paniek", "active": True}
    response = api.patch(f"{API}ee-domains/{domain.pk}/", {"active": False}, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    domain.refresh_from_db()
    assert (domain.name, domain.active) == ("Angst en paniek", False)


def test_only_coordinators_change_domains(api, ee):
    domain = ee.domains["Angst"]
    api.force_authenticate(ee.anna)
    _problem(api.patch(f"{API}ee-domains/{domain.pk}/", {"active": False}, format="json"), 404, code="not_found")
    domain.refresh_from_db()
    assert domain.active is True


def test_domain_of_another_region_is_404(api, ee, stranger):
    domain = ee.domains["Angst"]
    api.force_authenticate(stranger)
    _problem(api.patch(f"{API}ee-domains/{domain.pk}/", {"name": "Overgenomen"}, format="json"), 404)
    domain.refresh_from_db()
    assert domain.name == "Angst"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"name": "schulden"}, "name"), ({"name": "   "}, "name"), ({"name": "x" * 101}, "name"), ({"active": "misschien"}, "active")],
)
def test_bad_domain_change_is_problem_json_and_writes_nothing(api, ee, payload, field):
    domain = ee.domains["Angst"]
    api.force_authenticate(ee.coordinator)
    _problem(api.patch(f"{API}ee-domains/{domain.pk}/", payload, format="json"), 400, field)
    domain.refresh_from_db()
    assert (domain.name, domain.active) == ("Angst", True)
    assert LivedExperienceDomain.objects.filter(region=domain.region).count() == 4


# --- support-group meetings -------------------------------------------------------------------


@pytest.fixture
def group(ee):
    return services.support_group_create(organisation=ee.org, name="Groep A", created_by=ee.coordinator,
                                         facilitators=[ee.anna], first_meeting_at=timezone.now() + timedelta(days=3),
                                         meetings=2)


def test_facilitator_changes_theme_time_and_notes(api, ee, group):
    meeting = group.meetings.get(number=1)
    starts = meeting.starts_at + timedelta(hours=1)
    api.force_authenticate(ee.anna)
    response = api.patch(f"{API}ee-meetings/{meeting.pk}/", {
        "theme": "Werk en herstel", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "notes": "Koffie mee"}, format="json")
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert (meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes) == (
        "Werk en herstel", starts, starts + timedelta(hours=2), "Koffie mee")
    assert response.json()["theme"] == "Werk en herstel"


def test_meeting_patch_changes_only_the_fields_sent(api, ee, group):
    meeting = group.meetings.get(number=2)
    before = (meeting.theme, meeting.starts_at, meeting.ends_at)
    api.force_authenticate(ee.coordinator)
    assert api.patch(f"{API}ee-meetings/{meeting.pk}/", {"notes": "Zaal 2"}, format="json").status_code == 200
    meeting.refresh_from_db()
    assert (meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes) == (*before, "Zaal 2")


def test_meeting_overlapping_another_of_the_facilitator_is_refused(api, ee, group):
    other = services.support_group_create(organisation=ee.org, name="Groep B", created_by=ee.coordinator,
                                          facilitators=[ee.anna], first_meeting_at=timezone.now() + timedelta(days=30),
                                          meetings=1)
    meeting = other.meetings.get()
    taken = group.meetings.get(number=1)
    before = (meeting.starts_at, meeting.ends_at)
    api.force_authenticate(ee.anna)
    body = {"starts_at": (taken.starts_at + timedelta(minutes=30)).isoformat(),
            "ends_at": (taken.ends_at + timedelta(minutes=30)).isoformat()}
    response = _problem(api.patch(f"{API}ee-meetings/{meeting.pk}/", body, format="json"), 400)
    assert "overlap" in {e.get("code") for e in response["errors"]}, response
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"theme": "  "}, "theme"), ({"starts_at": "morgen"}, "starts_at"), ({"ends_at": "2020-01-01T10:00:00+01:00"}, "ends_at")],
)
def test_bad_meeting_change_is_problem_json_and_writes_nothing(api, ee, group, payload, field):
    meeting = group.meetings.get(number=1)
    before = (meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes)
    api.force_authenticate(ee.anna)
    _problem(api.patch(f"{API}ee-meetings/{meeting.pk}/", payload, format="json"), 400, field)
    meeting.refresh_from_db()
    assert (meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes) == before


@pytest.mark.parametrize("who", ["bert", "manager"])
def test_non_facilitator_may_not_change_a_meeting(api, ee, group, who):
    meeting = group.meetings.get(number=1)
    api.force_authenticate(getattr(ee, who))
    _problem(api.patch(f"{API}ee-meetings/{meeting.pk}/", {"theme": "Gekaapt"}, format="json"), 404)
    meeting.refresh_from_db()
    assert meeting.theme != "Gekaapt"


def test_meeting_of_another_region_is_404(api, ee, group, stranger):
    meeting = group.meetings.get(number=1)
    api.force_authenticate(stranger)
    _problem(api.patch(f"{API}ee-meetings/{meeting.pk}/", {"theme": "Gekaapt"}, format="json"), 404)
    meeting.refresh_from_db()
    assert meeting.theme != "Gekaapt"


# --- buddies ----------------------------------------------------------------------------------


def test_coordinator_pairs_new_buddies_both_ways_and_the_old_pair_ends(api, ee):
    anna, bert, carla = (ee.profiles[n] for n in ("Anna", "Bert", "Carla"))
    api.force_authenticate(ee.coordinator)
    response = api.post(f"{API}ee-profiles/{carla.pk}/buddy/", {"buddy": anna.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["buddy"] == anna.pk
    for profile in (anna, bert, carla):
        profile.refresh_from_db()
    assert (anna.buddy_id, carla.buddy_id, bert.buddy_id) == (carla.pk, anna.pk, None)


def test_expert_ends_own_buddy_pair(api, ee):
    api.force_authenticate(ee.anna)
    response = api.post(f"{API}ee-profiles/{ee.profiles['Anna'].pk}/buddy/", {"buddy": None}, format="json")
    assert response.status_code == 200 and response.json()["buddy"] is None
    assert not ExpertProfile.objects.filter(buddy__isnull=False).exists()


def test_colleague_may_not_pair_someone_else(api, ee):
    api.force_authenticate(ee.bert)
    _problem(api.post(f"{API}ee-profiles/{ee.profiles['Carla'].pk}/buddy/", {"buddy": ee.profiles["Bert"].pk},
                      format="json"), 404, code="not_found")
    assert ExpertProfile.objects.get(pk=ee.profiles["Carla"].pk).buddy_id is None


def test_buddy_of_another_region_is_404(api, ee, stranger):
    api.force_authenticate(stranger)
    _problem(api.post(f"{API}ee-profiles/{ee.profiles['Carla'].pk}/buddy/", {"buddy": None}, format="json"), 404)
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).buddy_id == ee.profiles["Bert"].pk


@pytest.mark.parametrize("payload", [{"buddy": "self"}, {"buddy": 999999}, {}, {"buddy": "twee"}])
def test_bad_buddy_is_problem_json_and_writes_nothing(api, ee, payload):
    carla = ee.profiles["Carla"]
    if payload.get("buddy") == "self":
        payload = {"buddy": carla.pk}
    api.force_authenticate(ee.coordinator)
    _problem(api.post(f"{API}ee-profiles/{carla.pk}/buddy/", payload, format="json"), 400, "buddy")
    assert ExpertProfile.objects.get(pk=carla.pk).buddy_id is None
    assert ExpertProfile.objects.get(pk=ee.profiles["Anna"].pk).buddy_id == ee.profiles["Bert"].pk
