"""The replica router against a real second database: the test database, copied into a database
of its own, stands in for the replica; then the primary changes, so that what a report or an
export shows tells which database it read. PostgreSQL only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.evaluations.conftest import make_study, research  # noqa: F401 — the research fixtures
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.operations import replica
from werkbrug.operations.replica import REPLICA, replica_reads
from werkbrug.trajectories.models import Trajectory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the replica needs PostgreSQL (DATABASE_URL=postgres://…)"),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


def _admin():
    import psycopg

    params = connection.get_connection_params()
    return psycopg.connect(dbname="postgres", autocommit=True,
                           **{k: v for k, v in params.items() if k in {"host", "port", "user", "password"}})


def _drop(name: str) -> None:
    from psycopg import sql

    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _recreate(name: str, template: str | None = None) -> None:
    from psycopg import sql

    _drop(name)
    with _admin() as conn:
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """The `replica` database of this module (known before each test starts, as Django's test case
    wants); empty until a test copies the primary into it."""
    name = f"{connections.settings[DEFAULT_DB_ALIAS]['NAME']}_replica"
    with django_db_blocker.unblock():
        _recreate(name)
    connections.settings[REPLICA] = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": name}
    try:
        yield name
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        with django_db_blocker.unblock():
            _drop(name)


def copy_primary_to_replica(name: str) -> None:
    """The replica catches up: a copy of the primary as it is now."""
    connections[REPLICA].close()
    source = connection.settings_dict["NAME"]
    connection.close()  # CREATE DATABASE … TEMPLATE needs the source without connections
    # An earlier test of this worker may have left a connection open in another thread (a live
    # server's): the test database is this worker's alone, so such sessions are ended first.
    with _admin() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                     "AND pid <> pg_backend_pid()", [source])
    _recreate(name, template=source)
    replica._health.update(checked=float("-inf"), usable=False)


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_the_dashboard_reads_the_replica_and_the_rest_the_primary(team, make_person, make_org, make_client,
                                                                 client, replica_alias):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.reporting.selectors import region_dashboard
    from werkbrug.trajectories.services import trajectory_start

    manager = make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Replica"), Role.MANAGER)
    today = timezone.localdate()
    start = today - timedelta(days=30)
    assert region_dashboard(region=team.client.region, start=start, end=today).active == 1

    copy_primary_to_replica(replica_alias)
    # The primary moves on: five more active trajectories that the copy does not have.
    for _ in range(5):
        trajectory_start(client=make_client(team.jobcoach), started_by=team.jobcoach, role=Role.JOBCOACH,
                         consent_method=ConsentMethod.VERBAL)
    assert Trajectory.objects.count() == 6
    assert Trajectory.objects.using(REPLICA).count() == 1

    with replica_reads() as on_replica:
        assert on_replica
        assert region_dashboard(region=team.client.region, start=start, end=today).active == 1
    assert region_dashboard(region=team.client.region, start=start, end=today).active == 6

    client.force_login(manager)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica, CaptureQueriesContext(connection) as on_primary:
        page = client.get("/reports/")
    assert page.status_code == 200
    assert "trajectories_trajectory" in _tables(on_replica.captured_queries)
    assert "trajectories_trajectory" not in _tables(on_primary.captured_queries)
    assert "core_user" in _tables(on_primary.captured_queries)  # the signed-in manager: the primary

    # Any other page reads the primary only.
    with CaptureQueriesContext(connections[REPLICA]) as elsewhere:
        assert client.get("/").status_code == 200
    assert elsewhere.captured_queries == []


def test_a_streamed_export_reads_its_rows_from_the_replica(research, make_study, client, settings,  # noqa: F811
                                                          replica_alias):
    from werkbrug.evaluations.services import participants_enrol_eligible

    research.client()
    study = make_study()
    assert participants_enrol_eligible(study=study, enrolled_by=research.researcher) == 1
    url = f"/research/studies/{study.pk}/export/?table=participants&format=csv"

    def rows() -> list[list[str]]:
        response = client.get(url)
        assert response.status_code == 200 and response.streaming
        data = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(data)))[1:]

    client.force_login(research.researcher)
    copy_primary_to_replica(replica_alias)
    research.client()  # the primary moves on: a second participant
    assert participants_enrol_eligible(study=study, enrolled_by=research.researcher) == 1
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        from_replica = rows()
    assert len(from_replica) == 1
    assert "evaluations_participant" in _tables(on_replica.captured_queries)
    settings.REPLICA_READ_VIEWS = []  # without the route: the primary, with both participants
    assert len(rows()) == 2


def test_metrics_read_the_replicas_lag_from_the_replica(client, replica_alias, settings):
    """The copy is no standby (`pg_is_in_recovery()` is false there): lag 0, and reports read it."""
    from prometheus_client.parser import text_string_to_metric_families

    copy_primary_to_replica(replica_alias)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert page.status_code == 200
    assert any("pg_last_xact_replay_timestamp" in q["sql"] for q in on_replica.captured_queries)
    samples = {s.name: s.value for f in text_string_to_metric_families(page.content.decode()) for s in f.samples
               if s.name.startswith("werkbrug_database_replica")}
    assert samples == {"werkbrug_database_replica_lag_seconds": 0.0, "werkbrug_database_replica_usable": 1.0}
