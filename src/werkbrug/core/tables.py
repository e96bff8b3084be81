"""Reading an uploaded table (CSV or XLSX) for an import: bounded, sniffed, line-numbered.

- The kind is read from the bytes, not from the name: an XLSX file is a zip (`PK\\x03\\x04`); any
  other upload must be UTF-8 text (with or without BOM), comma- or semicolon-separated (Dutch
  Excel writes semicolons).
- Bounded: at most `MAX_BYTES` and `MAX_ROWS`; cells at most `MAX_CELL` characters.
- Each row keeps the line number a person sees in their spreadsheet (the header is line 1), so
  that every error can name it. Cells that our own exports escaped against formulas come back as
  their text (`spreadsheet_text`); dates in XLSX cells come back as `date`.
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
MAX_CELL = 2000


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def _clean(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = spreadsheet_text(str(value).strip())
    if len(text) > MAX_CELL:
        raise ValidationError(_("A cell holds more than %(n)s characters.") % {"n": MAX_CELL}, code="cell")
    return text


def _rows(records: list[list[Any]]) -> Table:
    if not records:
        raise ValidationError(_("The file is empty."), code="empty")
    header = [str(h or "").strip().lower() for h in records[0]]
    if not any(header):
        raise ValidationError(_("The first line must name the columns."), code="header")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        values = [_clean(v) for v in record]
        if not any(v not in ("", None) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("A file has at most %(n)s lines.") % {"n": MAX_ROWS}, code="too_many")
        rows.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    return Table(header=[h for h in header if h], rows=rows)


def read_table(upload) -> Table:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code="size")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code="size")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Upload a CSV file in UTF-8 or an Excel file (.xlsx)."), code="encoding") from exc
    if "\0" in text:
        raise ValidationError(_("Upload a CSV file in UTF-8 or an Excel file (.xlsx)."), code="binary")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": exc}, code="csv") from exc
    return _rows(records)


def _xlsx(data: bytes) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(_("The Excel file cannot be read."), code="xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        records = []
        for row in sheet.iter_rows(values_only=True):
            if len(records) > MAX_ROWS + 1:
                raise ValidationError(_("A file has at most %(n)s lines.") % {"n": MAX_ROWS}, code="too_many")
            records.append(list(row)[:100])
    finally:
        workbook.close()
    return _rows(records)
