"""SQL that Werkbrug writes itself, for the two databases it runs on (PostgreSQL, SQLite)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Aggregate, CharField

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
