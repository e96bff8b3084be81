"""Compiled SQL for the caseload's queries, reused from one request to the next.

Building and compiling a Django query costs 0.4–1 ms of CPU, and the caseload's queries with the
other apps' columns several milliseconds; the database itself answers them in a fraction of
that. The caseload runs a handful of query *shapes* all day (a sort, a number of search words, a
filter or not), each time with other *values* (the professional, their organisation, the words,
the ids on the page). So a shape is compiled once per process with marker values in place of the
real ones; where each marker lands among the SQL parameters is remembered, and later requests
run the remembered SQL with their own values. The queries stay ordinary ORM code (`build`), and
run through Django's cursor wrapper (as prepared statements on PostgreSQL), so query counts,
logging and test guards see them as before.

`build(v)` asks `v` for every value that varies between requests:

- `v.int(name)` — an integer (an id);
- `v.ints(name)` — a list of integers (the ids on a page; the list's length is part of the shape);
- `v.text(name)` — a text (a search word; the compiled parameter may be a LIKE pattern around it);
- `v.datetime(name)` — an aware datetime compared with a `DateTimeField` (a moment such as "two
  weeks ago", which changes on every request).

Anything else the query depends on (the sort, whether a filter is on, today's date) belongs in
the `key`. A value that is `None` is passed as it is and makes its own shape (`= NULL` and
`IS NULL` are different SQL). The first time a shape is seen it is compiled twice, with markers
and with the real values, and kept only when filling the markers in gives exactly the real SQL
and parameters; a query whose SQL depends on a value in some other way is simply not kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

from werkbrug.core.sql import prepared_cursor

logger = logging.getLogger(__name__)

__all__ = ["Values", "fetch"]

_INT_MARK = -7_319_000_000_000  # integer markers count down from here: far from any real value
_DATETIME_MARK = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)  # datetime markers count up from here, by microseconds
_MAX_ENTRIES = 512

_NOT_REUSABLE = object()
_cache: dict[tuple, Any] = {}


class Values:
    """Hands the real values to `build`."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def int(self, name: str):
        return self.values[name]

    def ints(self, name: str) -> list:
        return list(self.values[name])

    def text(self, name: str):
        return self.values[name]

    def datetime(self, name: str):
        return self.values[name]


class _Markers(Values):
    """Hands out marker values instead, and remembers which value each one stands for."""

    def __init__(self, values: dict[str, Any]):
        super().__init__(values)
        self.ints_seen: dict[int, tuple[str, int | None]] = {}
        self.texts_seen: dict[str, str] = {}
        self.datetimes_seen: dict[datetime, str] = {}

    def _next_int(self, slot: tuple[str, int | None]) -> int:
        marker = _INT_MARK - len(self.ints_seen) - len(self.texts_seen)
        self.ints_seen[marker] = slot
        return marker

    def int(self, name: str):
        if self.values[name] is None:
            return None
        return self._next_int((name, None))

    def ints(self, name: str) -> list:
        return [self._next_int((name, i)) for i in range(len(self.values[name]))]

    def text(self, name: str):
        if self.values[name] is None:
            return None
        # The underscores show whether Django escaped the word for LIKE ("zq\_3\_zq").
        marker = f"zq_{len(self.ints_seen) + len(self.texts_seen)}_zq"
        self.texts_seen[marker] = name
        return marker

    def datetime(self, name: str):
        if self.values[name] is None:
            return None
        marker = _DATETIME_MARK + timedelta(microseconds=len(self.datetimes_seen) + 1)
        self.datetimes_seen[marker] = name
        return marker


@dataclass(frozen=True)
class _Compiled:
    """SQL ready to run."""

    sql: str
    params: tuple
    names: tuple  # the columns
    converters: tuple  # (position, converter functions, expression), as Django's compiler applies them


@dataclass(frozen=True)
class _Template:
    """SQL with a slot per parameter: ("const", value) | ("int", name, index) | ("text", name,
    before, after, like) | ("datetime", name)."""

    sql: str
    params: tuple
    names: tuple
    converters: tuple

    def filled(self, values: dict[str, Any], connection) -> _Compiled:
        params = []
        for slot in self.params:
            kind = slot[0]
            if kind == "const":
                params.append(slot[1])
            elif kind == "int":
                value = values[slot[1]]
                params.append(value if slot[2] is None else value[slot[2]])
            elif kind == "datetime":
                params.append(connection.ops.adapt_datetimefield_value(values[slot[1]]))
            else:
                word = values[slot[1]]
                if slot[4]:
                    word = connection.ops.prep_for_like_query(word)
                params.append(f"{slot[2]}{word}{slot[3]}")
        return _Compiled(self.sql, tuple(params), self.names, self.converters)


def _shape(key: tuple, values: dict[str, Any]) -> tuple:
    """The key, plus which values there are, the length of each list and which values are None."""
    parts = []
    for name, value in sorted(values.items()):
        if isinstance(value, list | tuple):
            parts.append((name, len(value)))
        else:
            parts.append((name, value is None))
    return (*key, *parts)


def _compile(queryset: QuerySet, using: str) -> _Compiled:
    query = queryset.query
    if query.is_sliced:
        raise ValueError("pass limit and offset to fetch() instead of slicing")
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if len(names) != len(fields) or not query.values_select:
        raise ValueError("build() must return a values_list() query")
    converters = tuple((pos, tuple(convs), expr) for pos, (convs, expr) in compiler.get_converters(fields).items())
    return _Compiled(sql, tuple(params), names, converters)


def _slots(markers: _Markers, params: Sequence, connection) -> tuple:
    slots = []
    escaped = {connection.ops.prep_for_like_query(m): name for m, name in markers.texts_seen.items()}
    # A datetime parameter as the database driver gets it (an aware datetime, or a text on SQLite).
    moments = {connection.ops.adapt_datetimefield_value(m): name for m, name in markers.datetimes_seen.items()}
    for param in params:
        if isinstance(param, datetime | str) and param in moments:
            slots.append(("datetime", moments[param]))
            continue
        if isinstance(param, int) and not isinstance(param, bool) and param in markers.ints_seen:
            slots.append(("int", *markers.ints_seen[param]))
            continue
        if isinstance(param, str):
            found = next(((m, n, True) for m, n in escaped.items() if m in param), None) or next(
                ((m, n, False) for m, n in markers.texts_seen.items() if m in param), None
            )
            if found:
                marker, name, like = found
                before, _, after = param.partition(marker)
                slots.append(("text", name, before, after, like))
                continue
        slots.append(("const", param))
    return tuple(slots)


def fetch(
    key: tuple | None, values: dict[str, Any], build: Callable[[Values], QuerySet], *, model: type[Model],
    limit: int | None = None, offset: int = 0,
) -> list[dict[str, Any]]:
    """The rows of `build(v)` (a `values_list` query, unsliced) for these `values`, as dicts by
    column name; `limit` and `offset` cut it in the database. The shape `key` (with the lengths
    of list values and which values are None) is compiled once; `key=None` compiles every time."""
    using = router.db_for_read(model)
    connection = connections[using]
    shape = (using, connection.vendor, *_shape(key, values)) if key is not None else None
    template = _cache.get(shape) if shape is not None else _NOT_REUSABLE
    try:
        if template is None:
            compiled = _first_time(shape, values, build, connection)
        elif template is _NOT_REUSABLE:
            compiled = _compile(build(Values(values)), using)
        else:
            compiled = template.filled(values, connection)
    except EmptyResultSet:  # e.g. `pk__in=[]`: nothing to ask the database
        return []
    sql = compiled.sql
    if limit is not None or offset:
        sql = f"{sql} {connection.ops.limit_offset_sql(offset, None if limit is None else offset + limit)}"
    # A kept shape runs as a prepared statement (PostgreSQL): the same SQL text every time, so the
    # database stops planning it anew on every request, which cost more than running it.
    reused = template is not None and template is not _NOT_REUSABLE
    with (prepared_cursor(connection) if reused else connection.cursor()) as cursor:
        cursor.execute(sql, compiled.params)
        rows = cursor.fetchall()
    names = compiled.names
    if not compiled.converters:
        return [dict(zip(names, row, strict=True)) for row in rows]
    out = []
    for row in map(list, rows):
        for pos, convs, expression in compiled.converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        out.append(dict(zip(names, row, strict=True)))
    return out


def _first_time(shape: tuple, values: dict[str, Any], build, connection) -> _Compiled:
    """Compile with the real values and with markers; keep the marked one if it fills in to the same."""
    real = _compile(build(Values(values)), shape[0])
    markers = _Markers(values)
    marked = _compile(build(markers), shape[0])
    template = _Template(marked.sql, _slots(markers, marked.params, connection), marked.names, marked.converters)
    filled = template.filled(values, connection)
    if len(_cache) >= _MAX_ENTRIES:
        _cache.clear()
    if (filled.sql, filled.params) == (real.sql, real.params):
        _cache[shape] = template
    else:
        logger.warning("caseload query shape %r is not reusable; it is compiled on every request", shape[2:])
        _cache[shape] = _NOT_REUSABLE
    return real
