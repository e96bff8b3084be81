"""Reading an import file of a trial: CSV (comma or semicolon, as Dutch Excel writes it) or XLSX.

The rules:

- at most `MAX_BYTES` (2 MB), `MAX_ROWS` rows and `MAX_COLUMNS` columns; a cell of at most
  `MAX_CELL` characters. The first row names the columns (case and spaces do not matter);
- an XLSX file is recognised by its content (a zip archive holding a workbook), not by its name;
  only the first sheet is read, with the values a spreadsheet last computed: a formula is never
  run. A text cell that starts with the apostrophe our own exports put before `=`, `+`, `-` or
  `@` is read back without it (`core.spreadsheets.spreadsheet_text`);
- every row keeps its line number as the person sees it in the file (the header is line 1), so an
  error can say "Regel 7: …";
- dates: an XLSX date, `2026-03-01` or `1-3-2026` (day-month-year).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from werkbrug.core.spreadsheets import spreadsheet_text

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_CELL = 5000


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


def _header(cells: list[Any]) -> list[str]:
    cells = list(cells)
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()  # a spreadsheet pads rows with empty cells
    names = [str(c or "").strip().lower().replace(" ", "_") for c in cells]
    if not any(names):
        raise ValidationError(_("The first line must name the columns."), code="no_header")
    if len(names) > MAX_COLUMNS:
        raise ValidationError(_("The file has too many columns (at most %(n)s).") % {"n": MAX_COLUMNS}, code="columns")
    seen = [n for n in names if n]
    if len(set(seen)) != len(seen):
        raise ValidationError(_("A column name appears twice in the first line."), code="duplicate_column")
    return names


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = spreadsheet_text(value.strip())
        if len(value) > MAX_CELL:
            raise ValidationError(_("A cell is too long (at most %(n)s characters).") % {"n": MAX_CELL}, code="cell")
        return value
    return value


def _rows(lines: list[tuple[int, list[Any]]]) -> list[Row]:
    if not lines:
        raise ValidationError(_("The file is empty."), code="empty")
    names = _header(lines[0][1])
    rows = []
    for number, cells in lines[1:]:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("The file has too many rows (at most %(n)s).") % {"n": MAX_ROWS}, code="rows")
        values = {name: _cell(cell) for name, cell in zip(names, cells, strict=False) if name}
        rows.append(Row(number, values))
    return rows


def _xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any broken archive is the same answer to the person
        raise ValidationError(_("The file is not a readable Excel workbook."), code="xlsx") from None
    try:
        sheet = book.worksheets[0]
        lines = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            if number > MAX_ROWS + 1:
                raise ValidationError(_("The file has too many rows (at most %(n)s).") % {"n": MAX_ROWS}, code="rows")
            lines.append((number, list(cells)))
        return lines
    finally:
        book.close()


def _csv(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValidationError(_("The file is not a CSV or Excel file."), code="binary")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
    csv.field_size_limit(MAX_CELL + 10)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in reader:
            if len(lines) > MAX_ROWS + 1:
                raise ValidationError(_("The file has too many rows (at most %(n)s).") % {"n": MAX_ROWS}, code="rows")
            lines.append((reader.line_num, cells))
    except csv.Error:
        raise ValidationError(_("Line %(line)s: the file cannot be read as CSV.") % {"line": reader.line_num + 1},
                              code="csv") from None
    return lines


def read(data: bytes) -> list[Row]:
    """The rows of an uploaded file; ValidationError (in the person's language) when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large (at most 2 MB)."), code="too_large")
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if data[:4] == b"PK\x03\x04":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ValidationError(_("The file is not a readable Excel workbook."), code="xlsx")
        return _rows(_xlsx(data))
    return _rows(_csv(data))


def pick(values: dict[str, Any], *names: str) -> Any:
    """The first of the column's names (Dutch or English) that the file uses."""
    for name in names:
        if name in values:
            return values[name]
    return None


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date, no time
        except ValueError:
            continue
    return None
