"""The contact journal: notes per trajectory, consent per category, corrections keep history,
search, the client's shared notes, the access log — through pages and API."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.support.api import assert_problem
from werkbrug.casefile.models import JournalEntry, JournalVersion
from werkbrug.casefile.selectors import journal_shared_with_client
from werkbrug.casefile.services import journal_entry_correct
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db

CARE_TEXT = "Driegesprek met de behandelaar over de medicatie."


def _journal(t):
    return reverse("casefile:journal", kwargs={"trajectory_pk": t})


def _records_since(before: int):
    return list(AccessLogRecord.objects.filter(id__gt=before).values_list("data_category", "code", "granted"))


def _last() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_jobcoach_writes_a_note_through_the_page(client, team):
    client.force_login(team.jobcoach)
    t = team.trajectory.pk
    page = client.get(reverse("casefile:journal_create", kwargs={"trajectory_pk": t}))
    assert page.status_code == 200
    assert "---------" not in page.content.decode()
    before = _last()
    response = client.post(reverse("casefile:journal_create", kwargs={"trajectory_pk": t}), {
        "occurred_on": timezone.localdate().isoformat(), "kind": "phone", "with_whom": "de werkgever",
        "category": DataCategory.WORK_INCOME, "text": "Werkgever gebeld, ze begint maandag.",
    })
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.category == DataCategory.WORK_INCOME and entry.current.text == "Werkgever gebeld, ze begint maandag."
    assert entry.current.shared_with_client is False
    # One record, for the category written (code C); the check before reading the form logs nothing.
    assert _records_since(before) == [(DataCategory.WORK_INCOME, "C", True)]
    journal = client.get(_journal(t)).content.decode()
    assert "Werkgever gebeld, ze begint maandag." in journal and "Telefoongesprek" in journal


@time_machine.travel(datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_invalid_note_is_400_and_writes_nothing(client, team):
    client.force_login(team.jobcoach)
    url = reverse("casefile:journal_create", kwargs={"trajectory_pk": team.trajectory.pk})
    tomorrow = "2026-12-05"  # at 23:30 in Amsterdam the 5th is still tomorrow; the 4th is today
    today = client.post(url, {"occurred_on": "2026-12-04", "kind": "phone", "category": "participation", "text": "x"})
    assert today.status_code == 302
    response = client.post(url, {"occurred_on": tomorrow, "kind": "phone", "category": "participation", "text": "x"})
    assert response.status_code == 400
    assert "De datum van het contact kan niet in de toekomst liggen." in response.content.decode()
    response = client.post(url, {"occurred_on": "2026-01-01", "kind": "telepathy", "category": "participation",
                                 "text": "x"})
    assert response.status_code == 400
    assert JournalEntry.objects.count() == 1  # only today's


def test_correction_keeps_the_old_text_and_shows_history(client, team, note):
    entry = note(text="Cliënt begint op dinsdag.")
    client.force_login(team.jobcoach)
    url = reverse("casefile:journal_correct", kwargs={"trajectory_pk": team.trajectory.pk, "pk": entry.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "occurred_on": entry.current.occurred_on.isoformat(), "kind": "conversation", "with_whom": "de cliënt",
        "text": "Cliënt begint op maandag.", "reason": "Verkeerde dag genoteerd.",
    })
    assert response.status_code == 302
    versions = list(JournalVersion.objects.filter(entry=entry).order_by("number").values_list("number", "text", "reason"))
    assert versions == [(1, "Cliënt begint op dinsdag.", ""), (2, "Cliënt begint op maandag.", "Verkeerde dag genoteerd.")]
    entry.refresh_from_db()
    assert entry.current.number == 2
    page = client.get(reverse("casefile:journal_entry", kwargs={"trajectory_pk": team.trajectory.pk, "pk": entry.pk}))
    text = page.content.decode()
    assert "Cliënt begint op dinsdag." in text and "Cliënt begint op maandag." in text
    assert "Verkeerde dag genoteerd." in text and "Geschiedenis" in text
    # The list shows the current text only.
    journal = client.get(_journal(team.trajectory.pk)).content.decode()
    assert "Cliënt begint op maandag." in journal and "Cliënt begint op dinsdag." not in journal


def test_correction_needs_a_reason_and_a_change(team, note):
    from django.core.exceptions import ValidationError

    entry = note(text="Tekst.")
    v = entry.current
    with pytest.raises(ValidationError):
        journal_entry_correct(entry=entry, author=team.jobcoach, kind=v.kind, occurred_on=v.occurred_on,
                              with_whom=v.with_whom, text="Andere tekst.", reason="")
    with pytest.raises(ValidationError):
        journal_entry_correct(entry=entry, author=team.jobcoach, kind=v.kind, occurred_on=v.occurred_on,
                              with_whom=v.with_whom, text=v.text, reason="Niets")
    assert JournalVersion.objects.filter(entry=entry).count() == 1


def test_therapist_without_care_consent_cannot_see_the_care_note(client, team, therapist, note):
    care = note(category=DataCategory.CARE, text=CARE_TEXT)
    note(category=DataCategory.WORK_INCOME, text="Werkgever gebeld.")
    t = team.trajectory.pk
    client.force_login(therapist)
    before = _last()
    page = client.get(_journal(t)).content.decode()
    assert "Werkgever gebeld." in page and CARE_TEXT not in page
    # One record per category shown: the trajectory (participation) and work and income; no care.
    assert sorted(_records_since(before)) == [(DataCategory.PARTICIPATION, "R", True),
                                              (DataCategory.WORK_INCOME, "R", True)]
    assert client.get(reverse("casefile:journal_entry", kwargs={"trajectory_pk": t, "pk": care.pk})).status_code == 404
    assert client.get(reverse("casefile:journal_correct", kwargs={"trajectory_pk": t, "pk": care.pk})).status_code == 404
    assert client.post(reverse("casefile:journal_correct", kwargs={"trajectory_pk": t, "pk": care.pk}),
                       {"text": "x"}).status_code == 404
    # Searching for it finds nothing either.
    assert CARE_TEXT not in client.get(_journal(t) + "?q=medicatie").content.decode()
    # API: the list leaves it out, the note itself is 404.
    body = client.get(f"/api/v1/trajectories/{t}/journal/").json()
    assert [e["current"]["text"] for e in body] == ["Werkgever gebeld."]
    assert_problem(client.get(f"/api/v1/journal/{care.pk}/"), 404)
    assert_problem(client.post(f"/api/v1/journal/{care.pk}/corrections/", {}, content_type="application/json"), 404)
    # The refusals are in the access log, for care.
    assert AccessLogRecord.objects.filter(actor_id_snapshot=therapist.pk, granted=False,
                                          data_category=DataCategory.CARE).count() == 5
    # Writing a care note is refused too (the form does not offer it; the service refuses it).
    response = client.post(f"/api/v1/trajectories/{t}/journal/", {
        "category": "care", "kind": "conversation", "occurred_on": timezone.localdate().isoformat(), "text": "x"},
        content_type="application/json")
    assert_problem(response, 404)
    # The jobcoach (GGZ, with care consent) sees it.
    client.force_login(team.jobcoach)
    assert CARE_TEXT in client.get(_journal(t)).content.decode()


def test_consent_withdrawn_hides_the_notes_at_once(client, team, note):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    note(category=DataCategory.WORK_INCOME, text="Werkgever gebeld.")
    client.force_login(team.labour_expert)
    assert "Werkgever gebeld." in client.get(_journal(team.trajectory.pk)).content.decode()
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.WORK_INCOME,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    assert "Werkgever gebeld." not in client.get(_journal(team.trajectory.pk)).content.decode()


def test_outsider_and_client_get_404(client, team, note, client_user):
    entry = note()
    t = team.trajectory.pk
    for user in (team.outsider, client_user):
        client.force_login(user)
        for url in (_journal(t), reverse("casefile:journal_create", kwargs={"trajectory_pk": t}),
                    reverse("casefile:journal_entry", kwargs={"trajectory_pk": t, "pk": entry.pk})):
            assert client.get(url).status_code == 404, url
        assert_problem(client.get(f"/api/v1/trajectories/{t}/journal/"), 404)
        # Check first: a broken body does not change the answer.
        assert_problem(client.post(f"/api/v1/trajectories/{t}/journal/", "{", content_type="application/json"), 404)


def test_search_within_the_journal(client, team, note):
    note(text="Sollicitatie bij de bakkerij besproken.", with_whom="de cliënt")
    note(text="Cv bijgewerkt.", with_whom="Bakkerij De Korenbloem")
    note(text="Niets over brood.", with_whom="de cliënt")
    client.force_login(team.jobcoach)
    page = client.get(_journal(team.trajectory.pk) + "?q=bakkerij").content.decode()
    assert "Sollicitatie bij de bakkerij" in page and "Cv bijgewerkt." in page and "Niets over brood." not in page
    body = client.get(f"/api/v1/trajectories/{team.trajectory.pk}/journal/?q=BAKKERIJ").json()
    assert len(body) == 2
    # A very long query is cut, not an error.
    assert client.get(_journal(team.trajectory.pk) + "?q=" + "x" * 5000).status_code == 200


def test_api_create_correct_and_history(client, team):
    client.force_login(team.jobcoach)
    t = team.trajectory.pk
    response = client.post(f"/api/v1/trajectories/{t}/journal/", {
        "category": "participation", "kind": "three_way", "occurred_on": timezone.localdate().isoformat(),
        "with_whom": "cliënt en werkgever", "text": "Driegesprek gehad.", "shared_with_client": True,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"/api/v1/journal/{pk}/corrections/", {
        "kind": "three_way", "occurred_on": timezone.localdate().isoformat(), "with_whom": "cliënt en werkgever",
        "text": "Driegesprek gehad; proefplaatsing afgesproken.", "reason": "Afspraak toegevoegd.",
        "shared_with_client": True,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/journal/{pk}/").json()
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][1]["text"] == "Driegesprek gehad."
    assert body["current"]["text"] == "Driegesprek gehad; proefplaatsing afgesproken."
    assert_problem(client.post(f"/api/v1/trajectories/{t}/journal/", {"category": "research", "kind": "phone"},
                               content_type="application/json"), 400)


def test_shared_notes_for_the_client(client, team, note, client_user):
    shared = note(text="Samen de vacature bekeken.", shared=True)
    note(text="Interne afweging van het team.", shared=False)
    corrected = note(text="Eerst gedeeld, daarna niet meer.", shared=True)
    v = corrected.current
    journal_entry_correct(entry=corrected, author=team.jobcoach, kind=v.kind, occurred_on=v.occurred_on,
                          with_whom=v.with_whom, text=v.text, shared_with_client=False, reason="Toch niet delen.")
    assert list(journal_shared_with_client(team.client)) == [shared]
    client.force_login(client_user)
    before = _last()
    response = client.get(reverse("casefile:portal_journal"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Samen de vacature bekeken." in page
    assert "Interne afweging" not in page and "Eerst gedeeld" not in page
    assert _records_since(before) == [(DataCategory.PARTICIPATION, "R", True)]
    # Professionals have no portal.
    client.force_login(team.jobcoach)
    assert client.get(reverse("casefile:portal_journal")).status_code == 404


def test_journal_query_count_does_not_grow(client, team, note, django_assert_max_num_queries):
    for _ in range(3):
        note()
    client.force_login(team.jobcoach)
    url = _journal(team.trajectory.pk)
    with django_assert_max_num_queries(20):
        client.get(url)
    for _ in range(10):
        note(category=DataCategory.CARE)
    with django_assert_max_num_queries(20):
        client.get(url)


def test_every_casefile_page_and_endpoint_logs_once(client, team, note, document, client_user):
    from tests.support.crawl import assert_each_request_logged_once

    entry = note(shared=True)
    doc = document()
    t = team.trajectory.pk
    client.force_login(team.jobcoach)
    assert_each_request_logged_once(client, [
        ("get", _journal(t)),
        ("get", _journal(t) + "?q=werk"),
        ("get", reverse("casefile:journal_create", kwargs={"trajectory_pk": t})),
        ("get", reverse("casefile:journal_entry", kwargs={"trajectory_pk": t, "pk": entry.pk})),
        ("get", reverse("casefile:journal_correct", kwargs={"trajectory_pk": t, "pk": entry.pk})),
        ("get", reverse("casefile:documents", kwargs={"trajectory_pk": t})),
        ("get", reverse("casefile:document_upload", kwargs={"trajectory_pk": t})),
        ("get", reverse("casefile:document", kwargs={"trajectory_pk": t, "pk": doc.pk})),
        ("get", reverse("casefile:document_replace", kwargs={"trajectory_pk": t, "pk": doc.pk})),
        ("get", reverse("casefile:document_download", kwargs={"trajectory_pk": t, "pk": doc.pk,
                                                              "version_pk": doc.current_id})),
        ("get", f"/api/v1/trajectories/{t}/journal/"),
        ("get", f"/api/v1/journal/{entry.pk}/"),
        ("get", f"/api/v1/trajectories/{t}/documents/"),
        ("get", f"/api/v1/documents/{doc.pk}/"),
        ("get", f"/api/v1/document-versions/{doc.current_id}/download/"),
    ])
    client.force_login(client_user)
    assert_each_request_logged_once(client, [("get", reverse("casefile:portal_journal"))])
