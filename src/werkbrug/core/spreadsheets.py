"""Cells for CSV and XLSX exports that a spreadsheet never runs as a formula.

A text starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs
skip before looking) is taken as a formula when a CSV file is opened in Excel or LibreOffice,
and openpyxl writes such a string as a live formula. An answer typed by a respondent could then
run `=HYPERLINK(…)` or `=WEBSERVICE(…)` on a researcher's machine (CSV injection, OWASP). Every
CSV and XLSX export in the product passes each cell through `spreadsheet_cell`; the text gets a
leading apostrophe, which spreadsheets show as text. Numbers, dates and empty cells pass as they
are. `spreadsheet_text` undoes it for our own imports of our own exports. A text that itself
starts with an apostrophe before such a character (or before another apostrophe) gets one more,
so that undoing gives back exactly the text that was written: `cell` and `text` are inverses.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "spreadsheet_cell", "spreadsheet_row", "spreadsheet_text"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escaped(value: str) -> bool:
    """Whether a written cell starts with the apostrophe `spreadsheet_cell` put in front."""
    return value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'"))


def spreadsheet_cell(value: Any) -> Any:
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or _escaped(value)):
        return "'" + value
    return value


def spreadsheet_row(values: Any) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]


def spreadsheet_text(value: str) -> str:
    """The text of a cell written by `spreadsheet_cell` (for re-importing our own exports)."""
    if _escaped(value):
        return value[1:]
    return value
