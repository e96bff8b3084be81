"""The demo's region administrator can use the pages, and the audit trail has entries."""

from __future__ import annotations

import pytest

from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.core.choices import Role
from werkbrug.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_region_administrator(demo_region, client):
    admin = User.objects.filter(region=demo_region, role_assignments__role=Role.REGION_ADMIN,
                                username__startswith="demo.").order_by("pk").first()
    assert admin is not None
    actions = set(AdministrationEvent.objects.filter(region=demo_region).values_list("action", flat=True))
    assert {EventAction.ORGANISATION_ADDED, EventAction.PERSON_INVITED, EventAction.ROLE_GIVEN,
            EventAction.PERSON_DEACTIVATED, EventAction.PERSON_REACTIVATED} <= actions
    assert not User.objects.get(email="thijs.vertrokken@example.org").is_active
    back = User.objects.get(email="fenna.terug@example.org")
    assert back.is_active and back.roles == frozenset({Role.JOBCOACH})
    client.force_login(admin)
    for url in ("/administration/", "/administration/organisations/", "/administration/audit-trail/",
                "/administration/hand-overs/", "/administration/people/invite/"):
        assert client.get(url).status_code == 200, url
    invited = User.objects.get(email="merel.nieuwenhuis@example.org")
    assert not invited.has_usable_password()
    page = client.get(f"/administration/people/{invited.pk}/").content.decode()
    assert "uitgenodigd, nog geen wachtwoord gekozen" in page
    trail = client.get("/administration/audit-trail/").content.decode()
    assert "Organisatie toegevoegd" in trail and "Persoon uitgenodigd" in trail
