"""`core.sql.prepared_cursor`: the policy's facts and the access-log INSERT as prepared statements."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from werkbrug.core import policy
from werkbrug.core.models import AccessLogRecord
from werkbrug.core.policy.clients import forget
from werkbrug.core.sql import prepared_cursor, prepares_statements

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only")


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@postgresql_only
def test_postgresql_prepares_the_hot_statements_once_per_connection(team):
    assert prepares_statements(connection)
    user = team.jobcoach
    for _ in range(3):
        forget(user)
        policy.authorize(user, "client.view", team.client)
    statements = _prepared_statements()
    assert sum("INSERT INTO" in s and "core_accesslogrecord" in s for s in statements) == 1
    # The facts (the team's roles and the consents in one statement) once.
    assert sum("trajectories_teammembership" in s and "clients_consentstate" in s and '"clients_client" c' not in s
               for s in statements) == 1
    # Django's own queries bind on the client and are never prepared.
    assert not any("core_user" in s for s in statements)
    # The records written through the prepared INSERT hold the values given.
    record = AccessLogRecord.objects.order_by("-id").first()
    assert (record.action, record.granted, record.client_pseudonym, record.actor_role, record.purpose) == (
        "client.view", True, team.client.pseudonym, "jobcoach", "team member")


@postgresql_only
def test_a_prepared_statement_gives_each_run_its_own_values():
    results = []
    for value in (1, 2, 3):
        with prepared_cursor(connection) as cursor:
            cursor.execute("SELECT %s::int * 10", [value])
            results.append(cursor.fetchone()[0])
    assert results == [10, 20, 30]
    assert any("$1::int * 10" in s for s in _prepared_statements())


def test_while_queries_are_logged_the_log_shows_the_statement_with_its_values():
    with CaptureQueriesContext(connection) as queries, prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s", [41])
        assert cursor.fetchone()[0] == 41
    assert queries.captured_queries[-1]["sql"] == "SELECT 41"
