"""Prometheus metrics: requests, latencies, Celery queue lengths and failures, access-log sealing lag,
and the database replica's lag.

Counters and histograms are kept per process by `prometheus_client`. With several processes
(gunicorn workers, the Celery worker) set PROMETHEUS_MULTIPROC_DIR to a directory they all share,
emptied before they start: each process then writes its figures there and `/metrics` adds them
up, so that the failures counted in the worker show on the web process's page. Processes are told
apart by host name and process id, because containers sharing the directory each have their own
process ids.

Queue lengths, the sealing lag and the replica's lag are read when `/metrics` is asked for, from
Redis and the databases, so they are right whichever process answers.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
if MULTIPROCESS:
    _host = socket.gethostname().replace("_", "-")
    # Must be set before the first metric is made; the file names carry this identifier.
    values.ValueClass = values.MultiProcessValue(process_identifier=lambda: f"{_host}-{os.getpid()}")

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "werkbrug_http_requests", "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"], registry=REGISTRY,
)
LATENCY = Histogram(
    "werkbrug_http_request_duration_seconds", "Time to answer an HTTP request, by view and method.",
    ["view", "method"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASK_FAILURES = Counter(
    "werkbrug_celery_task_failures", "Celery tasks that ended in an exception, by task.",
    ["task"], registry=REGISTRY,
)

# Methods outside this set are counted as "other", so that a client cannot add label values.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in KNOWN_METHODS else "other"
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(seconds)


def _task_failed(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(task=getattr(sender, "name", "unknown")).inc()


def connect_celery_signals() -> None:
    from celery.signals import task_failure

    task_failure.connect(_task_failed, dispatch_uid="werkbrug.operations.metrics.task_failure")


def sealing_lag_seconds(now=None) -> float:
    """How long the oldest access-log record not yet sealed has waited (0 when all are sealed).

    The sealer leaves records younger than ACCESS_LOG_SEAL_GRACE_SECONDS on purpose; a lag well
    above grace plus the sealing interval (one minute) means sealing has stopped.
    """
    from werkbrug.core.models import AccessLogRecord, AccessLogSeal

    last = AccessLogSeal.objects.order_by("-record_id").values_list("record_id", flat=True).first()
    oldest = (
        AccessLogRecord.objects.filter(id__gt=last or 0).order_by("id")
        .values_list("occurred_at", flat=True).first()
    )
    if oldest is None:
        return 0.0
    return max(timedelta(0), (now or timezone.now()) - oldest).total_seconds()


def queue_lengths() -> dict[str, int]:
    """Messages waiting per Celery queue; only for a Redis broker (a Redis list per queue)."""
    url = settings.CELERY_BROKER_URL or ""
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    from werkbrug.celery import app

    names = sorted({queue.name for queue in app.amqp.queues.values()} or {"celery"})
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return {name: int(client.llen(name)) for name in names}
    finally:
        client.close()


class StateCollector:
    """Figures read at scrape time: the sealing lag, the queue lengths, the replica's lag."""

    def collect(self):
        lag = GaugeMetricFamily(
            "werkbrug_access_log_sealing_lag_seconds",
            "Age of the oldest access-log record not yet sealed (0 when all are sealed).",
        )
        up = GaugeMetricFamily("werkbrug_metrics_source_up", "1 when the figure could be read.", labels=["source"])
        try:
            lag.add_metric([], sealing_lag_seconds())
            up.add_metric(["database"], 1)
        except Exception:
            logger.exception("metrics: the access-log sealing lag could not be read")
            up.add_metric(["database"], 0)
        yield lag
        queues = GaugeMetricFamily(
            "werkbrug_celery_queue_length", "Tasks waiting in a Celery queue (Redis broker).", labels=["queue"],
        )
        try:
            for name, length in queue_lengths().items():
                queues.add_metric([name], length)
            up.add_metric(["broker"], 1)
        except Exception:
            logger.exception("metrics: the Celery queue lengths could not be read")
            up.add_metric(["broker"], 0)
        yield queues
        yield from self._replica(up)
        yield up

    @staticmethod
    def _replica(up: GaugeMetricFamily):
        """With DATABASE_REPLICA_URL: the replica's lag and whether reports read it, as the router
        decides (`replica.replica_check`); nothing without a replica."""
        from . import replica

        if not replica.replica_configured():
            return
        lag = GaugeMetricFamily(
            "werkbrug_database_replica_lag_seconds",
            "How far the read replica lags behind the primary (0 when it has replayed all it received, "
            "or is not a standby); absent when it does not answer.",
        )
        usable = GaugeMetricFamily(
            "werkbrug_database_replica_usable",
            "1 while reports and exports read the replica (it answers and lags at most "
            "DATABASE_REPLICA_MAX_LAG_SECONDS), 0 while they read the primary.",
        )
        try:
            seconds, reads = replica.replica_check()
        except Exception:
            logger.exception("metrics: the replica's lag could not be read")
            seconds, reads = None, False
        if seconds is not None:
            lag.add_metric([], seconds)
        usable.add_metric([], 1 if reads else 0)
        up.add_metric(["replica"], 0 if seconds is None else 1)
        yield lag
        yield usable


def exposition() -> bytes:
    """The metrics page in Prometheus's text format."""
    if MULTIPROCESS:
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return generate_latest(counted) + generate_latest(state)
