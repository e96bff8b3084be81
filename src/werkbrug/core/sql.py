"""SQL that Werkbrug writes itself, for the two databases it runs on (PostgreSQL, SQLite)."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Aggregate, CharField, QuerySet, Subquery
from django.db.models.lookups import IsNull


def per_row(queryset: QuerySet) -> IsNull:
    """Whether `queryset` (correlated with the outer row) has a row, asked for each row the outer
    query walks, as `(SELECT … LIMIT 1) IS NOT NULL`. As EXISTS, PostgreSQL may turn the question
    into a join or into one hashed set of every answer (it guesses far too few rows pass the
    caseload's rules, or that the walk reads every row, or takes a region filter for a selective
    one): it then joined or hashed a whole caseload or region (10 000–25 000 trajectories) to find
    a page of ten. A scalar subquery can be neither: per row it is a few index lookups, and the
    walk stops at the LIMIT (ADR 0005)."""
    return IsNull(Subquery(queryset.order_by().values("pk")[:1]), False)


# The aggregate that joins a group's texts into one, per database.
_STRING_AGG = {"postgresql": "STRING_AGG", "sqlite": "GROUP_CONCAT"}


def string_agg_function(vendor: str) -> str:
    try:
        return _STRING_AGG[vendor]
    except KeyError:
        raise ImproperlyConfigured(f"Werkbrug supports PostgreSQL and SQLite, not {vendor}") from None


class CommaJoined(Aggregate):
    """A group's texts joined with commas, in no particular order. (Django's own `StringAgg`
    works on every database only from Django 6.0; this also runs on Django 5.2 LTS.)"""

    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=string_agg_function(connection.vendor), **extra_context)


def prepares_statements(connection) -> bool:
    """Does this connection keep prepared statements? PostgreSQL with `prepare_threshold` set."""
    return connection.vendor == "postgresql" and connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None


@contextmanager
def prepared_cursor(connection):
    """A cursor for the few fixed statements on every request for client data (the policy's facts,
    the access-log INSERT): on PostgreSQL it binds parameters on the server, so that psycopg
    prepares each statement once per connection and PostgreSQL no longer parses and plans it on
    every run. Django's own cursors bind on the client, so nothing else is prepared.

    It is Django's cursor wrapper all the same, with the same translation of database errors.
    While Django logs queries (DEBUG, query counts in tests) it is Django's own cursor: psycopg
    forgets a prepared statement's text, and the log should show each statement with its values.
    """
    cursor = connection.cursor()
    if prepares_statements(connection) and not connection.queries_logged:
        import psycopg

        cursor.cursor.close()
        cursor.cursor = psycopg.Cursor(connection.connection)
    with cursor:
        yield cursor
