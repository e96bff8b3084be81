"""The access log (NEN 7513): who did what with which client's data, when, why, and the checks.

Every read, search, create, change, delete and export of client-level data writes exactly one
record per data category, and so does every denied attempt. Records are never changed or deleted
by the application (database triggers refuse it). Trust does not rest on those triggers alone
(see docs/adr/0004-access-log-keyed-chain.md):

- each record carries its own seal (`mac`: HMAC-SHA256 with ACCESS_LOG_HMAC_KEY, a key kept out of
  the database), computed in Python and written in the same INSERT: no extra query, no lock;
- a sealing step, every minute (task and `werkbrug seal_access_log`), chains the records in id order
  with the same key, and an anchoring step copies the newest seal to an append-only file outside
  the database (ACCESS_LOG_ANCHOR_PATH), optionally mailed to the privacy officer;
- `werkbrug verify_access_log` finds any record forged, altered, removed (also as a gap in the
  ids before it was sealed), left unsealed too long, or history rewritten since an anchor.

Holds no BSN and no care content: clients appear by pseudonym only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import context
from .models import AccessLogRecord, AccessLogSeal
from .sql import prepared_cursor

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
KEYED = "hmac-sha256"
LEGACY = "sha256"  # the unkeyed seals made before core.0004
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
# What a record's own seal covers: everything but the id, which the database hands out.
MAC_FIELDS = HASHED_FIELDS[1:]
# What the keyed chain covers: the record with its id and its own seal.
CHAIN_FIELDS = (*HASHED_FIELDS, "mac")


# The columns of one record, in the order of the INSERT below (everything but the id).
RECORD_FIELDS = (*MAC_FIELDS, "mac")
_insert_sql: dict[tuple[str, int], str] = {}


def _record_insert_sql(rows: int = 1) -> str:
    """`INSERT INTO core_accesslogrecord (…) VALUES (%s, …)[, (…)]`, built once per vendor and size."""
    key = (connection.vendor, rows)
    sql = _insert_sql.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        opts = AccessLogRecord._meta
        columns = ", ".join(qn(opts.get_field(name).column) for name in RECORD_FIELDS)
        placeholders = ", ".join([f"({', '.join(['%s'] * len(RECORD_FIELDS))})"] * rows)
        # Table and column names come from the model; the values go as parameters.
        sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES {placeholders}"  # noqa: S608
        _insert_sql[key] = sql
    return sql


def _key() -> bytes:
    key = settings.ACCESS_LOG_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("ACCESS_LOG_HMAC_KEY is not set: the access log cannot be sealed.")
    return key.encode()


_ENCODER = json.JSONEncoder(ensure_ascii=True)
_SORTED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _canonical(values: dict[str, Any], names: Sequence[str] = HASHED_FIELDS) -> bytes:
    """The fields as JSON with sorted keys, times in UTC to the second. The keys are put in sorted
    order here once per field list (the same bytes as `json.dumps(sort_keys=True)`, a quarter
    faster: this runs for every record written, sealed and verified)."""
    return _ENCODER.encode(_canonical_values(values, _sorted(names))).encode()


def _sorted(names: Sequence[str]) -> tuple[str, ...]:
    order = _SORTED.get(tuple(names))
    if order is None:
        order = _SORTED[tuple(names)] = tuple(sorted(names))
    return order


def utc_text(value: datetime) -> str:
    """A time as the log's canonical form and its anchors write it: UTC to the second, ISO 8601,
    `2026-12-04T08:15:00Z` (what `strftime("%Y-%m-%dT%H:%M:%SZ")` gives, in a quarter of the time:
    this runs for every record written, sealed and verified)."""
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _canonical_values(values: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """The fields named in `order`, in that order, times as UTC text to the second."""
    return {
        name: utc_text(value) if isinstance(value := values[name], datetime) else value
        for name in order
    }


def record_mac(values: dict[str, Any]) -> str:
    """A record's own seal: HMAC-SHA256 over its fields (not its id), with the log's key."""
    return hmac.digest(_key(), _canonical(values, MAC_FIELDS), "sha256").hex()


def record_hash(previous_hash: str, values: dict[str, Any], scheme: str = KEYED) -> str:
    """The chain's link for one record: keyed (HMAC-SHA256) or, for seals before core.0004, plain."""
    if scheme == LEGACY:
        return hashlib.sha256(previous_hash.encode() + _canonical(values)).hexdigest()
    return chain_link(previous_hash, _canonical(values, CHAIN_FIELDS))


def chain_link(previous_hash: str, chained: bytes, key: bytes | None = None) -> str:
    """The keyed chain's link after `previous_hash` for a record whose canonical chain bytes are
    `chained` (`_canonical(record, CHAIN_FIELDS)`, as `record_seal_parts` gives them)."""
    return hmac.digest(key or _key(), previous_hash.encode() + chained, "sha256").hex()


def record_seal_parts(values: dict[str, Any], key: bytes | None = None) -> tuple[str, bytes]:
    """A record's own seal (`record_mac`) and the bytes its chain link covers (what `record_hash`
    hashes after the previous hash), in one pass over the fields: for loaders that seal many records
    (the national demo computes these in worker processes; only `chain_link` runs in order).
    `values` holds the record with its id; its `mac` is not read. The same bytes as `record_mac`
    and `record_hash` (a test holds them to it)."""
    canonical = _canonical_values(values, _sorted(MAC_FIELDS))
    mac = hmac.digest(key or _key(), _ENCODER.encode(canonical).encode(), "sha256").hex()
    # The chain's fields are the seal's plus the id and the seal itself, in the same sorted order.
    canonical["id"], canonical["mac"] = values["id"], mac
    chained = {name: canonical[name] for name in _sorted(CHAIN_FIELDS)}
    return mac, _ENCODER.encode(chained).encode()


def access_log_write(
    *,
    actor: User | None,
    code: str,
    action: str,
    granted: bool,
    client_pseudonym: str = "",
    data_category: str = "",
    more_categories: Sequence[str] = (),
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
    """Write one access-log record (one per data category: `data_category`, then each of
    `more_categories`). Called by the policy's `authorize`, and by exports.

    One plain INSERT, nothing else: it sits on every request for client data, so it skips the
    model machinery (instance, save, signals, RETURNING the id nobody reads). The record's own
    seal is computed here, in Python. Like a model save outside a transaction it commits at once;
    inside one it commits or rolls back with it.
    """
    ctx = context.current.get()
    if obj is not None and not object_type:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    if ctx.system:
        # A system acting for the person (FHIR interface): the record names both.
        purpose = f"{purpose} via {ctx.system}".strip()
    if region_id is None and actor is not None:
        region_id = actor.region_id
    record = {
        # NEN 7513 asks for the time to the second, in UTC.
        "occurred_at": timezone.now().replace(microsecond=0),
        "code": code,
        "action": action[:80],
        "granted": granted,
        "region_id_snapshot": region_id,
        "actor_id_snapshot": actor.pk if actor is not None else None,
        "actor_name": (str(actor) if actor is not None else "system")[:200],
        "actor_organisation": str(organisation or "")[:200],
        "actor_role": role[:40],
        "on_behalf_of": on_behalf_of[:200],
        "client_pseudonym": client_pseudonym,
        "data_category": data_category,
        "object_type": object_type[:80],
        "object_id": object_id[:64],
        "purpose": purpose[:200],
        "check_authorised": granted if authorised is None else authorised,
        "check_relation": relation,
        "check_consent": consent,
        "check_emergency": emergency,
        "request_id": ctx.request_id,
        "ip_address": ctx.ip_address,
    }
    ops = connection.ops
    occurred_at = ops.adapt_datetimefield_value(record["occurred_at"])
    ip_address = ops.adapt_ipaddressfield_value(ctx.ip_address)
    values: list[Any] = []
    for category in (data_category, *more_categories):
        record["data_category"] = category
        record["mac"] = record_mac(record)
        row = [record[name] for name in RECORD_FIELDS]
        row[0], row[-2] = occurred_at, ip_address
        values += row
    with transaction.mark_for_rollback_on_error(), prepared_cursor(connection) as cursor:
        cursor.execute(_record_insert_sql(1 + len(more_categories)), values)


def access_log_seal(*, batch_size: int = 5000, grace_seconds: int | None = None) -> int:
    """Seal unsealed records into the keyed chain, in id order. Returns how many were sealed.

    Ids are handed out at insert, not at commit: a record of a transaction still running can get a
    lower id than one already committed. Records younger than the grace period (and everything
    after the first such record) wait for the next run, so no record is skipped. A record whose
    own seal does not match (written outside the application) is chained all the same, so that
    it cannot quietly disappear later; `access_log_verify` names it.
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
                .values(*CHAIN_FIELDS)[:batch_size]
            )
            if not rows:
                break
            seals = []
            for row in rows:
                if row["mac"] and not hmac.compare_digest(row["mac"], record_mac(row)):
                    logger.error("access log record %s does not match its own seal", row["id"])
                digest = record_hash(previous_hash, row)
                seals.append(
                    AccessLogSeal(
                        record_id=row["id"], previous_hash=previous_hash, hash=digest,
                        scheme=KEYED, sealed_at=now,
                    )
                )
                previous_hash = digest
                last_id = row["id"]
            AccessLogSeal.objects.bulk_create(seals)
            sealed += len(seals)
    return sealed


# --- Anchors: the newest seal, copied out of the database -------------------------------------


def _anchor_path(path: Path | str | None = None) -> Path:
    return Path(path if path is not None else settings.ACCESS_LOG_ANCHOR_PATH)


def access_log_anchor(*, path: Path | str | None = None) -> dict[str, Any] | None:
    """Append the newest seal (record id, hash, time) to the anchor file, and mail it to
    ACCESS_LOG_ANCHOR_EMAIL. Returns the anchor, or None while nothing is sealed.

    Once an anchor is outside the database, nobody can rewrite the history before it unseen,
    not even someone who holds the key: the anchored hash would no longer match.
    """
    last = AccessLogSeal.objects.order_by("-record_id").first()
    if last is None:
        return None
    anchor = {
        "record_id": last.record_id,
        "hash": last.hash,
        "sealed_at": utc_text(last.sealed_at),
        "anchored_at": utc_text(timezone.now()),
    }
    target = _anchor_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(anchor, sort_keys=True) + "\n")
        handle.flush()
    if settings.ACCESS_LOG_ANCHOR_EMAIL:
        from django.core.mail import send_mail

        send_mail(
            subject=f"Werkbrug access log anchor: record {anchor['record_id']}",
            message=(
                "The newest seal of the Werkbrug access log. Keep this message: "
                "`werkbrug verify_access_log` compares the log with these anchors.\n\n"
                + json.dumps(anchor, sort_keys=True, indent=2)
            ),
            from_email=None,
            recipient_list=settings.ACCESS_LOG_ANCHOR_EMAIL,
        )
    return anchor


def read_anchors(path: Path | str | None = None) -> list[dict[str, Any]]:
    """The anchors in the file (none when there is no file). A line that is not an anchor is
    reported by the verifier, never skipped silently."""
    target = _anchor_path(path)
    if not target.exists():
        return []
    anchors = []
    for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchor = json.loads(line)
            anchors.append({"record_id": int(anchor["record_id"]), "hash": str(anchor["hash"]),
                            "anchored_at": str(anchor.get("anchored_at", "")), "line": number})
        except (ValueError, KeyError, TypeError):
            anchors.append({"record_id": None, "hash": "", "anchored_at": "", "line": number})
    return anchors


# --- Verification ----------------------------------------------------------------------------


@dataclass
class VerificationResult:
    checked: int = 0
    unsealed: int = 0
    anchors: int = 0
    problems: list[str] = field(default_factory=list)
    # Missing ids. On SQLite a rolled-back insert hands its id out again, so a gap is a removal
    # and counts as a problem. PostgreSQL's sequences skip the ids of rolled-back transactions:
    # there a gap is listed for the privacy officer to look into (docs/adr/0004-…), not failed.
    gaps: list[str] = field(default_factory=list)
    gaps_are_problems: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not (self.gaps_are_problems and self.gaps)


def access_log_verify(
    *, anchors_path: Path | str | None = None, overdue_seconds: int | None = None
) -> VerificationResult:
    """Walk records and seals together (streaming) and report everything that does not add up:

    - a record whose own seal does not match: forged or altered outside the application;
    - a sealed record altered (its link in the keyed chain does not match) or removed;
    - a chain link removed ("chain broken"), an unkeyed seal after a keyed one;
    - a gap in the record ids: a record removed (before or after sealing);
    - a record left unsealed longer than the grace period (plus `overdue_seconds`): the sealer
      is not running, and records that are not chained are easier to remove;
    - an anchor whose hash no longer matches the seal of its record: history rewritten.
    """
    if overdue_seconds is None:
        overdue_seconds = settings.ACCESS_LOG_SEAL_GRACE_SECONDS + 120
    overdue_before = timezone.now() - timedelta(seconds=overdue_seconds)
    result = VerificationResult(gaps_are_problems=connection.vendor != "postgresql")
    overdue = 0
    anchors: dict[int, list[dict[str, Any]]] = {}
    for anchor in read_anchors(anchors_path):
        if anchor["record_id"] is None:
            result.problems.append(f"anchor file line {anchor['line']} is not an anchor")
            continue
        anchors.setdefault(anchor["record_id"], []).append(anchor)
        result.anchors += 1
    if not result.anchors:
        result.notes.append(f"no anchors at {_anchor_path(anchors_path)}: the chain was not compared "
                            "with a copy outside the database")

    # After retention detached the oldest months, the chain begins at the cut (its own seal checked).
    from .access_log_partitions import cut_mac, latest_cut

    cut = latest_cut()
    first_id, previous_hash, detached = 0, GENESIS, frozenset[int]()
    if cut is not None:
        if not hmac.compare_digest(cut.mac, cut_mac(cut)):
            result.problems.append(f"the retention cut at record {cut.first_record_id} does not match its own seal")
        first_id, previous_hash, detached = cut.first_record_id, cut.previous_hash, frozenset(cut.detached_ids)
        result.notes.append(f"records before {cut.before:%Y-%m-%d} were detached by retention: "
                            f"the chain is verified from record {first_id} on")
    records: Iterator[dict[str, Any]] = (
        AccessLogRecord.objects.filter(id__gte=first_id).order_by("id").values(*CHAIN_FIELDS).iterator(chunk_size=5000)
    )
    seals = AccessLogSeal.objects.filter(record_id__gte=first_id).order_by("record_id").values_list(
        "record_id", "previous_hash", "hash", "scheme"
    ).iterator(chunk_size=5000)
    previous_id = 0
    keyed_seen = False
    mac_seen = False

    def check_record(record: dict[str, Any]) -> None:
        nonlocal previous_id, mac_seen
        # Before the first record there may be a gap: records past retention are removed.
        if record["id"] != previous_id + 1 and previous_id:
            first, last = previous_id + 1, record["id"] - 1
            span = f"record {first}" if first == last else f"records {first}–{last}"
            result.gaps.append(f"{span} missing: removed, or never committed (a gap in the ids)")
        previous_id = record["id"]
        if record["mac"]:
            mac_seen = True
            if not hmac.compare_digest(record["mac"], record_mac(record)):
                result.problems.append(f"record {record['id']} does not match its own seal: forged or altered")
        elif mac_seen:
            result.problems.append(f"record {record['id']} has no seal of its own: written outside the application")

    record = next(records, None)
    for record_id, seal_previous, seal_hash, scheme in seals:
        if scheme == KEYED:
            keyed_seen = True
        elif keyed_seen:
            result.problems.append(f"seal of record {record_id} is unkeyed after keyed seals: forged")
        if seal_previous != previous_hash:
            result.problems.append(
                f"chain broken before record {record_id}: a sealed record was removed"
            )
        while record is not None and record["id"] < record_id:
            check_record(record)
            result.problems.append(f"record {record['id']} has no seal: inserted outside the chain")
            record = next(records, None)
        if record_id in detached and (record is None or record["id"] != record_id):
            previous_id = record_id  # detached with its month: the seal stays in the chain
        elif record is None or record["id"] != record_id:
            result.problems.append(f"record {record_id} was removed")
        else:
            check_record(record)
            if not hmac.compare_digest(record_hash(seal_previous, record, scheme), seal_hash):
                result.problems.append(f"record {record_id} was altered")
            result.checked += 1
            record = next(records, None)
        for anchor in anchors.pop(record_id, ()):
            if anchor["hash"] != seal_hash:
                result.problems.append(
                    f"history rewritten: the anchor of {anchor['anchored_at']} holds another hash "
                    f"for record {record_id}"
                )
        previous_hash = seal_hash
    while record is not None:
        check_record(record)
        result.unsealed += 1
        if record["occurred_at"] < overdue_before:
            overdue += 1
        record = next(records, None)
    if overdue:
        result.problems.append(
            f"{overdue} records unsealed longer than the grace period: is the sealer running?"
        )
    for record_id, remaining in sorted(anchors.items()):
        if record_id < first_id:
            continue  # before the retention cut: checked when the cut was made
        for anchor in remaining:
            result.problems.append(
                f"history rewritten: the anchor of {anchor['anchored_at']} names record {record_id}, "
                "which has no seal any more"
            )
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
