"""Number formatting for research pages (Dutch-style decimals come from the locale)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from ..models import RespondentKind

register = template.Library()


@register.filter
def num(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return number_format(round(float(value), int(digits)), int(digits))


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    return number_format(round(float(value) * 100, 1), 1) + " %"


@register.filter
def rate(responded, invited) -> str:
    return pct(responded / invited) if invited else "—"


@register.filter
def pvalue(value) -> str:
    """A p-value for a table cell headed "p": "< 0,001" or "0,042"."""
    if value is None:
        return "—"
    return "< " + number_format(0.001, 3) if value < 0.001 else num(value, 3)


@register.filter
def p(value) -> str:
    """A p-value in running text, as a statistician writes it: "p < 0,001" or "p = 0,042" (never
    "p = < 0,001"). The exact value is in the API."""
    if value is None:
        return "p = —"
    return "p < " + number_format(0.001, 3) if value < 0.001 else "p = " + num(value, 3)


@register.filter
def respondent_label(kind: str) -> str:
    try:
        return str(RespondentKind(kind).label)
    except ValueError:
        return kind


@register.filter
def summary(cell) -> str:
    """A baseline-table cell: "12 (45,5 %)", "6,5 (1,2)" (mean, SD) or "4 (3–5)" (median, IQR)."""
    if cell is None or not cell.n:
        return "—"
    if cell.kind == "count":
        return f"{cell.count} ({num(cell.percent, 1)} %)"
    if cell.kind == "median":
        return f"{num(cell.median, 1)} ({num(cell.q1, 1)}–{num(cell.q3, 1)})"
    return f"{num(cell.mean, 1)} ({num(cell.sd, 1)})"
