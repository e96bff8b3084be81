"""Browser walk: send a signal → the recipient acknowledges; record a phase change and a job start."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.collaboration.models import SignalRecipient
from werkbrug.core.models import User
from werkbrug.employment.models import Job, PhaseChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(team, debt_org, debt_counsellor, referral):
    """The shared team, with demo user names so that they can sign in on the persona page."""
    for user, name in ((team.jobcoach, "demo.jet.coach"), (team.labour_expert, "demo.lars.deskundige"),
                       (debt_counsellor, "demo.dina.schuld")):
        User.objects.filter(pk=user.pk).update(username=name)
    return team


def test_signal_acknowledge_phase_and_job(page, sign_in, personas, debt_counsellor, referral):
    t = personas.trajectory.pk
    sign_in(personas.jobcoach)
    page.goto(f"/collaboration/trajectories/{t}/signals/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Nieuw signaal"))
    assert_accessible(page)
    page.get_by_label("Waar gaat het over?").select_option("debts")
    page.get_by_label("Urgent").check()
    page.get_by_label("Bericht").fill("Er komt een beslaglegging aan; dat raakt zijn stemming.")
    page.get_by_label("Lars Deskundige", exact=False).check()
    follow(page.get_by_role("button", name="Signaal versturen"))
    page.wait_for_url(f"**/collaboration/trajectories/{t}/signals/")
    expect(page.get_by_text("Het signaal is verstuurd.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/collaboration/trajectories/{t}/referrals/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Nieuwe verwijzing"))
    assert_accessible(page)

    sign_in(personas.labour_expert)
    page.goto(f"/collaboration/trajectories/{t}/signals/")
    follow(page.get_by_role("button", name="Ik heb dit gelezen"))
    expect(page.get_by_text("U hebt het signaal gelezen.")).to_be_visible()
    assert_accessible(page)
    assert SignalRecipient.objects.get(person=personas.labour_expert).acknowledged_at is not None

    sign_in(debt_counsellor)
    page.goto("/collaboration/")
    assert_accessible(page)
    follow(page.get_by_role("link", name=personas.client.full_name))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Accepteren"))
    expect(page.get_by_text("De verwijzing is bijgewerkt.")).to_be_visible()
    assert_accessible(page)

    sign_in(personas.jobcoach)
    page.goto(f"/employment/trajectories/{t}/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Fase wijzigen"))
    assert_accessible(page)
    page.get_by_label("Nieuwe fase").select_option("job_search")
    follow(page.get_by_role("button", name="Opslaan"))
    page.wait_for_url(f"**/employment/trajectories/{t}/")
    assert PhaseChange.objects.get().phase == "job_search"
    follow(page.get_by_role("link", name="Start van een baan vastleggen"))
    assert_accessible(page)
    page.get_by_label("Werkgever").fill("Bakkerij De Korenbloem")
    page.get_by_label("Functie").fill("Medewerker bakkerij")
    page.get_by_label("Startdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Uren per week").fill("0")
    follow(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Het aantal uren per week moet meer dan 0 zijn.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uren per week").fill("20")
    page.get_by_label("Uurloon (€)").fill("16.00")  # above the statutory minimum (a competitive job)
    follow(page.get_by_role("button", name="Opslaan"))
    page.wait_for_url(f"**/employment/trajectories/{t}/")
    expect(page.get_by_text("Medewerker bakkerij, Bakkerij De Korenbloem")).to_be_visible()
    assert_accessible(page)
    assert Job.objects.get().hours_per_week == 20
    page.goto("/employment/")
    assert_accessible(page)
