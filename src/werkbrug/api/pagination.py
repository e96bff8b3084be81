from math import inf

from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from werkbrug.core.numbers import parse_int

# No list comes near this many pages; a larger number would reach the database as an offset
# beyond what its integers hold (a 500), so it answers 400.
MAX_PAGE = 1_000_000


class PageFirstPaginator(DjangoPaginator):
    """Reads the page first and counts only when it has to.

    Django's paginator counts every time (`SELECT COUNT(*)`) before it reads the page. Most API
    lists fit on one page, and a page that is not full already tells the total: `count` is then
    the offset plus the rows read, and the COUNT query is saved. A full page still counts, as
    before. The answer (rows, `count`, `next`, `previous`, the 404 past the last page) is the
    same as Django's.
    """

    def page(self, number):
        if self.orphans or "count" in self.__dict__ or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self._validate_number(number, inf)  # not an integer, or below 1: as Django
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if not rows:
            if number > 1:
                raise EmptyPage(self.error_messages["no_results"])
            self.__dict__["count"] = 0
            self.validate_number(number)  # an empty first page, if allowed
        elif len(rows) < self.per_page:
            self.__dict__["count"] = bottom + len(rows)
        return self._get_page(rows, number, self)


class Pagination(PageNumberPagination):
    """`page` (1 to MAX_PAGE, else 400) and `page_size` (above `max_page_size`: the maximum)."""

    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = PageFirstPaginator

    def get_page_number(self, request, paginator):
        raw = super().get_page_number(request, paginator)
        if raw in self.last_page_strings or not str(raw).strip().lstrip("-").isdigit():
            return raw  # "last", or not a number: as DRF answers it (404 "invalid page")
        if parse_int(raw, minimum=1, maximum=MAX_PAGE) is None:
            raise ValidationError({self.page_query_param: [ValidationError(
                _("Give a page number from 1 to %(max)s.") % {"max": MAX_PAGE}, code="out_of_range")]})
        return raw
