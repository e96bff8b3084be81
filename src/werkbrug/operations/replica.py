"""Reports and exports read from a PostgreSQL replica (DATABASE_REPLICA_URL), everything else from
the primary.

With `DATABASE_REPLICA_URL` set, the settings add a database `replica` (a streaming-replication
standby: read-only, never migrated). `ReplicaReadsMiddleware` marks a request as a replica read
when it is a GET or HEAD of one of the views in `REPLICA_READ_VIEWS` (the region's dashboard and
its PDF, the research exports; `fnmatch` patterns over the route's `namespace:name`), for the
view and for the streaming of its response. Inside such a request `ReplicaRouter` sends the reads
of every model to the replica, except the apps in `PRIMARY_ONLY_APPS`: the signed-in person, their
roles and organisation (`core`), sessions, 2FA devices and sign-in throttling are always read from
the primary, so that a withdrawn role or a sign-out counts at once. Every write goes to the
primary (also of an object read from the replica), and the access log is written there.

The replica is only used while it answers and lags at most `DATABASE_REPLICA_MAX_LAG_SECONDS`
behind (checked at most every `DATABASE_REPLICA_CHECK_SECONDS` per process); otherwise the report
reads the primary, as without a replica. `replica_check` decides that, and `/metrics` shows its
answer. Code outside a request (a background export) can ask for the same with
`with replica_reads(): …`.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Always read from the primary, also in a report: who is signed in and what they may do.
PRIMARY_ONLY_APPS = frozenset({
    "core", "auth", "contenttypes", "sessions", "admin", "otp_totp", "otp_static", "django_otp", "axes",
    "authtoken", "api",
})
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("werkbrug_replica_reads", default=False)
_health = {"checked": float("-inf"), "usable": False}


def replica_configured() -> bool:
    return REPLICA in connections.settings


LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_lag_seconds() -> float:
    """How far the replica lags behind the primary (0 when it has replayed all it received, and
    for a database that is not a standby)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def replica_check() -> tuple[float | None, bool]:
    """Ask the replica now: (its lag in seconds, or None when it does not answer; whether reports
    may read it). The answer is what the router goes by until the next check, and what `/metrics`
    shows (`werkbrug_database_replica_lag_seconds`, `werkbrug_database_replica_usable`)."""
    try:
        lag: float | None = replica_lag_seconds()
    except DatabaseError:
        logger.warning("the database replica does not answer; reports read the primary", exc_info=True)
        connections[REPLICA].close()
        lag = None
    usable = lag is not None and lag <= getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", 30)
    if lag is not None and not usable:
        logger.warning("the database replica lags %.1f s behind; reports read the primary", lag)
    _health.update(checked=time.monotonic(), usable=usable)
    return lag, usable


def replica_usable() -> bool:
    """A replica is configured, answers, and is not too far behind (remembered for a few seconds)."""
    if not replica_configured():
        return False
    if time.monotonic() - _health["checked"] < getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 5):
        return _health["usable"]
    return replica_check()[1]


def reading_from_replica() -> bool:
    return _reading.get()


@contextmanager
def replica_reads() -> Iterator[bool]:
    """Reads inside go to the replica when it is usable; yields whether they do."""
    token = _reading.set(replica_usable())
    try:
        yield _reading.get()
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads of a report or export to the replica (see the module); all else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS  # an object read in a report, followed afterwards: the primary
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS  # never the replica, also for an object that was read from it

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True  # the same data: the replica is a copy of the primary
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


def is_replica_view(view_name: str) -> bool:
    return any(fnmatchcase(view_name, pattern) for pattern in settings.REPLICA_READ_VIEWS)


def _streamed_from_replica(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # A streamed export reads its rows while the server sends it, after the view has returned.
    token = _reading.set(True)
    try:
        yield from chunks
    finally:
        try:
            _reading.reset(token)
        except ValueError:  # closed from another context
            _reading.set(False)


class ReplicaReadsMiddleware:
    """Marks GET and HEAD requests of the views in REPLICA_READ_VIEWS as replica reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading.set(False)
        try:
            response = self.get_response(request)
            if _reading.get() and getattr(response, "streaming", False):
                response.streaming_content = _streamed_from_replica(response.streaming_content)
            return response
        finally:
            _reading.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (request.method in ("GET", "HEAD") and match is not None and replica_configured()
                and is_replica_view(match.view_name) and replica_usable()):
            _reading.set(True)
        return None
