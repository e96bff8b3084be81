"""Integers from outside (URL ids, query parameters, request bodies) and the range they must fit.

Ids are 64-bit signed in the database: a larger number cannot name anything, and handed to the
database driver it raises an error that would answer 500. Everything that reads an integer from
a request checks it against these bounds first (the request middleware for ids in paths, the API's
JSON parser for bodies, `werkbrug.api.params.int_param` for query parameters).
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1

# A path segment of digits too long to be an id: 19 digits or more may exceed MAX_ID.
_LONG_NUMBER = re.compile(r"(?:^|/)(\d{19,})(?=/|$)")


def parse_int(value, *, minimum: int | None = None, maximum: int = MAX_ID) -> int | None:
    """`value` as an int within [minimum, maximum], or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > 20:
            return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if number > maximum or (minimum is not None and number < minimum):
        return None
    return number


def path_has_oversized_number(path: str) -> bool:
    """Whether a segment of `path` is a number no id can have (beyond 64 bits)."""
    return any(int(match) > MAX_ID for match in _LONG_NUMBER.findall(path))
