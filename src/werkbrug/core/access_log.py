"""The access log (NEN 7513): who did what with which client's data, when, why, and the checks.

Every read, search, create, change, delete and export of client-level data writes exactly one
record, and so does every denied attempt. Records are never changed or deleted by the
application (database triggers refuse it). A sealing step, run every minute by a background
task and by `werkbrug seal_access_log`, chains the records with SHA-256 in id order; writing a
record therefore takes no lock, and `werkbrug verify_access_log` finds any row altered or removed
outside the application. Holds no BSN and no care content: clients appear by pseudonym only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import context
from .models import AccessLogRecord, AccessLogSeal
from .sql import prepared_cursor

if TYPE_CHECKING:
    from .models import User

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "code",
    "action",
    "granted",
    "region_id_snapshot",
    "actor_id_snapshot",
    "actor_name",
    "actor_organisation",
    "actor_role",
    "on_behalf_of",
    "client_pseudonym",
    "data_category",
    "object_type",
    "object_id",
    "purpose",
    "check_authorised",
    "check_relation",
    "check_consent",
    "check_emergency",
    "request_id",
    "ip_address",
)


# The columns of one record, in the order of the INSERT below (everything but the id).
RECORD_FIELDS = HASHED_FIELDS[1:]
_insert_sql: dict[str, str] = {}


def _record_insert_sql() -> str:
    """`INSERT INTO core_accesslogrecord (…) VALUES (%s, …)`, built once per database vendor."""
    sql = _insert_sql.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        opts = AccessLogRecord._meta
        columns = ", ".join(qn(opts.get_field(name).column) for name in RECORD_FIELDS)
        placeholders = ", ".join(["%s"] * len(RECORD_FIELDS))
        # Table and column names come from the model; the values go as parameters.
        sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        _insert_sql[connection.vendor] = sql
    return sql


def access_log_write(
    *,
    actor: User | None,
    code: str,
    action: str,
    granted: bool,
    client_pseudonym: str = "",
    data_category: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    role: str = "",
    on_behalf_of: str = "",
    authorised: bool | None = None,
    relation: bool = False,
    consent: bool = False,
    emergency: bool = False,
    region_id: int | None = None,
) -> None:
    """Write one access-log record. Called by the policy's `authorize`, and by exports.

    One plain INSERT, nothing else: it sits on every request for client data, so it skips the
    model machinery (instance, save, signals, RETURNING the id nobody reads). Like a model save
    outside a transaction it commits at once; inside one it commits or rolls back with it.
    """
    ctx = context.current.get()
    if obj is not None and not object_type:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    if region_id is None and actor is not None:
        region_id = actor.region_id
    ops = connection.ops
    values = (
        # NEN 7513 asks for the time to the second, in UTC.
        ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0)),  # occurred_at
        code,
        action[:80],
        granted,
        region_id,  # region_id_snapshot
        actor.pk if actor is not None else None,  # actor_id_snapshot
        (str(actor) if actor is not None else "system")[:200],  # actor_name
        str(organisation or "")[:200],  # actor_organisation
        role[:40],  # actor_role
        on_behalf_of[:200],
        client_pseudonym,
        data_category,
        object_type[:80],
        object_id[:64],
        purpose[:200],
        granted if authorised is None else authorised,  # check_authorised
        relation,  # check_relation
        consent,  # check_consent
        emergency,  # check_emergency
        ctx.request_id,
        ops.adapt_ipaddressfield_value(ctx.ip_address),
    )
    with transaction.mark_for_rollback_on_error(), prepared_cursor(connection) as cursor:
        cursor.execute(_record_insert_sql(), values)


def _canonical(values: dict[str, Any]) -> bytes:
    def norm(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value

    return json.dumps(
        {name: norm(values[name]) for name in HASHED_FIELDS}, sort_keys=True, ensure_ascii=True
    ).encode()


def record_hash(previous_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + _canonical(values)).hexdigest()


def access_log_seal(*, batch_size: int = 5000, grace_seconds: int | None = None) -> int:
    """Seal unsealed records into the hash chain, in id order. Returns how many were sealed.

    Ids are handed out at insert, not at commit: a record of a transaction still running can get a
    lower id than one already committed. Records younger than the grace period (and everything
    after the first such record) wait for the next run, so no record is skipped.
    """
    if grace_seconds is None:
        grace_seconds = settings.ACCESS_LOG_SEAL_GRACE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=grace_seconds)
    sealed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One sealer at a time; writers of records never wait on this lock.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7513)")
        last = AccessLogSeal.objects.order_by("-record_id").first()
        previous_hash = last.hash if last else GENESIS
        last_id = last.record_id if last else 0
        now = timezone.now()
        too_new = (
            AccessLogRecord.objects.filter(id__gt=last_id, occurred_at__gte=cutoff)
            .order_by("id").values_list("id", flat=True).first()
        )
        limit = AccessLogRecord.objects.filter(id__gt=last_id)
        if too_new is not None:
            limit = limit.filter(id__lt=too_new)
        while True:
            rows = list(
                limit.filter(id__gt=last_id)
                .order_by("id")
                .values(*HASHED_FIELDS)[:batch_size]
            )
            if not rows:
                break
            seals = []
            for row in rows:
                digest = record_hash(previous_hash, row)
                seals.append(
                    AccessLogSeal(
                        record_id=row["id"], previous_hash=previous_hash, hash=digest, sealed_at=now
                    )
                )
                previous_hash = digest
                last_id = row["id"]
            AccessLogSeal.objects.bulk_create(seals)
            sealed += len(seals)
    return sealed


@dataclass
class VerificationResult:
    checked: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def access_log_verify() -> VerificationResult:
    """Walk the chain and report every record altered or removed outside the application."""
    result = VerificationResult()
    records: Iterator[dict[str, Any]] = (
        AccessLogRecord.objects.order_by("id").values(*HASHED_FIELDS).iterator(chunk_size=5000)
    )
    seals = AccessLogSeal.objects.order_by("record_id").values_list(
        "record_id", "previous_hash", "hash"
    ).iterator(chunk_size=5000)
    previous_hash = GENESIS
    record = next(records, None)
    for record_id, seal_previous, seal_hash in seals:
        if seal_previous != previous_hash:
            result.problems.append(
                f"chain broken before record {record_id}: a sealed record was removed"
            )
        while record is not None and record["id"] < record_id:
            result.problems.append(f"record {record['id']} has no seal: inserted outside the chain")
            record = next(records, None)
        if record is None or record["id"] != record_id:
            result.problems.append(f"record {record_id} was removed")
        else:
            if record_hash(seal_previous, record) != seal_hash:
                result.problems.append(f"record {record_id} was altered")
            result.checked += 1
            record = next(records, None)
        previous_hash = seal_hash
    while record is not None:
        result.unsealed += 1
        record = next(records, None)
    return result


def access_log_for_client(pseudonym: str) -> QuerySet[AccessLogRecord]:
    """Who looked at this client's file: what the client sees in the portal."""
    return AccessLogRecord.objects.filter(client_pseudonym=pseudonym, granted=True).order_by(
        "-occurred_at", "-id"
    )


def access_log_search(
    *,
    region_id: int | None,
    client_pseudonym: str = "",
    actor: str = "",
    code: str = "",
    granted: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AccessLogRecord]:
    qs = AccessLogRecord.objects.all()
    if region_id is not None:
        qs = qs.filter(region_id_snapshot=region_id)
    if client_pseudonym:
        qs = qs.filter(client_pseudonym=client_pseudonym)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if code:
        qs = qs.filter(code=code)
    if granted is not None:
        qs = qs.filter(granted=granted)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lt=until)
    return qs.order_by("-occurred_at", "-id")
