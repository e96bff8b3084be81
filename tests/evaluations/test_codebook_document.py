"""The codebook of a study's export as a PDF document (every variable, from the same metadata as
the .sav and the CSV codebook table) and the codings table with its spans and quoted text."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations import exports, qualitative, services


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


@pytest.fixture
def spans(populated, research, today):
    """A span coding whose text starts like a formula, in a new interview."""
    interview = services.interview_add(round=populated.rounds[1], label="R2-02", respondent_role="client",
                                       held_on=date(2026, 5, 1), transcript="Ik zei: =SOM(A1) is mijn salaris.",
                                       added_by=research.researcher)
    passage = interview.passages.get()
    coding = qualitative.coding_span_add(passage=passage, code=populated.codes[2], level="client",
                                         coder=research.researcher, quote="=SOM(A1)")
    return populated, coding


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    """Text without white space: a long name may wrap inside its table cell."""
    return re.sub(r"\s+", "", text)


def test_the_codebook_pdf_holds_every_variable_with_its_metadata(spans, research, client):
    populated, _coding = spans
    study = populated.study
    entries = exports.codebook_entries(exports.data_tables(study))
    assert {"start", "end", "quote"} <= {e.variable.name for e in entries if e.table == "codings"}
    client.force_login(research.researcher)
    before = AccessLogRecord.objects.filter(code="E").count()
    with translation.override("nl"):
        response = client.get(f"/research/studies/{study.pk}/export/?table=codebook&format=pdf", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLogRecord.objects.filter(code="E").count() == before + 1
    reader, text = _pdf_text(response.content)
    flat = _squeezed(text)
    for entry in entries:
        assert _squeezed(entry.variable.name) in flat, entry.variable.name
        assert _squeezed(entry.format) in flat, entry.format
    # Dutch labels, levels, value labels and missing codes; page numbers on every page
    for words in ("Codeboek", "Meetniveau", "Waardelabels", "Ontbrekende waarden", "ordinaal", "schaal",
                  "systeem-missing", "niet gerandomiseerd", "de hele passage is gecodeerd", "DATE11",
                  "Helemaal oneens", "Gecodeerde tekst"):
        assert _squeezed(words) in flat, words
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Pagina {number} van {pages}" in page.extract_text()
    assert "Page" not in text and "Value labels" not in text  # no English in the Dutch document
    study_page = client.get(f"/research/studies/{study.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "export/?table=codebook&amp;format=pdf" in study_page and "Codeboek van de variabelen (PDF)" in study_page


def test_every_page_fits_the_paper(spans, research, client):
    """A4 landscape; nothing is laid out beyond the page's right edge (long labels wrap)."""
    populated, _coding = spans
    client.force_login(research.researcher)
    response = client.get(f"/api/v1/research/studies/{populated.study.pk}/export/?table=codebook&format=pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height  # landscape
        xs: list[float] = []

        def seen(text, cm, tm, font, size, xs=xs):
            if text.strip():
                xs.append(tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=seen)
        assert xs and max(xs) < width


@pytest.mark.parametrize(("url", "status"), [
    ("/research/studies/{pk}/export/?table=participants&format=pdf", 404),  # only the codebook is a document
    ("/api/v1/research/studies/{pk}/export/?table=answers&format=pdf", 400),
])
def test_only_the_codebook_is_a_pdf(populated, research, client, url, status):
    client.force_login(research.researcher)
    assert client.get(url.format(pk=populated.study.pk)).status_code == status


def test_outsiders_get_404_and_a_logged_refusal(populated, outsider, client):
    client.force_login(outsider)
    before = AccessLogRecord.objects.filter(code="E").count()
    for url in (f"/research/studies/{populated.study.pk}/export/?table=codebook&format=pdf",
                f"/api/v1/research/studies/{populated.study.pk}/export/?table=codebook&format=pdf"):
        assert client.get(url).status_code == 404
    assert AccessLogRecord.objects.filter(code="E").count() == before + 2


def test_codings_table_has_spans_and_escaped_quotes(spans, research, client):
    populated, coding = spans
    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=codings&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    assert header[-3:] == ["start", "end", "quote"]
    by_interview = {}
    for row in rows[1:]:
        by_interview.setdefault(row[1], []).append(dict(zip(header, row, strict=True)))
    (span,) = by_interview["R2-02"]
    assert (span["start"], span["end"]) == (str(coding.start), str(coding.end))
    assert span["quote"] == "'=SOM(A1)"  # formula-escaped
    assert "Ik zei: =SOM(A1) is mijn salaris."[coding.start:coding.end] == "=SOM(A1)"
    whole = by_interview["R1-01"][0]
    assert (whole["start"], whole["end"]) == ("", "") and whole["quote"] in {p.text for p in populated.passages}


def test_codings_in_the_sav_and_xlsx(spans, research, client, tmp_path):
    import pyreadstat
    from openpyxl import load_workbook

    populated, coding = spans
    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=codings&format=sav")
    path = tmp_path / "c.sav"
    path.write_bytes(b"".join(response.streaming_content))
    frame, meta = pyreadstat.read_sav(str(path))
    span = frame[frame["interview"] == "R2-02"].iloc[0]
    assert (span["start"], span["end"], span["quote"]) == (coding.start, coding.end, "=SOM(A1)")
    assert meta.original_variable_types["start"] == "F8.0" and meta.variable_measure["start"] == "scale"
    book = load_workbook(io.BytesIO(b"".join(client.get(
        f"/research/studies/{populated.study.pk}/export/?format=xlsx").streaming_content)))
    sheet = book["codings"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-3:] == ["start", "end", "quote"]
    assert [coding.start, coding.end, "'=SOM(A1)"] in [row[-3:] for row in values[1:]]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    codebook = {row[1].value: [c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)}
    header = [c.value for c in next(book["codebook"].iter_rows())]
    assert header == ["table", "variable", "label", "type", "level", "format", "values", "missing"]
    assert codebook["quote"][5].startswith("A") and codebook["start"][5] == "F8.0"
