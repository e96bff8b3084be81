"""The one reader of uploaded tables (`core.tables.read_table`): what it accepts and refuses, the
line numbers it gives and its bounds. Used by the interchange imports and a trial's import."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from werkbrug.core import tables
from werkbrug.core.tables import read_table


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(data: bytes, **kwargs) -> tables.Table:
    return read_table(ContentFile(data, name="upload.csv"), **kwargs)


@pytest.mark.parametrize(("data", "header", "rows"), [
    # a BOM (Excel's "CSV UTF-8") is not part of the first column's name
    (b"\xef\xbb\xbfNaam,Soort\nA,ggz\n", ["naam", "soort"], [(2, {"naam": "A", "soort": "ggz"})]),
    # semicolons, as Dutch Excel writes them; a comma inside a cell stays
    (b"naam;uren\nB;6,5\n", ["naam", "uren"], [(2, {"naam": "B", "uren": "6,5"})]),
    # tabs
    (b"naam\turen\nC\t8\n", ["naam", "uren"], [(2, {"naam": "C", "uren": "8"})]),
    # Windows-1252 (Dutch Excel's plain CSV): é is 0xe9
    (b"naam;plaats\nRen\xe9;Zw\xe9\n", ["naam", "plaats"], [(2, {"naam": "René", "plaats": "Zwé"})]),
    # line numbers as the spreadsheet shows them: an empty line counts, a line break inside a
    # quoted cell does not start a new row
    (b'naam,notitie\n\n"D","twee\nregels"\nE,x\n', ["naam", "notitie"],
     [(3, {"naam": "D", "notitie": "twee\nregels"}), (4, {"naam": "E", "notitie": "x"})]),
    # our own formula-escaped export cells come back as their text; trailing empty header cells go
    (b"naam,soort,,\n'=Bedrijf,ggz,,\n", ["naam", "soort"], [(2, {"naam": "=Bedrijf", "soort": "ggz"})]),
    # a short row is filled with empty cells
    (b"naam,soort\nF\n", ["naam", "soort"], [(2, {"naam": "F", "soort": ""})]),
])
def test_csv_accepted(data, header, rows):
    table = _read(data)
    assert table.header == header and table.rows == rows


def test_xlsx_is_recognised_by_its_content_not_its_name():
    data = _xlsx([["Naam", "Datum", "Uren"], ["A", date(2026, 3, 1), 6.5], [None, None, None], ["B", "=1+1", 8.0]])
    table = _read(data)  # named upload.csv
    assert table.header == ["naam", "datum", "uren"]
    assert table.rows == [(2, {"naam": "A", "datum": date(2026, 3, 1), "uren": "6.5"}),
                          (4, {"naam": "B", "datum": None, "uren": "8"})]  # a formula is never run


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b",,\nA,B\n", "header"),
    (b"naam,Naam\nA,B\n", "duplicate_column"),
    (",".join(f"k{i}" for i in range(tables.MAX_COLUMNS + 1)).encode(), "columns"),
    (b"naam\n" + b"x" * (tables.MAX_CELL + 1) + b"\n", "cell"),
    (b"naam\n" + b"a\n" * (tables.MAX_ROWS + 1), "too_many"),
    (b"x" * (tables.MAX_BYTES + 1), "size"),
    (b"PK\x03\x04not really a zip", "xlsx"),
    (b"\xff\xfe\x00garbage", "binary"),
    (b"naam\n\x81\x8d\n", "encoding"),  # neither UTF-8 nor Windows-1252
])
def test_refused(data, code):
    with pytest.raises(ValidationError) as caught:
        _read(data)
    assert caught.value.code == code


def test_xlsx_bounds():
    with pytest.raises(ValidationError) as caught:
        _read(_xlsx([[f"k{i}" for i in range(tables.MAX_COLUMNS + 1)]]))
    assert caught.value.code == "columns"
    with pytest.raises(ValidationError) as caught:
        _read(_xlsx([["naam"]] + [["a"]] * (tables.MAX_ROWS + 2)))
    assert caught.value.code == "too_many"


def test_a_caller_may_allow_longer_cells():
    text = "y" * (tables.MAX_CELL + 10)
    assert _read(f"antwoord\n{text}\n".encode(), max_cell=5000).rows == [(2, {"antwoord": text})]
