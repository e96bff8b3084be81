"""The probes: live answers without dependencies; ready names each dependency and fails with 503."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError

from werkbrug.operations import health


@pytest.mark.django_db
def test_live_answers_ok_without_touching_the_database(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ready_reports_each_dependency(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    # Tests run tasks eagerly: there is no broker to reach.
    assert body["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "skipped"}


@pytest.mark.django_db
def test_ready_is_503_when_the_database_is_gone(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.INLINE_CHECKS, "database", broken)
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed"
    assert body["checks"]["migrations"] == "skipped"
    assert "refused" not in response.content.decode()  # the cause goes to the log, not the probe


@pytest.mark.django_db
def test_ready_is_503_when_a_migration_is_not_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"


@pytest.mark.django_db
def test_ready_is_503_when_the_cache_fails(client, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    # The check runs in its own thread, which has its own cache object: break the class.
    monkeypatch.setattr(LocMemCache, "get", lambda *a, **k: None)  # stores nothing
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed"


@pytest.mark.django_db
def test_ready_gives_up_on_a_hanging_broker_after_the_timeout(client, monkeypatch, settings):
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.2
    monkeypatch.setitem(health.THREADED_CHECKS, "broker", lambda: time.sleep(2) or "ok")
    started = time.monotonic()
    response = client.get("/health/ready")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "timeout"


@pytest.mark.django_db
def test_ready_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 1
    from werkbrug.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/health/ready")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] in {"failed", "timeout"}


def test_probes_are_never_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/live").status_code == 200
    assert client.get("/account/login/").status_code == 301
