"""Werkbrug's PostgreSQL sessions carry their own planner settings (conf/base.py; ADRs 0011,
0012, 0015), whatever the server's configuration says."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL session settings"),
]


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_every_session_runs_without_jit_with_generic_plans_and_the_random_read_cost_of_memory():
    assert _show("jit") == "off"
    assert _show("plan_cache_mode") == "force_generic_plan"
    assert float(_show("random_page_cost")) == pytest.approx(1.1)


def test_a_page_of_trajectories_names_its_plan_directors_by_index_not_by_reading_everyone(team, region):
    """The caseload's columns name the plan directors of 25 trajectories: with the server's
    default random_page_cost (4) PostgreSQL read every person and hashed them (ADR 0015)."""
    from django.contrib.auth.hashers import make_password

    from werkbrug.core.models import User
    from werkbrug.trajectories.models import Trajectory

    password = make_password(None)
    people = User.objects.bulk_create(
        User(username=f"plan.{n}", first_name="Plan", last_name=f"Persoon {n}", password=password,
             region=region, organisation=team.ggz)
        for n in range(3000)
    )
    closed = Trajectory.objects.bulk_create(  # a caseload's history: the client's closed ones
        Trajectory(region=region, client=team.client, status="closed", started_on=date(2020, 1, 1),
                   ended_on=date(2021, 1, 1), plan_director=people[(n * 7919) % len(people)])
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_user")
        cursor.execute("ANALYZE trajectories_trajectory")
    ids = [team.trajectory.pk, *(t.pk for t in closed[:24])]  # a page: 25 trajectories
    query = Trajectory.objects.filter(pk__in=ids).values_list(
        "id", "plan_director__first_name", "plan_director__last_name"
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on core_user" not in plan, plan
    names = {t.pk: (t.plan_director.first_name, t.plan_director.last_name) for t in closed[:24]}
    names[team.trajectory.pk] = ("Jet", "Coach")
    assert sorted(query) == sorted((pk, *names[pk]) for pk in ids)
