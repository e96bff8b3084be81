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
    if value is None:
        return "—"
    return "< 0,001" if value < 0.001 else num(value, 3)


@register.filter
def respondent_label(kind: str) -> str:
    try:
        return str(RespondentKind(kind).label)
    except ValueError:
        return kind
