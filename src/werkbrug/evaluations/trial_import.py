"""The rows of a trial's import file, read through the one table reader (`core.tables.read_table`:
CSV with comma, semicolon or tab, UTF-8 or Windows-1252; XLSX recognised by its content, first
sheet, computed values only; at most 2 MB, 5000 rows and 200 columns; our own escaped cells read
back as text; each row with the line number the person sees, the header being line 1).

What a trial import adds: cells of up to `MAX_CELL` characters (an open answer holds 5000), column
names in which spaces count as underscores (`uren per week` = `uren_per_week`), the columns'
Dutch or English names (`pick`) and dates as a person writes them (`as_date`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from werkbrug.core.tables import MAX_BYTES, read_table

__all__ = ["MAX_BYTES", "MAX_CELL", "Row", "as_date", "pick", "read"]

MAX_CELL = 5000


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


def read(data: bytes) -> list[Row]:
    """The rows of an uploaded file; ValidationError (in the person's language) when it cannot be read."""
    table = read_table(ContentFile(data), max_cell=MAX_CELL)
    names = {name: name.replace(" ", "_") for name in table.header}
    if len(set(names.values())) != len(names):
        raise ValidationError(_("A column name appears twice in the first line."), code="duplicate_column")
    return [Row(line, {names[name]: value for name, value in values.items()}) for line, values in table.rows]


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
