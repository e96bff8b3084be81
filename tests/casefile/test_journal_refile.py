"""A correction re-files a journal note under another data category: the new category decides who
reads the note; an earlier version stays readable only for whoever may read the category it was
written in; the history shows the change; the writer needs both categories."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.support.api import assert_problem
from werkbrug.casefile.models import JournalEntry, JournalVersion
from werkbrug.casefile.services import journal_entry_correct
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db

WORK_TEXT = "Werkgever gebeld over de uren."
CARE_TEXT = "Behandelaar meldt een nieuwe medicatie."


def _entry_url(team, entry, suffix=""):
    name = "casefile:journal_correct" if suffix == "correct" else "casefile:journal_entry"
    return reverse(name, kwargs={"trajectory_pk": team.trajectory.pk, "pk": entry.pk})


def _refile(team, entry, category, text=None, author=None):
    v = entry.current
    return journal_entry_correct(entry=entry, author=author or team.jobcoach, kind=v.kind, occurred_on=v.occurred_on,
                                 with_whom=v.with_whom, text=text or v.text, reason="Verkeerd ingedeeld.",
                                 shared_with_client=v.shared_with_client, category=category)


def _last() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_refiled_to_care_through_the_page_hides_it_from_the_therapist(client, team, therapist, note):
    entry = note(category=DataCategory.WORK_INCOME, text=CARE_TEXT)
    client.force_login(therapist)
    assert client.get(_entry_url(team, entry)).status_code == 200  # work and income: the therapist reads it
    client.force_login(team.jobcoach)
    form = client.get(_entry_url(team, entry, "correct")).content.decode()
    assert 'name="category"' in form and "Zorg" in form
    v = entry.current
    response = client.post(_entry_url(team, entry, "correct"), {
        "occurred_on": v.occurred_on.isoformat(), "kind": v.kind, "with_whom": v.with_whom, "text": v.text,
        "category": DataCategory.CARE, "reason": "Dit is zorginformatie.",
    })
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.category == DataCategory.CARE and entry.current.number == 2
    assert list(JournalVersion.objects.filter(entry=entry).order_by("number").values_list("category", flat=True)) == [
        DataCategory.WORK_INCOME, DataCategory.CARE]
    page = client.get(_entry_url(team, entry)).content.decode()
    assert "opnieuw ingedeeld van “Werk en inkomen” naar “Zorg”" in page
    # The new category decides: the therapist (no care consent) no longer finds the note at all.
    client.force_login(therapist)
    assert client.get(_entry_url(team, entry)).status_code == 404
    journal = client.get(reverse("casefile:journal", kwargs={"trajectory_pk": team.trajectory.pk})).content.decode()
    assert CARE_TEXT not in journal
    assert_problem(client.get(f"/api/v1/journal/{entry.pk}/"), 404)


def test_refiled_away_from_care_keeps_the_old_version_closed(client, team, therapist, note):
    entry = note(category=DataCategory.CARE, text=CARE_TEXT)
    _refile(team, entry, DataCategory.WORK_INCOME, text=WORK_TEXT)
    client.force_login(therapist)
    before = _last()
    page = client.get(_entry_url(team, entry)).content.decode()
    assert WORK_TEXT in page and CARE_TEXT not in page
    assert "niet mag inzien" in page
    body = client.get(f"/api/v1/journal/{entry.pk}/").json()
    assert [(v["number"], v["category"], v["readable"], v["text"]) for v in body["versions"]] == [
        (2, DataCategory.WORK_INCOME, True, WORK_TEXT), (1, DataCategory.CARE, False, None)]
    assert body["versions"][0]["refiled_from"] == DataCategory.CARE
    assert CARE_TEXT not in str(body)
    # Nothing of care was read by the therapist.
    assert not AccessLogRecord.objects.filter(id__gt=before, data_category=DataCategory.CARE, granted=True).exists()
    # The jobcoach (care consent) reads both versions; the care version is logged in its own category.
    client.force_login(team.jobcoach)
    before = _last()
    body = client.get(f"/api/v1/journal/{entry.pk}/").json()
    assert [v["text"] for v in body["versions"]] == [WORK_TEXT, CARE_TEXT]
    logged = set(AccessLogRecord.objects.filter(id__gt=before, granted=True).values_list("data_category", flat=True))
    assert {DataCategory.WORK_INCOME, DataCategory.CARE} <= logged


def test_the_writer_needs_the_new_category_too(client, team, therapist, note):
    entry = note(category=DataCategory.WORK_INCOME, text=WORK_TEXT)
    client.force_login(therapist)
    v = entry.current
    response = client.post(f"/api/v1/journal/{entry.pk}/corrections/", {
        "kind": v.kind, "occurred_on": v.occurred_on.isoformat(), "with_whom": v.with_whom, "text": v.text,
        "reason": "Zorg.", "category": DataCategory.CARE,
    }, content_type="application/json")
    assert_problem(response, 404)
    entry.refresh_from_db()
    assert entry.category == DataCategory.WORK_INCOME and entry.versions.count() == 1
    assert AccessLogRecord.objects.filter(actor_id_snapshot=therapist.pk, granted=False,
                                          data_category=DataCategory.CARE).exists()
    # The care form choice is not even offered to the therapist.
    form = client.get(_entry_url(team, entry, "correct")).content.decode()
    assert f'value="{DataCategory.CARE}"' not in form


def test_api_refile_and_unchanged(client, team, note):
    entry = note(category=DataCategory.PARTICIPATION, text=WORK_TEXT)
    client.force_login(team.jobcoach)
    v = entry.current
    body = {"kind": v.kind, "occurred_on": v.occurred_on.isoformat(), "with_whom": v.with_whom, "text": v.text,
            "reason": "Hoort bij werk.", "category": DataCategory.WORK_INCOME}
    response = client.post(f"/api/v1/journal/{entry.pk}/corrections/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["category"] == DataCategory.WORK_INCOME
    assert response.json()["versions"][0]["refiled_from"] == DataCategory.PARTICIPATION
    # The same again changes nothing; leaving the category out keeps it.
    assert_problem(client.post(f"/api/v1/journal/{entry.pk}/corrections/", body, content_type="application/json"), 400)
    body.pop("category")
    assert_problem(client.post(f"/api/v1/journal/{entry.pk}/corrections/", body, content_type="application/json"), 400)
    assert JournalEntry.objects.get(pk=entry.pk).category == DataCategory.WORK_INCOME
    # Research participation is no case-file category.
    body["category"] = DataCategory.RESEARCH
    assert_problem(client.post(f"/api/v1/journal/{entry.pk}/corrections/", body, content_type="application/json"), 400)


def test_service_refuses_a_stale_category(team, note):
    entry = note(category=DataCategory.WORK_INCOME, text=WORK_TEXT)
    stale = JournalEntry.objects.get(pk=entry.pk)
    _refile(team, entry, DataCategory.CARE)
    stale.current = entry.current
    with pytest.raises(ValidationError) as exc:
        _refile(team, stale, DataCategory.PLAN)
    assert exc.value.code == "stale"
