"""Pagination without COUNT for the caseload.

A total count over a large caseload costs as much as the whole list (every row must be checked
against the client's current consent), while people only ever need "is there a next page".
So a page fetches one row more than it shows.

The page is read in two steps: first the page's rows (a lean sort, without the other apps'
per-row columns), then those columns for just those rows. A far page (`OFFSET 5000`) then does
not compute the per-row columns for the 5 000 rows it skips. The caseload's own reading is in
`caseload.py` (`CaseloadSearch.page`); `page_of` hands a caseload search to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class Page:
    items: list[Any]
    number: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_of(queryset: QuerySet | Any, number: Any, page_size: int) -> Page:
    """Page `number` (from 1; bad input is page 1) of a queryset, or of a caseload search."""
    if hasattr(queryset, "page") and not isinstance(queryset, QuerySet):
        return queryset.page(number, page_size)
    try:
        number = max(1, min(int(number), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * page_size
    ids = list(queryset.values_list("pk", flat=True)[start : start + page_size + 1])
    found = {row.pk: row for row in queryset.filter(pk__in=ids[:page_size]).order_by()} if ids else {}
    rows = [found[pk] for pk in ids[:page_size] if pk in found]
    return Page(items=rows, number=number, page_size=page_size, has_next=len(ids) > page_size)
