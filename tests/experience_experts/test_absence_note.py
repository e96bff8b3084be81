"""An expert's absence note ("Ziek") is for the expert, their coordinator and region administrators.

Reproduced on main: every coordinator saw it on the profile page and in the API. The rule is
`ee_absence.view_note` in core/policy/experience_experts.py.
"""

from datetime import date

import pytest
from django.urls import reverse

from werkbrug.experience_experts import services

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.mark.parametrize(("who", "sees"), [
    ("anna", True), ("coordinator", True), ("admin", True),
    ("other_coordinator", False), ("bert", False),
])
def test_the_note_only_for_the_expert_her_coordinator_and_admins(client, api, ee, who, sees):
    profile = ee.profiles["Anna"]
    services.absence_add(profile=profile, start=date(2026, 12, 7), end=date(2026, 12, 11), added_by=ee.anna, note="Ziek")
    person = getattr(ee, who)
    client.force_login(person)
    page = client.get(reverse("experience_experts:profile", args=[profile.pk])).content.decode()
    assert ("Ziek" in page) is sees
    api.force_authenticate(person)
    rows = api.get(f"{API}ee-profiles/{profile.pk}/absences/").json()
    assert rows[0]["start"] == "2026-12-07" and (rows[0]["note"] == "Ziek") is sees
