"""What an upload may be: name, size and content sniffed from the bytes (`casefile/uploads.py`)."""

import io

import pytest
from django.core.exceptions import ValidationError

from werkbrug.casefile.uploads import check_upload, clean_name

from .conftest import DOCX, JPEG, ODT, PDF, PNG, XLSX, ZIP_AS_DOCX

ACCEPTED = [
    ("formulier.pdf", PDF, "application/pdf"),
    ("scan.PNG", PNG, "image/png"),
    ("foto.jpg", JPEG, "image/jpeg"),
    ("foto.jpeg", JPEG, "image/jpeg"),
    ("verslag.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("uren.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("brief.odt", ODT, "application/vnd.oasis.opendocument.text"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_accepted_files_get_the_type_of_their_bytes(name, data, content_type):
    checked = check_upload(name=name, file=io.BytesIO(data), size=len(data))
    assert checked.content_type == content_type
    assert checked.name == name


REFUSED = [
    ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "content"),          # a script renamed to .pdf
    ("plaatje.png", b"<html><script>alert(1)</script></html>", "content"),  # HTML as an image
    ("scan.png", PDF, "content"),                                  # a PDF named as an image
    ("formulier.pdf", PNG, "content"),                             # an image named as a PDF
    ("verslag.docx", ZIP_AS_DOCX, "content"),                      # a zip of anything renamed .docx
    ("verslag.docx", XLSX, "content"),                             # a spreadsheet renamed .docx
    ("brief.odt", DOCX, "content"),                                # OOXML named as OpenDocument
    ("programma.exe", b"MZ\x90\x00", "type"),                      # a kind we never accept
    ("pagina.html", b"<html></html>", "type"),
    ("zonder-extensie", PDF, "type"),
    ("leeg.pdf", b"", "empty"),
    ("../../etc/passwd.pdf", PDF, "path"),                         # a path in the name
    ("..\\..\\boot.pdf", PDF, "path"),
    ("map/formulier.pdf", PDF, "path"),
    ("\u202e\u200b", PDF, "name"),                                 # nothing left after cleaning
]


@pytest.mark.parametrize(("name", "data", "code"), REFUSED)
def test_refused_files(name, data, code):
    with pytest.raises(ValidationError) as exc:
        check_upload(name=name, file=io.BytesIO(data), size=len(data))
    assert exc.value.code == code


def test_oversized_file_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    data = PDF + b"\0" * (1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        check_upload(name="groot.pdf", file=io.BytesIO(data), size=len(data))
    assert exc.value.code == "too_large"


def test_names_lose_control_and_direction_characters():
    # A right-to-left override would show "formulier‮fdp.exe" as "formulierexe.pdf".
    assert clean_name("rapport\u202e\x00\x1f\n.pdf") == "rapport.pdf"
    assert clean_name("  .verborgen.pdf ") == "verborgen.pdf"
    long = "a" * 400 + ".pdf"
    assert clean_name(long) == "a" * 146 + ".pdf"
