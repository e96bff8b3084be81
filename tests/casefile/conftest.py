"""Case-file fixtures: the shared `team` plus a therapist of an organisation without care
consent, notes and documents written through the real services, and files to upload."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from werkbrug.casefile.pdf import tiny_pdf
from werkbrug.core.choices import DataCategory, OrganisationType, Role

PDF = tiny_pdf(["Toestemmingsformulier", "Getekend"])
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def office_file(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_file({
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                           b'officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": b"<Relationships/>",
    "word/document.xml": b"<w:document/>",
})
XLSX = office_file({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office_file({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"})
ZIP_AS_DOCX = office_file({"readme.txt": b"not a document"})


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def care_free_org(make_org):
    return make_org(OrganisationType.REINTEGRATION, "Re-integratie Zonder Zorg")


@pytest.fixture
def therapist(team, care_free_org, make_person):
    """A therapist of an organisation the client consented to take part and see work and income,
    but not care; in the team."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.trajectories.services import team_member_add

    person = make_person(care_free_org, Role.THERAPIST, first_name="Thea", last_name="Therapeut")
    consent_grant(client=team.client, organisation=care_free_org, category=DataCategory.PARTICIPATION,
                  recorded_by=person, method=ConsentMethod.PAPER, evidence="Formulier T-2")
    team_member_add(trajectory=team.trajectory, person=person, role=Role.THERAPIST, added_by=team.jobcoach)
    consent_grant(client=team.client, organisation=care_free_org, category=DataCategory.WORK_INCOME,
                  recorded_by=person, method=ConsentMethod.PAPER, evidence="Formulier T-2")
    return person


@pytest.fixture
def note(team):
    """note(category=..., text=..., shared=...): a journal note by the jobcoach."""
    from werkbrug.casefile.services import journal_entry_create

    def make(category=DataCategory.PARTICIPATION, text="Gesprek gevoerd over werk.", shared=False, author=None,
             with_whom="de cliënt", days_ago=1):
        return journal_entry_create(
            trajectory=team.trajectory, author=author or team.jobcoach, category=category, kind="conversation",
            occurred_on=timezone.localdate() - timedelta(days=days_ago), with_whom=with_whom, text=text,
            shared_with_client=shared,
        )

    return make


@pytest.fixture
def document(team):
    """document(category=..., data=..., name=...): a document uploaded by the jobcoach."""
    from werkbrug.casefile.services import document_upload

    def make(category=DataCategory.PARTICIPATION, data=PDF, name="formulier.pdf", kind="signed_consent",
             consent_event=None):
        return document_upload(
            trajectory=team.trajectory, uploaded_by=team.jobcoach, category=category, kind=kind, title="",
            upload=io.BytesIO(data), name=name, size=len(data), consent_event=consent_event,
        )

    return make
