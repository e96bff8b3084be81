"""Integer query parameters and filters of the API: one reading, one answer for bad input.

A value that is not an integer, or lies outside its range (ids: 64 bits, see
`werkbrug.core.numbers`), answers 400 problem details naming the parameter, never a 500 from the
database driver.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from werkbrug.core.numbers import MAX_ID, parse_int


def int_param(request, name: str, default: int | None = None, *, minimum: int | None = 1,
              maximum: int = MAX_ID) -> int | None:
    """The query parameter `name` as an int in [minimum, maximum]; `default` when absent or empty."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    number = parse_int(raw, minimum=minimum, maximum=maximum)
    if number is None:
        raise ValidationError({name: [ValidationError(
            _("Give a whole number from %(min)s to %(max)s.") % {"min": minimum if minimum is not None else -maximum,
                                                               "max": maximum},
            code="out_of_range")]})
    return number


def valid_body(serializer_class, request, *, partial: bool = False) -> dict:
    """The request body validated by `serializer_class` (400 problem details when it is not valid).

    Call it only after the object the route names has been authorized: validation comes second.
    """
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
