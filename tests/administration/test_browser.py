"""Browser: the region administrator invites a new jobcoach, gives the role, and deactivates a
leaving jobcoach whose client is handed over to the new one."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.core.choices import Role
from werkbrug.core.models import User
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.trajectories.models import Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_give_role_hand_over_and_deactivate(page, sign_in, team, make_person, make_org):
    admin = make_person(make_org(name="Gemeente Beheer"), Role.REGION_ADMIN, username="demo.bea.beheer",
                        first_name="Bea", last_name="Beheer")
    leaving = team.jobcoach
    sign_in(admin)
    page.goto("/")
    follow(page.get_by_role("link", name="Regiobeheer").first)
    assert_accessible(page)

    follow(page.get_by_role("link", name="Iemand uitnodigen").first)
    assert_accessible(page)
    page.fill("input[name=first_name]", "Nina")
    page.fill("input[name=last_name]", "Nieuw")
    page.fill("input[name=email]", "nina.nieuw@example.org")
    page.select_option("select[name=organisation]", str(team.ggz.pk))
    follow(page.get_by_role("button", name="Uitnodigen"))
    expect(page.locator("h1")).to_have_text("Nina Nieuw")
    expect(page.get_by_text("is uitgenodigd")).to_be_visible()
    assert_accessible(page)
    nina = User.objects.get(email="nina.nieuw@example.org")
    assert not nina.has_usable_password()

    page.select_option("select[name='give-role']", Role.JOBCOACH)
    follow(page.get_by_role("button", name="Rol geven"))
    expect(page.get_by_text("De rol is gegeven.")).to_be_visible()
    assert User.objects.get(pk=nina.pk).roles == {Role.JOBCOACH}

    # The leaving jobcoach: deactivating leads to the hand-over first.
    page.goto(f"/administration/people/{leaving.pk}/")
    follow(page.get_by_role("button", name="Account deactiveren"))
    page.wait_for_url(f"**/administration/people/{leaving.pk}/hand-over/?then=deactivate")
    expect(page.get_by_text("Draag eerst de plaatsen")).to_be_visible()
    assert team.client.last_name not in page.content()
    assert_accessible(page)
    page.select_option("select[name=all]", f"colleague:{nina.pk}")
    follow(page.get_by_role("button", name="Overdragen"))
    # Then the preview of everything else that is handed over, and the confirmation.
    page.wait_for_url(f"**/administration/people/{leaving.pk}/deactivate/")
    expect(page.get_by_text("De plaatsen in cliëntteams zijn overgedragen.")).to_be_visible()
    expect(page.get_by_text("Een opnieuw geactiveerd account begint zonder rollen.", exact=False)).to_be_visible()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Account deactiveren"))
    expect(page.get_by_text("Het account is gedeactiveerd.")).to_be_visible()

    assert not User.objects.get(pk=leaving.pk).is_active
    assert Trajectory.objects.get(pk=team.trajectory.pk).plan_director_id == nina.pk
    assert Notification.objects.filter(recipient=nina, kind=Kind.PLAN_DIRECTOR).exists()

    follow(page.get_by_role("link", name="Wijzigingslogboek").first)
    for text in ("Persoon uitgenodigd", "Rol gegeven", "Cliëntteams overgedragen", "Account gedeactiveerd"):
        expect(page.locator("table").get_by_text(text).first).to_be_visible()
    assert_accessible(page)
