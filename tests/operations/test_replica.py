"""The replica router: reads of reports and exports go to the `replica` database, all else to the
primary (test_replica_postgres.py runs it against a second PostgreSQL database)."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from werkbrug.core.models import User
from werkbrug.operations import replica
from werkbrug.operations.replica import REPLICA, ReplicaRouter, is_replica_view, replica_reads
from werkbrug.trajectories.models import Trajectory


@pytest.fixture
def fresh_health():
    replica._health.update(checked=float("-inf"), usable=False)
    yield
    replica._health.update(checked=float("-inf"), usable=False)


@pytest.fixture
def fake_replica(monkeypatch, fresh_health):
    """A `replica` alias that is never connected to: its lag is what the test says."""
    monkeypatch.setitem(connections.settings, REPLICA, dict(connections.settings[DEFAULT_DB_ALIAS]))
    lag = {"seconds": 0.0}
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: lag["seconds"])
    return lag


# --- the router, without a database -------------------------------------------------------------


def test_without_a_replica_everything_reads_the_primary(fresh_health):
    router = ReplicaRouter()
    assert REPLICA not in connections.settings
    with replica_reads() as on_replica:
        assert on_replica is False
        assert router.db_for_read(Trajectory) is None


def test_inside_a_report_reads_go_to_the_replica_but_who_is_signed_in_stays_on_the_primary(fake_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Trajectory) is None  # outside a report
    with replica_reads() as on_replica:
        assert on_replica is True
        assert router.db_for_read(Trajectory) == REPLICA
        assert router.db_for_read(User) is None  # core: people, roles, the access log
        assert router.db_for_write(Trajectory) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Trajectory) is None
    assert router.allow_migrate(REPLICA, "trajectories") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "trajectories") is None


def test_an_object_read_from_the_replica_is_written_to_and_reread_from_the_primary(fake_replica):
    router = ReplicaRouter()
    trajectory = Trajectory()
    trajectory._state.db = REPLICA
    assert router.db_for_write(Trajectory, instance=trajectory) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Trajectory, instance=trajectory) == DEFAULT_DB_ALIAS
    other = Trajectory()
    other._state.db = DEFAULT_DB_ALIAS
    assert router.allow_relation(trajectory, other) is True


def test_a_replica_that_lags_too_far_behind_is_not_used(fake_replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    fake_replica["seconds"] = 31.0
    with replica_reads() as on_replica:
        assert on_replica is False
        assert ReplicaRouter().db_for_read(Trajectory) is None


def test_a_replica_that_does_not_answer_is_not_used(monkeypatch, fresh_health):
    from django.db import OperationalError

    monkeypatch.setitem(connections.settings, REPLICA, dict(connections.settings[DEFAULT_DB_ALIAS]))

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "replica_lag_seconds", down)
    monkeypatch.setattr(connections[REPLICA], "close", lambda: None)
    try:
        with replica_reads() as on_replica:
            assert on_replica is False
    finally:
        del connections[REPLICA]


@pytest.mark.parametrize(("view", "expected"), [
    ("reporting:index", True), ("reporting:pdf", True),
    ("evaluations:export", True), ("evaluations:codebook_export", True),
    ("api:research-export", True), ("api:research-codebook", True),
    ("evaluations:study", False), ("api:research-participants", False), ("web:home", False),
    ("collaboration:signals", False),
])
def test_the_report_and_export_views_are_named(view, expected):
    assert is_replica_view(view) is expected


# --- the replica's lag in /metrics: the same check as the router's -----------------------------


def _replica_samples(client) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    page = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert page.status_code == 200
    found = {}
    for family in text_string_to_metric_families(page.content.decode()):
        for sample in family.samples:
            if "replica" in sample.name or sample.labels.get("source") == "replica":
                found[sample.name] = sample.value
    return found


@pytest.mark.django_db
def test_metrics_show_the_replicas_lag_and_whether_the_router_uses_it(client, fake_replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60
    fake_replica["seconds"] = 12.5
    assert _replica_samples(client) == {
        "werkbrug_database_replica_lag_seconds": 12.5, "werkbrug_database_replica_usable": 1.0,
        "werkbrug_metrics_source_up": 1.0,
    }
    fake_replica["seconds"] = 31.0
    assert _replica_samples(client)["werkbrug_database_replica_usable"] == 0.0
    # The scrape's check is the router's: reports read the primary without asking again.
    fake_replica["seconds"] = 0.0
    assert replica.replica_usable() is False


@pytest.mark.django_db
def test_a_replica_that_does_not_answer_shows_no_lag(client, monkeypatch, fresh_health):
    from django.db import OperationalError

    monkeypatch.setitem(connections.settings, REPLICA, dict(connections.settings[DEFAULT_DB_ALIAS]))

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "replica_lag_seconds", down)
    monkeypatch.setattr(connections[REPLICA], "close", lambda: None)
    try:
        assert _replica_samples(client) == {"werkbrug_database_replica_usable": 0.0, "werkbrug_metrics_source_up": 0.0}
    finally:
        del connections[REPLICA]


@pytest.mark.django_db
def test_without_a_replica_metrics_say_nothing_of_one(client, fresh_health):
    assert _replica_samples(client) == {}
