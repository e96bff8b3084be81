"""Browser walk: a team member makes the plan, everyone agrees (the client in the portal), the plan
changes, everyone agrees again; then the portal flow: agree, withdraw a consent, see the access log.
Every page is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(team, client_user):
    from werkbrug.core.models import User

    # The persona page signs in demo accounts only.
    for user, name in ((team.jobcoach, "demo.jet"), (team.labour_expert, "demo.lars"), (client_user, "demo.sam")):
        User.objects.filter(pk=user.pk).update(username=name)
    return team


def _agree(page, sign_in, user, url):
    sign_in(user)
    page.goto(url)
    assert_accessible(page)
    follow(page.get_by_role("button", name="Ik ben het eens met dit plan"))
    assert_accessible(page)


def test_plan_made_agreed_changed_agreed_and_portal_flow(page, sign_in, people, client_user):
    team = people
    plan_url = f"/plans/{team.trajectory.pk}/"
    due = (team.trajectory.started_on + timedelta(days=20)).isoformat()

    # The jobcoach makes the plan.
    sign_in(team.jobcoach)
    page.goto(plan_url)
    assert_accessible(page)
    follow(page.get_by_role("link", name="Plan maken"))
    assert_accessible(page)
    page.fill("#id_goals-0-title", "Betaald werk in de groenvoorziening")
    page.fill("#id_actions-0-title", "Cv bijwerken")
    page.select_option("#id_actions-0-owner", "client")
    page.fill("#id_actions-0-due_on", due)
    page.fill("#id_note", "Eerste versie")
    follow(page.get_by_role("button", name="Nieuwe versie opslaan"))
    page.wait_for_url(f"**{plan_url}")
    assert "Wacht op instemming" in page.content()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Ik ben het eens met dit plan"))
    assert_accessible(page)

    # The labour expert agrees, then the client in the portal.
    _agree(page, sign_in, team.labour_expert, plan_url)
    sign_in(client_user)
    page.goto("/portal/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Lees het plan en geef antwoord"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Ik ben het eens met dit plan"))
    assert "Iedereen is het eens" in page.content()
    assert_accessible(page)

    # The jobcoach changes the plan: version 2 needs everyone again.
    sign_in(team.jobcoach)
    page.goto(plan_url)
    follow(page.get_by_role("link", name="Plan aanpassen"))
    page.fill("#id_goals-0-title", "Betaald werk in de zorg")
    follow(page.get_by_role("button", name="Nieuwe versie opslaan"))
    page.wait_for_url(f"**{plan_url}")
    assert "Wacht op instemming" in page.content()
    follow(page.get_by_role("button", name="Ik ben het eens met dit plan"))
    follow(page.get_by_role("link", name="Wat is er veranderd sinds de vorige versie"))
    assert "Betaald werk in de zorg" in page.content()
    assert_accessible(page)
    page.goto(plan_url + "versions/")
    assert_accessible(page)
    _agree(page, sign_in, team.labour_expert, plan_url)

    # The portal flow: agree, withdraw a consent, see the access log.
    sign_in(client_user)
    page.goto("/portal/plan/")
    assert_accessible(page)
    follow(page.get_by_role("button", name="Ik ben het eens met dit plan"))
    assert "Iedereen is het eens" in page.content()
    follow(page.get_by_role("link", name="Wie mag wat zien").first)
    assert_accessible(page)
    follow(page.get_by_role("button", name=re.compile(rf"Intrekken\W+{team.uwv.name}, Signalen")))
    assert "ingetrokken" in page.content()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Wie keek in mijn dossier").first)
    assert "Jet Coach" in page.content()
    assert_accessible(page)
    page.goto("/portal/signals/")
    assert_accessible(page)
    page.goto("/portal/plan/versions/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Wijzigingen 1 → 2"))
    assert "Betaald werk in de zorg" in page.content()
    assert_accessible(page)
    page.goto("/portal/plan/versions/1/")
    assert_accessible(page)
