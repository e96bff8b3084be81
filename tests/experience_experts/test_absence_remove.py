"""Taking back a planned absence: the expert or a coordinator, on the page and through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.support.api import assert_problem
from werkbrug.experience_experts import services
from werkbrug.experience_experts.models import Absence

pytestmark = pytest.mark.django_db
API = "/api/v1/ee-profiles/"


def _absence(ee, name="Anna", days=3):
    today = timezone.localdate()
    profile = ee.profiles[name]
    return services.absence_add(profile=profile, start=today, end=today + timedelta(days=days),
                                added_by=ee.coordinator, note="Vakantie")


def test_service_lets_the_expert_and_a_coordinator_remove_but_not_a_colleague(ee):
    own, other = _absence(ee), _absence(ee, days=9)
    with pytest.raises(PermissionDenied):
        services.absence_remove(absence=own, removed_by=ee.bert)
    assert Absence.objects.count() == 2
    services.absence_remove(absence=own, removed_by=ee.anna)
    services.absence_remove(absence=other, removed_by=ee.coordinator)
    assert not Absence.objects.exists()


def test_profile_page_removes_an_absence_with_a_button(client, ee):
    kept, removed = _absence(ee, days=1), _absence(ee, days=5)
    client.force_login(ee.anna)
    page = client.get(reverse("experience_experts:profile", args=[ee.profiles["Anna"].pk])).content.decode()
    action = reverse("experience_experts:absence_remove", args=[ee.profiles["Anna"].pk, removed.pk])
    assert f'action="{action}"' in page
    response = client.post(action, follow=True)
    assert response.status_code == 200
    assert list(Absence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [str(m) for m in response.context["messages"]] == ["De afwezigheid is verwijderd."]
    # A colleague sees the absence but no button, and a forged post is refused (as not found).
    client.force_login(ee.bert)
    page = client.get(reverse("experience_experts:profile", args=[ee.profiles["Anna"].pk])).content.decode()
    assert "Geen afwezigheid gepland" not in page
    assert reverse("experience_experts:absence_remove", args=[ee.profiles["Anna"].pk, kept.pk]) not in page
    forged = reverse("experience_experts:absence_remove", args=[ee.profiles["Anna"].pk, kept.pk])
    assert client.post(forged).status_code == 404
    assert Absence.objects.filter(pk=kept.pk).exists()


def test_page_refuses_an_absence_of_another_profile(client, ee):
    berts = _absence(ee, "Bert")
    client.force_login(ee.anna)
    wrong = reverse("experience_experts:absence_remove", args=[ee.profiles["Anna"].pk, berts.pk])
    assert client.post(wrong).status_code == 404
    assert client.get(wrong).status_code == 405
    assert Absence.objects.filter(pk=berts.pk).exists()


def test_api_delete(api, ee, stranger):
    absence = _absence(ee)
    pk = ee.profiles["Anna"].pk
    url = f"{API}{pk}/absences/{absence.pk}/"
    api.force_authenticate(stranger)
    assert_problem(api.delete(url), 404)
    api.force_authenticate(ee.bert)
    assert_problem(api.delete(url), 404, code="not_found")
    assert_problem(api.delete(f"{API}{ee.profiles['Bert'].pk}/absences/{absence.pk}/"), 404)  # not his
    api.force_authenticate(ee.anna)
    assert_problem(api.delete(f"{API}{pk}/absences/nope/"), 404)
    assert Absence.objects.filter(pk=absence.pk).exists()
    assert api.delete(url).status_code == 204
    assert not Absence.objects.exists()
    assert api.get(f"{API}{pk}/absences/").json() == []
    assert_problem(api.delete(url), 404)
