"""Database triggers that make the access log append-only (UPDATE, DELETE, TRUNCATE refused).

Installed by migration `core.0002` and again after every `migrate` (`core.apps`, on
`post_migrate`): on SQLite a migration that alters a column rebuilds the table and drops its
triggers with it (as `core.0003` did). The system check `werkbrug.E010` names any trigger that is
missing or switched off. `suspend()` exists for the test suite only, whose transactional tests
empty every table between tests; it needs the table owner's rights.
"""

from __future__ import annotations

TABLES = ("core_accesslogrecord", "core_accesslogseal")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION werkbrug_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def expected(vendor: str) -> list[str]:
    """The names of the triggers that must exist on this database vendor."""
    if vendor == "postgresql":
        return [f"{table}_{suffix}" for table in TABLES for suffix in ("no_change", "no_truncate")]
    if vendor == "sqlite":
        return [f"{table}_{suffix}" for table in TABLES for suffix in ("no_update", "no_delete")]
    return []


def tables_exist(connection) -> bool:
    return set(TABLES) <= set(connection.introspection.table_names())


def missing(connection) -> list[str]:
    """The expected triggers that are absent (or, on PostgreSQL, switched off)."""
    names = expected(connection.vendor)
    if not names:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                # 'O' fires in normal sessions, 'A' always; 'D' (disabled) and 'R' (replica
                # sessions only) leave the table open to changes.
                "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')",
                [list(TABLES)],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in names if name not in present]


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION werkbrug_access_log_append_only()"
                )
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION werkbrug_access_log_append_only()"
                )
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for op in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
                    )


def install_after_migrate(using: str = "default", **kwargs) -> None:
    """`post_migrate` receiver: (re)install the triggers once the tables exist."""
    from django.db import connections

    connection = connections[using]
    if tables_exist(connection):
        install(connection)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            elif connection.vendor == "sqlite":
                for op in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


def resume(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    else:
        install(connection)


def suspend(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        remove(connection)
