"""The access log's monthly partitions on PostgreSQL, and its retention (NEN 7513: at least five years).

`core_accesslogrecord` is partitioned by month on `occurred_at` (migration core.0005, ADR 0009):
a partition `core_accesslogrecord_pYYYYMM` per month, a default partition for a record whose month
has none yet (it should stay empty), and, on an installation converted with records in it, the
old table as one partition for everything before the conversion.

- `access_log_partitions_ensure` creates the partitions of the coming months (daily task, and
  `werkbrug access_log_partitions --ensure`); the demo uses it for the past months it fills.
- `access_log_retention` detaches the months past retention: every partition whose months all
  ended `ACCESS_LOG_RETENTION_YEARS` years before the start of the current month (five years plus
  the current month: no record is kept less than the legal period). Before it detaches, it
  verifies the chain, and it records where the chain now begins (`AccessLogRetentionCut`, keyed),
  so that `werkbrug verify_access_log` verifies the log from its first retained record on. The
  detached tables are kept, archived to a compressed CSV file, or dropped (settings below).

On SQLite there are no partitions: both functions do nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AccessLogRecord, AccessLogRetentionCut, AccessLogSeal

logger = logging.getLogger(__name__)

TABLE = AccessLogRecord._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
# A partition operation waits at most this long for its lock, instead of queueing every request
# behind a long-running search; the next run tries again.
LOCK_TIMEOUT = "5s"


@dataclass(frozen=True)
class Partition:
    name: str
    lower: datetime | None  # None: MINVALUE (the table from before the conversion)
    upper: datetime | None  # None: the default partition
    default: bool = False


def month_start(moment: datetime, offset: int = 0) -> datetime:
    """The first instant (UTC) of the month of `moment`, `offset` months on."""
    moment = moment.astimezone(UTC)
    index = moment.year * 12 + moment.month - 1 + offset
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind FROM pg_class WHERE relname = %s AND relkind IN ('p', 'r')", [TABLE]
        )
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def access_log_partitions() -> list[Partition]:
    """The attached partitions, oldest first (the default partition last)."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = %s",
            [TABLE],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound in rows:
        if bound == "DEFAULT":
            found.append(Partition(name, None, None, default=True))
            continue
        # FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00'), or MINVALUE.
        lower_text, upper_text = bound.split(" FROM (", 1)[1].split(") TO (")
        found.append(Partition(name, _bound(lower_text), _bound(upper_text.rstrip(")"))))
    found.sort(key=lambda p: (p.default, p.lower or datetime.min.replace(tzinfo=UTC)))
    return found


def _bound(text: str) -> datetime | None:
    if text.strip() in ("MINVALUE", "MAXVALUE"):
        return None
    return datetime.fromisoformat(text.strip().strip("'")).astimezone(UTC)


def access_log_partitions_ensure(
    *, start: datetime | None = None, months_ahead: int | None = None
) -> list[str]:
    """Create the monthly partitions from `start`'s month (default: this month) up to
    `months_ahead` months ahead (ACCESS_LOG_PARTITION_MONTHS_AHEAD). Returns the names created.

    Months already covered (by their own partition or the converted table) are skipped. Creating a
    partition checks the default partition for rows of that month: it stays empty as long as this
    runs, so that check reads nothing.
    """
    if not partitioned():
        return []
    if months_ahead is None:
        months_ahead = settings.ACCESS_LOG_PARTITION_MONTHS_AHEAD
    now = timezone.now()
    month = month_start(start or now)
    last = month_start(now, months_ahead)
    existing = [p for p in access_log_partitions() if not p.default]
    created = []
    while month <= last:
        following = month_start(month, 1)
        covered = any(
            (p.lower is None or p.lower <= month) and p.upper is not None and following <= p.upper
            for p in existing
        )
        if not covered:
            name = f"{TABLE}_p{month:%Y%m}"
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                # Names and bounds are made here from dates, never from input.
                cursor.execute(
                    f"CREATE TABLE {name} PARTITION OF {TABLE} "
                    f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following.isoformat()}')"
                )
            created.append(name)
        month = following
    if created:
        logger.info("access log partitions created: %s", ", ".join(created))
    return created


# --- Retention -------------------------------------------------------------------------------


def retention_before(now: datetime | None = None, years: int | None = None) -> datetime:
    """Records older than this may go: the start of the current month, `years` years back."""
    years = settings.ACCESS_LOG_RETENTION_YEARS if years is None else years
    start = month_start(now or timezone.now())
    return start.replace(year=start.year - years)


def cut_mac(cut: AccessLogRetentionCut) -> str:
    from .access_log import _key, utc_text

    values = {
        "before": utc_text(cut.before),
        "first_record_id": cut.first_record_id,
        "previous_hash": cut.previous_hash,
        "detached_ids": sorted(cut.detached_ids),
    }
    return hmac.new(_key(), json.dumps(values, sort_keys=True).encode(), hashlib.sha256).hexdigest()


def latest_cut() -> AccessLogRetentionCut | None:
    return AccessLogRetentionCut.objects.order_by("-first_record_id").first()


@dataclass
class RetentionResult:
    before: datetime
    detached: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    records: int = 0
    refused: str = ""


def access_log_retention(
    *,
    now: datetime | None = None,
    years: int | None = None,
    archive_dir: Path | str | None = None,
    drop: bool | None = None,
    verify: bool = True,
) -> RetentionResult:
    """Detach the partitions whose months are all past retention (DETACH PARTITION: a catalogue
    change, no row is read or deleted), after verifying the chain, and record the new start of
    the chain. Then archive each detached table to `archive_dir` (ACCESS_LOG_ARCHIVE_DIR) as
    `<table>.csv.gz` and drop it when `drop` (ACCESS_LOG_RETENTION_DROP); otherwise the database
    administrator finds it as a table of its own.

    Refuses (and changes nothing) when the chain does not verify or a record to be detached is
    not sealed yet.
    """
    from .access_log import access_log_seal, access_log_verify

    before = retention_before(now, years)
    result = RetentionResult(before=before)
    if not partitioned():
        return result
    if archive_dir is None:
        archive_dir = settings.ACCESS_LOG_ARCHIVE_DIR or None
    if drop is None:
        drop = settings.ACCESS_LOG_RETENTION_DROP
    old = [
        p
        for p in access_log_partitions()
        if not p.default and p.upper is not None and p.upper <= before
    ]
    if not old:
        return result
    access_log_seal()
    names = [p.name for p in old]
    with connection.cursor() as cursor:
        # Everything detached must be in the chain: its seals are the proof of what was there.
        # Partition names come from the catalogue, never from input.
        unions = " UNION ALL ".join(
            f"SELECT max(id) AS m, count(*) AS n FROM {name}"  # noqa: S608
            for name in names
        )
        cursor.execute(f"SELECT max(m), sum(n) FROM ({unions}) s")  # noqa: S608
        highest, count = cursor.fetchone()
    last_seal = (
        AccessLogSeal.objects.order_by("-record_id").values_list("record_id", flat=True).first()
        or 0
    )
    if highest is not None and highest > last_seal:
        result.refused = f"record {highest} is not sealed yet: run the sealer first"
        return result
    if verify:
        verification = access_log_verify()
        if not verification.ok:
            result.refused = "the access log does not verify: " + "; ".join(
                verification.problems[:5]
            )
            return result

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute("SELECT pg_advisory_xact_lock(7513)")  # not while the sealer runs
        first = (
            AccessLogRecord.objects.filter(occurred_at__gte=before)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if first is None:
            # Nothing retained yet: the chain goes on after the last seal.
            last = AccessLogSeal.objects.order_by("-record_id").first()
            first, previous_hash = (last.record_id + 1, last.hash) if last else (1, "0" * 64)
        else:
            previous_hash = AccessLogSeal.objects.get(record_id=first).previous_hash
        with connection.cursor() as cursor:
            unions = " UNION ALL ".join(f"SELECT id FROM {name} WHERE id > %s" for name in names)  # noqa: S608
            cursor.execute(unions, [first] * len(names))
            straddlers = sorted(row[0] for row in cursor.fetchall())
        earlier = latest_cut()
        cut = AccessLogRetentionCut(
            cut_at=timezone.now(),
            before=before,
            first_record_id=first,
            previous_hash=previous_hash,
            detached_ids=sorted(
                set(straddlers)
                | {i for i in (earlier.detached_ids if earlier else []) if i > first}
            ),
            partitions=names,
            records=count or 0,
        )
        cut.mac = cut_mac(cut)
        cut.save()
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
    result.detached, result.records = names, count or 0
    logger.warning(
        "access log: %s records before %s detached (%s)",
        result.records,
        before.date(),
        ", ".join(names),
    )

    for name in names:
        if archive_dir:
            target = Path(archive_dir) / f"{name}.csv.gz"
            target.parent.mkdir(parents=True, exist_ok=True)
            _archive(name, target)
            result.archived.append(str(target))
        if drop:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {name}")
            result.dropped.append(name)
    return result


def _archive(table: str, target: Path) -> None:
    """The detached table as CSV with a header, gzip-compressed, streamed (COPY TO STDOUT)."""
    raw = connection.connection  # psycopg's connection, for COPY
    with gzip.open(target, "wb") as out, raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:  # noqa: S608
            for chunk in copy:
                out.write(chunk)
