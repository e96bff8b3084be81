"""Browser: register → intake (draft, complete) → consent → team member → hand-over → caseload."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.core.choices import OrganisationType, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_intake_team_hand_over_caseload(page, sign_in, make_org, make_person):
    ggz = make_org(OrganisationType.GGZ, "GGZ Browser")
    uwv = make_org(OrganisationType.UWV, "UWV Browser")
    coach = make_person(ggz, Role.JOBCOACH, username="demo.jet.coach", first_name="Jet", last_name="Coach")
    expert = make_person(uwv, Role.LABOUR_EXPERT, username="demo.lars.deskundige", first_name="Lars", last_name="Deskundige")

    sign_in(coach)
    page.goto("/trajectories/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Cliënt inschrijven"))
    assert_accessible(page)
    page.fill("input[name=first_name]", "Floor")
    page.fill("input[name=last_name]", "de Haan")
    page.fill("input[name=date_of_birth]", "1992-04-12")
    page.fill("input[name=bsn]", "111222333")
    page.select_option("select[name=benefit]", "wajong")
    page.check("input[name=consent_method][value=verbal]")
    follow(page.get_by_role("button", name="Inschrijven en traject starten"))
    page.wait_for_url("**/trajectories/*/")
    assert "111222333" not in page.url
    assert page.locator("h1").inner_text() == "Traject van Floor de Haan"
    assert_accessible(page)

    # The client agrees that the GGZ sees care, work and income, and debts: the intake can be filled in.
    follow(page.get_by_role("link", name="Toestemming").first)
    assert_accessible(page)
    page.select_option("select[name=organisation]", str(ggz.pk))
    for category in ("care", "work_income", "debts"):
        page.check(f"input[name=categories][value={category}]")
    page.check("input[name=method][value=verbal]")
    page.fill("input[name=evidence]", "Gespreksverslag 12 april")
    follow(page.get_by_role("button", name="Toestemming vastleggen"))
    page.wait_for_url("**/consents/")
    follow(page.get_by_role("link", name="Floor de Haan").first)
    follow(page.get_by_role("link", name="Gestart op").first)
    page.wait_for_url("**/trajectories/*/")

    follow(page.get_by_role("link", name="Intake starten"))
    assert_accessible(page)
    page.fill("textarea[name=work_history]", "Tien jaar in de kassen gewerkt.")
    follow(page.get_by_role("button", name="Opslaan als concept"))
    page.wait_for_url("**/trajectories/*/")
    expect(page.get_by_text("Concept", exact=True).first).to_be_visible()
    follow(page.get_by_role("link", name="Intake bekijken of wijzigen"))
    page.fill("textarea[name=own_goal]", "Ik wil weer buiten werken.")
    follow(page.get_by_role("button", name="Opslaan en afronden"))
    page.wait_for_url("**/trajectories/*/")
    expect(page.get_by_text("Klaar", exact=True).first).to_be_visible()

    follow(page.get_by_role("link", name="Teamlid toevoegen"))
    assert_accessible(page)
    page.select_option("select[name=person]", str(expert.pk))
    page.select_option("select[name=role]", Role.LABOUR_EXPERT)
    follow(page.get_by_role("button", name="Toevoegen aan het team"))
    expect(page.locator(".field-error").first).to_contain_text("toestemming")  # no consent yet
    assert_accessible(page)

    # The jobcoach cannot record consent for UWV: the UWV labour expert records the signed form
    # (through the API, as their own system would).
    from werkbrug.clients.models import Client, ConsentMethod
    from werkbrug.clients.services import consent_grant

    floor = Client.objects.get(first_name="Floor")
    consent_grant(client=floor, organisation=uwv, category="participation", recorded_by=expert,
                  method=ConsentMethod.PAPER, evidence="Formulier UWV-12")

    page.goto(page.url)
    page.select_option("select[name=person]", str(expert.pk))
    page.select_option("select[name=role]", Role.LABOUR_EXPERT)
    follow(page.get_by_role("button", name="Toevoegen aan het team"))
    page.wait_for_url("**/trajectories/*/")
    expect(page.get_by_text("Lars Deskundige zit nu in het team.")).to_be_visible()
    consent_grant(client=floor, organisation=uwv, category="work_income", recorded_by=expert,
                  method=ConsentMethod.PAPER, evidence="Formulier UWV-12")

    follow(page.get_by_role("link", name="Planregisseur overdragen"))
    assert_accessible(page)
    page.select_option("select[name=new_director]", str(expert.pk))
    page.fill("input[name=note]", "Werk en inkomen staan nu voorop.")
    follow(page.get_by_role("button", name="Overdragen"))
    page.wait_for_url("**/trajectories/*/")
    expect(page.get_by_text("Werk en inkomen staan nu voorop.", exact=False)).to_be_visible()
    assert_accessible(page)

    sign_in(expert)
    page.goto("/trajectories/")
    row = page.locator("tbody tr", has_text="Floor de Haan")
    assert row.count() == 1 and "U" in row.inner_text()  # the expert is now the plan director
    assert_accessible(page)
