"""The API's JSON parser: DRF's, with limits that keep hostile bodies at 400.

- Nesting: at most `MAX_DEPTH` levels of arrays and objects. No request of this API needs more
  than a few; thousands of levels would exhaust Python's recursion (a 500) in the parser or in
  any code that walks the data.
- Integers: within 64 bits (`werkbrug.core.numbers.MAX_ID`). A larger number names no row and
  fits no column; handed to the database driver it fails with a 500.
"""

from __future__ import annotations

import codecs
import json

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant

from werkbrug.core.numbers import MAX_ID

MAX_DEPTH = 32


def _int(text: str) -> int:
    # Checked on the digits first: converting a number of thousands of digits is slow in itself.
    if len(text.lstrip("-")) > 19 or abs(number := int(text)) > MAX_ID:
        raise ParseError(_("A number in the request is too large."))
    return number


def too_deep(data, limit: int = MAX_DEPTH) -> bool:
    """Whether `data` nests lists and dicts more than `limit` levels deep (without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=strict_constant if api_settings.STRICT_JSON else None,
                parse_int=_int,
            )
        except RecursionError:
            raise ParseError(_("The request is nested too deeply.")) from None
        except ValueError as exc:
            raise ParseError(_("The request is not valid JSON.")) from exc
        if too_deep(data):
            raise ParseError(_("The request is nested too deeply."))
        return data
