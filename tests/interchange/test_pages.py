"""The region administrator's pages for connected systems."""

from __future__ import annotations

import pytest

from werkbrug.interchange.models import SystemClient
from werkbrug.interchange.services import digest

pytestmark = pytest.mark.django_db


def test_the_administrator_registers_a_system_and_sees_its_secret_once(as_user, region_admin, team):
    browser = as_user(region_admin)
    page = browser.get("/interchange/systems/new/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Systeem registreren" in text and "Kies een organisatie" in text and "---------" not in text
    response = browser.post("/interchange/systems/new/", {
        "name": "GGZ-dossier", "organisation": team.ggz.pk, "acting_person": team.jobcoach.pk,
        "scopes": ["system/Patient.read", "system/CarePlan.read"],
    })
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    system = SystemClient.objects.get()
    shown = response.content.decode()
    assert system.client_id in shown and "/oauth/token" in shown
    # The secret on the page is the one whose digest is kept; the list never shows it again.
    secret = shown.split("<dt>Geheim</dt><dd><code>", 1)[1].split("</code>", 1)[0]
    assert digest(secret) == system.secret_digest
    listing = browser.get("/interchange/systems/").content.decode()
    assert "GGZ-dossier" in listing and secret not in listing


def test_a_person_of_another_organisation_cannot_be_the_acting_person(as_user, region_admin, team):
    browser = as_user(region_admin)
    response = browser.post("/interchange/systems/new/", {
        "name": "GGZ-dossier", "organisation": team.ggz.pk, "acting_person": team.labour_expert.pk,
        "scopes": ["system/Patient.read"],
    })
    assert response.status_code == 200
    assert not SystemClient.objects.exists()
    assert "Kies een actieve professional van deze organisatie." in response.content.decode()


def test_revoke_and_renew_from_the_list(as_user, region_admin, system):
    browser = as_user(region_admin)
    renewed = browser.post(f"/interchange/systems/{system.client.pk}/renew/")
    assert renewed.status_code == 200
    assert SystemClient.objects.get().secret_digest != digest(system.secret)
    assert browser.post(f"/interchange/systems/{system.client.pk}/revoke/").status_code == 302
    assert SystemClient.objects.get().revoked_at is not None


def test_others_do_not_reach_the_pages(as_user, team, system, make_person, other_region, make_org):
    from werkbrug.core.choices import OrganisationType, Role

    browser = as_user(team.jobcoach)
    assert browser.get("/interchange/systems/").status_code == 403
    assert browser.post(f"/interchange/systems/{system.client.pk}/revoke/").status_code == 404
    far_admin = make_person(make_org(OrganisationType.MUNICIPALITY, "Ver weg", in_region=other_region), Role.REGION_ADMIN)
    browser = as_user(far_admin)
    assert browser.post(f"/interchange/systems/{system.client.pk}/renew/").status_code == 404
    assert browser.post("/interchange/systems/987654321/renew/").status_code == 404
    assert SystemClient.objects.get().revoked_at is None
    assert "GGZ-dossier" not in browser.get("/interchange/systems/").content.decode()
