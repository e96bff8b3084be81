"""Liveness and readiness probes.

Live: the process answers; nothing else is touched, so a slow database never gets a healthy
process restarted. Ready: the process can do its work now: the database answers, the cache
stores and returns a value, the Celery broker accepts a connection (skipped when tasks run
eagerly, without a broker) and no migration of this code is left unapplied. Each check has a
short timeout (HEALTH_CHECK_TIMEOUT_SECONDS); a failure is logged with its cause, the response
only names the check, so that the probe tells nothing about the network behind it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

OK, FAILED, TIMEOUT, SKIPPED = "ok", "failed", "timeout", "skipped"


def check_database() -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A query stuck behind a lock fails after the timeout instead of holding the probe.
            timeout_ms = int(settings.HEALTH_CHECK_TIMEOUT_SECONDS * 1000)
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(timeout_ms)])
        cursor.execute("SELECT 1")
    return OK


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        logger.warning("%d migrations not applied, first %s", len(pending), pending[0][0])
        return FAILED
    return OK


def check_cache() -> str:
    key = f"werkbrug:health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        return OK if cache.get(key) == "1" else FAILED
    finally:
        cache.delete(key)


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return SKIPPED  # tasks run in the request's process: there is no broker to reach
    from werkbrug.celery import app

    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
    return OK


# Checks that use the request thread's database connection run inline (Django's connections are
# per thread); the others run in a worker thread so that their timeout holds whatever the client
# library does.
INLINE_CHECKS: dict[str, Callable[[], str]] = {"database": check_database, "migrations": check_migrations}
THREADED_CHECKS: dict[str, Callable[[], str]] = {"cache": check_cache, "broker": check_broker}


def _run_inline(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception:
        logger.exception("readiness check %s failed", name)
        return FAILED


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready?, {check: "ok" | "failed" | "timeout" | "skipped"})."""
    results: dict[str, str] = {}
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    executor = ThreadPoolExecutor(max_workers=len(THREADED_CHECKS), thread_name_prefix="health")
    try:
        futures = {name: executor.submit(check) for name, check in THREADED_CHECKS.items()}
        results["database"] = _run_inline("database", INLINE_CHECKS["database"])
        results["migrations"] = (
            _run_inline("migrations", INLINE_CHECKS["migrations"]) if results["database"] == OK else SKIPPED
        )
        deadline = time.monotonic() + timeout
        for name, future in futures.items():
            try:
                results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                logger.error("readiness check %s took longer than %ss", name, timeout)
                results[name] = TIMEOUT
            except Exception:
                logger.exception("readiness check %s failed", name)
                results[name] = FAILED
    finally:
        # A check past its timeout keeps its thread until the client library gives up; the
        # probe does not wait for it.
        executor.shutdown(wait=False, cancel_futures=True)
    ready = all(result in (OK, SKIPPED) for result in results.values())
    return ready, results
