"""Reading an uploaded table (CSV or XLSX) for an import: bounded, sniffed, line-numbered.

The one reader of CSV and XLSX uploads in Werkbrug (the interchange imports and a trial's data
import both read through `read_table`):

- The kind is read from the bytes, not from the name: an XLSX file is a zip (`PK\\x03\\x04`); any
  other upload must be text: UTF-8 (with or without BOM) or, failing that, Windows-1252 (what
  Dutch Excel writes as "CSV (gescheiden door lijstscheidingsteken)"); comma-, semicolon- or
  tab-separated, whichever the first line has most of (Dutch Excel writes semicolons).
- XLSX: only the first sheet, with the values a spreadsheet last computed (`data_only`): a formula
  is never run.
- Bounded: at most `MAX_BYTES`, `MAX_ROWS` rows (not counting empty ones) and `MAX_COLUMNS`
  columns; cells at most `max_cell` characters (`MAX_CELL` unless the caller allows more).
- The first row names the columns (case does not matter; trailing empty cells are ignored); a
  name used twice is refused.
- Each row keeps the line number a person sees in their spreadsheet (the header is line 1;
  empty lines count, a cell with a line break inside stays one row), so that every error can
  name it. Cells that our own exports escaped against formulas come back as their text
  (`spreadsheet_text`); dates in XLSX cells come back as `date`, other values as text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .spreadsheets import spreadsheet_text

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_CELL = 2000


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def _clean(value: Any, max_cell: int) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = spreadsheet_text(str(value).strip())
    if len(text) > max_cell:
        raise ValidationError(_("A cell holds more than %(n)s characters.") % {"n": max_cell}, code="cell")
    return text


def _header(cells: list[Any]) -> list[str]:
    header = [str(h or "").strip().lower() for h in cells]
    while header and not header[-1]:
        header.pop()  # a spreadsheet pads rows with empty cells
    if not any(header):
        raise ValidationError(_("The first line must name the columns."), code="header")
    if len(header) > MAX_COLUMNS:
        raise ValidationError(_("A file has at most %(n)s columns.") % {"n": MAX_COLUMNS}, code="columns")
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        raise ValidationError(_("A column name appears twice in the first line."), code="duplicate_column")
    return header


def _rows(records: list[list[Any]], max_cell: int) -> Table:
    if not records:
        raise ValidationError(_("The file is empty."), code="empty")
    header = _header(records[0])
    rows = []
    for number, record in enumerate(records[1:], start=2):
        values = [_clean(v, max_cell) for v in record[:len(header)]]
        if not any(v not in ("", None) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("A file has at most %(n)s lines.") % {"n": MAX_ROWS}, code="too_many")
        rows.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    return Table(header=[h for h in header if h], rows=rows)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Upload a CSV file in UTF-8 or an Excel file (.xlsx)."), code="encoding") from exc


def read_table(upload, *, max_cell: int = MAX_CELL) -> Table:
    """The rows of an uploaded file (anything with `size` and `read`); a ValidationError in the
    person's language when it cannot be read."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code="size")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code="size")
    if data.startswith(b"PK\x03\x04"):
        return _rows(_xlsx(data), max_cell)
    text = _text(data)
    if "\0" in text:
        raise ValidationError(_("Upload a CSV file in UTF-8 or an Excel file (.xlsx)."), code="binary")
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            if len(records) > MAX_ROWS + 1:
                raise ValidationError(_("A file has at most %(n)s lines.") % {"n": MAX_ROWS}, code="too_many")
            records.append(record)
    except csv.Error as exc:
        raise ValidationError(_("Line %(line)s: the file cannot be read as CSV.") % {"line": len(records) + 1},
                              code="csv") from exc
    return _rows(records, max_cell)


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any broken archive is the same answer to the person
        raise ValidationError(_("The Excel file cannot be read."), code="xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        records = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            if len(records) > MAX_ROWS + 1:
                raise ValidationError(_("A file has at most %(n)s lines.") % {"n": MAX_ROWS}, code="too_many")
            records.append(list(row))
    finally:
        workbook.close()
    return records
