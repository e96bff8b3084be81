"""Browser walk: a jobcoach writes a journal note and uploads the signed consent; a therapist of an
organisation without care consent sees neither the care note nor the care document."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.casefile.models import Document, JournalEntry
from werkbrug.clients.models import ConsentEvent
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord, User

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(team, therapist):
    for user, name in ((team.jobcoach, "demo.jet.coach"), (therapist, "demo.thea.therapeut")):
        User.objects.filter(pk=user.pk).update(username=name)
    return team


def test_jobcoach_writes_a_note_and_uploads_the_signed_consent(page, sign_in, personas, therapist):
    t = personas.trajectory.pk
    consent = ConsentEvent.objects.filter(client=personas.client, organisation=personas.ggz,
                                          category=DataCategory.CARE).get()
    sign_in(personas.jobcoach)
    page.goto(f"/trajectories/{t}/")
    follow(page.get_by_role("link", name="Journaal", exact=True))
    assert_accessible(page)
    follow(page.get_by_role("link", name="Nieuwe notitie"))
    assert_accessible(page)
    page.get_by_label("Soort contact").select_option("three_way")
    page.get_by_label("Met wie").fill("cliënt en behandelaar")
    page.get_by_label("Soort gegevens").select_option("care")
    page.get_by_label("Notitie", exact=True).fill("Driegesprek: ochtenden gaan beter dan middagen.")
    follow(page.get_by_role("button", name="Notitie opslaan"))
    expect(page.get_by_text("De notitie is opgeslagen.")).to_be_visible()
    assert_accessible(page)
    assert JournalEntry.objects.get().category == DataCategory.CARE

    follow(page.get_by_role("link", name="Documenten", exact=True))
    assert_accessible(page)
    follow(page.get_by_role("link", name="Een document toevoegen"))
    assert_accessible(page)
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "toestemming-getekend.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_label("Titel").fill("Getekende toestemming zorg")
    page.get_by_label("Soort document").select_option("signed_consent")
    page.get_by_label("Soort gegevens").select_option("care")
    page.get_by_label("Hoort bij de toestemmingsregistratie").select_option(str(consent.pk))
    follow(page.get_by_role("button", name="Document toevoegen"))
    expect(page.get_by_text("Het document is toegevoegd.")).to_be_visible()
    assert_accessible(page)
    document = Document.objects.get()
    assert document.consent_event == consent and document.current.content_type == "application/pdf"
    with page.expect_download() as download:
        page.get_by_role("link", name="toestemming-getekend.pdf downloaden").click()
    assert download.value.suggested_filename == "toestemming-getekend.pdf"
    assert AccessLogRecord.objects.filter(action="document.download", actor_id_snapshot=personas.jobcoach.pk,
                                          granted=True).count() == 1

    # The therapist's organisation has no consent for care: neither the note nor the document shows.
    sign_in(therapist)
    page.goto(f"/casefile/trajectories/{t}/journal/")
    assert_accessible(page)
    expect(page.get_by_text("Er zijn nog geen notities.")).to_be_visible()
    expect(page.get_by_text("ochtenden gaan beter")).to_have_count(0)
    page.goto(f"/casefile/trajectories/{t}/documents/")
    expect(page.get_by_text("Er zijn nog geen documenten.")).to_be_visible()
    response = page.goto(f"/casefile/trajectories/{t}/documents/{document.pk}/")
    assert response.status == 404
    response = page.goto(f"/casefile/trajectories/{t}/journal/{JournalEntry.objects.get().pk}/")
    assert response.status == 404
