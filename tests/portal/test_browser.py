"""Browser walk: the client ticks off their own action, asks for a correction, and downloads their
data; the PDF lists the access log (who looked at their file). Every page is checked with axe-core."""

from __future__ import annotations

import io

import pytest

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(team, client_user):
    from tests.plans.conftest import goals_for
    from werkbrug.core.models import User
    from werkbrug.plans.services import plan_save

    for user, name in ((team.jobcoach, "demo.jet"), (team.labour_expert, "demo.lars"), (client_user, "demo.sam")):
        User.objects.filter(pk=user.pk).update(username=name)
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    return team


def test_client_ticks_off_asks_for_a_correction_and_downloads_their_data(page, sign_in, people, client_user):
    pypdf = pytest.importorskip("pypdf")
    team = people

    # The labour expert reads the plan: that lands in the client's access log.
    sign_in(team.labour_expert)
    page.goto(f"/plans/{team.trajectory.pk}/")
    assert "Cv bijwerken" in page.content()

    sign_in(client_user)
    page.goto("/portal/plan/")
    assert_accessible(page)
    follow(page.get_by_role("button", name="Dit heb ik gedaan"))
    assert "is afgevinkt" in page.content()
    assert_accessible(page)

    follow(page.get_by_role("link", name="Klopt er iets niet?"))
    assert_accessible(page)
    page.select_option("#id_subject", "intake")
    page.fill("#id_text", "Mijn opleiding ontbreekt: mbo 2 groen.")
    follow(page.get_by_role("button", name="Naar mijn planregisseur sturen"))
    assert "Wacht op antwoord" in page.content()
    assert_accessible(page)

    for name in ("Mijn intake", "Mijn verwijzingen", "Mijn werk"):
        follow(page.get_by_role("link", name=name).first)
        assert_accessible(page)
    follow(page.get_by_role("link", name="Mijn gegevens downloaden").first)
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Mijn gegevens als pdf, om te lezen").click()
    download = info.value
    assert download.suggested_filename == f"werkbrug-{team.client.pseudonym}.pdf"
    with open(download.path(), "rb") as pdf:
        reader = pypdf.PdfReader(io.BytesIO(pdf.read()))
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    assert "Wie keek in mijn dossier" in text
    assert "Lars Deskundige" in text and "UWV Test" in text  # who looked, from which organisation
    assert "Mijn opleiding ontbreekt" in text  # the correction request
    with page.expect_download() as info:
        page.get_by_role("link", name="Mijn gegevens als JSON-bestand, om te hergebruiken").click()
    import json

    with open(info.value.path(), "rb") as data:
        exported = json.load(data)
    assert any(row["who"] == "Lars Deskundige" for row in exported["access_log"])

    # The plan director reads the request from the notification and answers it.
    from werkbrug.portal.models import CorrectionRequest

    sign_in(team.jobcoach)
    page.goto(f"/portal/correction-requests/{CorrectionRequest.objects.get().pk}/")
    assert "Mijn opleiding ontbreekt" in page.content()
    assert_accessible(page)
    page.fill("#id_answer", "Aangevuld in de intake.")
    follow(page.get_by_role("button", name="Antwoord versturen"))
    assert "Aangevuld in de intake." in page.content()
    assert_accessible(page)
