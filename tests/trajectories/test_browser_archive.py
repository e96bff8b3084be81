"""Browser: a trajectory is closed with a reason, found in the archive (read-only), and reopened."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.core.choices import OrganisationType, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_close_find_in_the_archive_and_reopen(page, sign_in, make_org, make_person):
    from datetime import date

    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import client_register_and_start

    ggz = make_org(OrganisationType.GGZ, "GGZ Archief")
    coach = make_person(ggz, Role.JOBCOACH, username="demo.ans.coach", first_name="Ans", last_name="Coach")
    trajectory = client_register_and_start(
        registered_by=coach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL,
        first_name="Wim", last_name="Archief", date_of_birth=date(1985, 9, 1))

    sign_in(coach)
    page.goto(f"/trajectories/{trajectory.pk}/")
    page.get_by_text("Traject afsluiten", exact=True).first.click()  # the <details> summary
    page.select_option("select[name=reason]", "work_found")
    page.select_option("select[name=outcome]", "paid_work")
    page.fill("textarea[name=note]", "Werkt 24 uur bij de kwekerij.")
    follow(page.get_by_role("button", name="Traject afsluiten"))
    page.wait_for_url(f"**/trajectories/{trajectory.pk}/")
    # No dead end: the closed file opens, read-only, with its reason.
    expect(page.get_by_text("Dit traject is afgesloten en gearchiveerd: alleen-lezen.")).to_be_visible()
    expect(page.get_by_text("Werk gevonden", exact=False).first).to_be_visible()
    assert page.get_by_role("link", name="Teamlid toevoegen").count() == 0
    assert_accessible(page)

    page.goto("/trajectories/")
    assert page.locator("tbody tr", has_text="Wim Archief").count() == 0  # gone from the caseload
    follow(page.get_by_role("link", name="Archief"))
    assert_accessible(page)
    page.fill("input[name=q]", "Archief")
    follow(page.get_by_role("button", name="Zoeken"))
    row = page.locator("tbody tr", has_text="Wim Archief")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Werk gevonden")
    follow(row.get_by_role("link", name="Wim Archief"))
    page.wait_for_url(f"**/trajectories/{trajectory.pk}/")

    follow(page.get_by_role("link", name="Traject heropenen"))
    assert_accessible(page)
    page.fill("textarea[name=reason]", "De baan ging niet door; we gaan verder.")
    follow(page.get_by_role("button", name="Traject heropenen"))
    page.wait_for_url(f"**/trajectories/{trajectory.pk}/")
    expect(page.get_by_text("Het traject is heropend.")).to_be_visible()
    expect(page.get_by_text("De baan ging niet door", exact=False)).to_be_visible()  # the history is kept
    assert_accessible(page)
    page.goto("/trajectories/")
    expect(page.locator("tbody tr", has_text="Wim Archief")).to_have_count(1)
