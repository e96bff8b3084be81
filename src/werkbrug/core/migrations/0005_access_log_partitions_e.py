"""The access log partitioned by month on PostgreSQL (declarative, RANGE on `occurred_at`).

Why: the log grows by millions of rows a year and is kept at least five years. With a partition
per month the hot searches read small per-month indexes, and retention detaches a whole month
(metadata only) instead of deleting rows one by one (which the append-only triggers refuse anyway).
See docs/adr/0009-access-log-partitioned-by-month.md.

PostgreSQL only; SQLite keeps its one table. Django's view is unchanged: `id` is still the model's
primary key (the admin, the API and the seals name records by id, and ids stay unique: one
sequence hands them out). PostgreSQL requires the partition column in every unique constraint,
so the table's primary key becomes (id, occurred_at). Nothing refers to a record by foreign key:
the seals hold the record id as a plain number.

- An empty log (a new installation, the test database) becomes a partitioned table with a
  partition per month from this month on, three months ahead, and a default partition that
  catches a record whose month has no partition yet (writes never fail on a missed maintenance).
- A filled log is not copied (that would hold a lock for minutes on millions of rows): the old
  table is attached whole as the partition for everything before next month, after a CHECK that
  lets PostgreSQL skip its own scan. It leaves in one piece once all its rows are past retention
  (`werkbrug access_log_partitions --retention`); later months get their own partitions.
"""

from datetime import UTC, datetime

from django.db import migrations

TABLE = "core_accesslogrecord"
LEGACY = "core_accesslogrecord_before_partitioning"
SEQUENCE = "core_accesslogrecord_id_seq"
INDEXES = {
    # Django's names (core.0001), so that later migrations find them.
    "core_access_client__dde39a_idx": "(client_pseudonym, occurred_at DESC)",
    "core_access_region__c5bbd0_idx": "(region_id_snapshot, occurred_at DESC)",
}
MONTHS_AHEAD = 3


def _month(year: int, month: int) -> datetime:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def _partition_sql(start: datetime) -> str:
    end = _month(start.year, start.month + 1)
    return (
        f"CREATE TABLE {TABLE}_p{start:%Y%m} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")  # noqa: S608
        filled = cursor.fetchone()[0]
        cursor.execute(f"SELECT pg_get_serial_sequence('{TABLE}', 'id')")
        old_sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {old_sequence}")  # noqa: S608
        last_value, is_called = cursor.fetchone()

        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {LEGACY}")
        cursor.execute(f"ALTER TABLE {LEGACY} RENAME CONSTRAINT {TABLE}_pkey TO {LEGACY}_pkey")
        for name in INDEXES:
            cursor.execute(f"ALTER INDEX {name} RENAME TO {name}_legacy")
        # The parent's append-only triggers (installed below) are cloned onto every partition.
        for suffix in ("no_change", "no_truncate"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix} ON {LEGACY}")
        # The identity column's sequence belongs to the old table; a plain sequence owned by the
        # new column takes over (identity columns on partitioned tables need PostgreSQL 17).
        cursor.execute(f"ALTER TABLE {LEGACY} ALTER COLUMN id DROP IDENTITY")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {LEGACY} INCLUDING DEFAULTS INCLUDING STORAGE) "
            "PARTITION BY RANGE (occurred_at)"
        )
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint OWNED BY {TABLE}.id")
        cursor.execute(f"SELECT setval('{SEQUENCE}', %s, %s)", [last_value, is_called])
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")
        # The partition column must be part of every unique constraint.
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, occurred_at)"
        )
        for name, columns in INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON {TABLE} {columns}")

        now = datetime.now(UTC)
        first = _month(now.year, now.month)
        if filled:
            first = _month(now.year, now.month + 1)
            cursor.execute(
                f"ALTER TABLE {LEGACY} ADD CONSTRAINT {LEGACY}_range "
                f"CHECK (occurred_at IS NOT NULL AND occurred_at < '{first.isoformat()}')"
            )
            # Matching indexes of the old table are attached, not built again; only the new
            # primary key's (id, occurred_at) is built, in place of the old one on id.
            cursor.execute(f"ALTER TABLE {LEGACY} DROP CONSTRAINT {LEGACY}_pkey")
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {LEGACY} "
                f"FOR VALUES FROM (MINVALUE) TO ('{first.isoformat()}')"
            )
            cursor.execute(f"ALTER TABLE {LEGACY} DROP CONSTRAINT {LEGACY}_range")
        else:
            cursor.execute(f"DROP TABLE {LEGACY}")
        for offset in range(MONTHS_AHEAD + 1):
            cursor.execute(_partition_sql(_month(first.year, first.month + offset)))
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")

    from werkbrug.core import db_triggers

    db_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    """Back to one table: copies every row (a maintenance window on a large log)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")  # noqa: S608
        last_value, is_called = cursor.fetchone()
        cursor.execute(f"CREATE TABLE {TABLE}_flat (LIKE {TABLE} INCLUDING STORAGE)")
        cursor.execute(f"INSERT INTO {TABLE}_flat SELECT * FROM {TABLE}")  # noqa: S608
        cursor.execute(f"DROP TABLE {TABLE} CASCADE")
        cursor.execute(f"ALTER TABLE {TABLE}_flat RENAME TO {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s, %s)",
            [last_value, is_called],
        )
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        for name, columns in INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON {TABLE} {columns}")

    from werkbrug.core import db_triggers

    db_triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_access_log_keyed_seals"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
