"""Zero-downtime rules for migrations that touch the access log (docs/operations.md, "Upgrade").

The access log (`core_accesslogrecord` and its seals, `core_accesslogseal`) grows by millions of
rows a year and is written by every request. A migration may not rewrite it or hold a lock on it
for longer than a moment, and the version still running during the upgrade must keep working
with the new schema. `findings()` reads every migration (no database needed) and names each
operation on these tables that breaks a rule, judged by PostgreSQL's rules:

- AddField: NOT NULL with a default (a rewrite on PostgreSQL < 11, and with `db_default` a
  volatile expression on every version), NOT NULL without a default (fails on a filled table), a
  unique or indexed column or a foreign key (an index built without CONCURRENTLY blocks writes;
  a foreign key is validated under lock);
- AlterField: another column type (a rewrite; a longer varchar is allowed: metadata only),
  NULL to NOT NULL (a full scan under an exclusive lock), a new unique or index;
- AddIndex / AddConstraint / unique_together (indexes and checks built under lock: use
  `AddIndexConcurrently` in a migration with `atomic = False`);
- RemoveField, RenameField, RenameModel, AlterModelTable, DeleteModel (the running version
  still reads the old column or table: first release code that no longer uses it);
- RunPython that names the access log (a data migration over every row in one transaction),
  RunSQL on the access log other than CREATE/DROP INDEX CONCURRENTLY.

`ALLOWED` holds the existing migrations that were judged by hand; a new migration that needs an
exception must be added there with its reason, in review.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from django.db import migrations, models

ACCESS_LOG_MODELS = frozenset({("core", "accesslogrecord"), ("core", "accesslogseal")})
ACCESS_LOG_TABLES = ("core_accesslogrecord", "core_accesslogseal")
_NAMES = re.compile(r"accesslogrecord|accesslogseal|access_log|db_triggers", re.IGNORECASE)
_CONCURRENT_INDEX = re.compile(r"^\s*(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently)\b",
                               re.IGNORECASE)

# (app, migration, operation index): why the operation is harmless although a rule names it.
ALLOWED: dict[tuple[str, str, int], str] = {
    ("core", "0002_access_log_append_only", 0):
        "RunPython installs the append-only triggers: DDL only, no row is read or written.",
    ("core", "0004_access_log_keyed_seals", 0):
        "AddField mac NOT NULL DEFAULT '': a constant default, stored in the catalogue without a rewrite "
        "on PostgreSQL >= 11 (production runs 15, compose.yaml).",
    ("core", "0004_access_log_keyed_seals", 1):
        "AddField scheme NOT NULL DEFAULT 'sha256' on the seals: a constant default, no rewrite on PostgreSQL >= 11.",
    ("core", "0004_access_log_keyed_seals", 4):
        "RunPython installs the append-only triggers again (SQLite drops them on a rebuild): DDL only.",
    ("core", "0005_access_log_partitions_e", 0):
        "RunPython (PostgreSQL only) turns the log into a table partitioned by month without copying it: an "
        "empty log is recreated; a filled one is attached whole as the first partition after a CHECK scan, "
        "and only the new primary key (id, occurred_at) is built under lock (ADR 0007 gives the measured lock time).",
}


@dataclass(frozen=True)
class Finding:
    app: str
    migration: str
    index: int
    operation: str
    problem: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.app, self.migration, self.index)

    def __str__(self) -> str:
        return f"{self.app}.{self.migration} operation {self.index} ({self.operation}): {self.problem}"


def _pg_connection():
    """PostgreSQL's column types and rules, without connecting to a server."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    return DatabaseWrapper({"NAME": "", "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {},
                            "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
                            "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {}})


def _db_type(field: models.Field, connection) -> str | None:
    return field.db_parameters(connection)["type"]


def _indexed(field: models.Field) -> bool:
    return bool(field.unique or field.db_index or field.is_relation)


def _add_field(op: migrations.AddField) -> str | None:
    field = op.field
    if field.is_relation:
        return "adds a foreign key: an index built without CONCURRENTLY and a validation under lock"
    if field.unique or field.db_index:
        return "adds an indexed column: the index is built without CONCURRENTLY and blocks writes"
    if not field.null:
        if field.db_default is not models.NOT_PROVIDED:
            return "adds a NOT NULL column with a database default: a rewrite on PostgreSQL < 11 or with a volatile default"
        if field.has_default():
            return "adds a NOT NULL column with a default: a rewrite of the table on PostgreSQL < 11"
        return "adds a NOT NULL column without a default: fails on a filled table"
    return None


def _alter_field(old: models.Field, new: models.Field, connection) -> str | None:
    old_type, new_type = _db_type(old, connection), _db_type(new, connection)
    if old_type != new_type:
        longer = (isinstance(old, models.CharField) and isinstance(new, models.CharField)
                  and type(old).__name__ == type(new).__name__
                  and (new.max_length or 0) >= (old.max_length or 0))
        if not longer:
            return f"changes the column type ({old_type} to {new_type}): a rewrite of the table under an exclusive lock"
    if old.null and not new.null:
        return "makes the column NOT NULL: a full scan under an exclusive lock"
    if (new.unique and not old.unique) or (new.db_index and not old.db_index and not new.unique):
        return "adds a unique constraint or index: built without CONCURRENTLY, blocking writes"
    if new.is_relation and not old.is_relation:
        return "turns the column into a foreign key: validated under lock"
    return None


def _mentions_access_log(code) -> bool:
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        return True  # cannot be read: assume the worst
    return bool(_NAMES.search(source))


def _check(op, model_key, state, connection, atomic: bool) -> str | None:
    """The rule `op` breaks on an access-log model (`model_key`), or None."""
    if isinstance(op, migrations.AddField):
        return _add_field(op)
    if isinstance(op, migrations.AlterField):
        old = state.models[model_key].fields.get(op.name)
        return _alter_field(old, op.field, connection) if old is not None else None
    from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently

    if isinstance(op, AddIndexConcurrently | RemoveIndexConcurrently):
        return None if not atomic else "runs CONCURRENTLY, which needs `atomic = False` on the migration"
    if isinstance(op, migrations.AddIndex):
        return "builds an index without CONCURRENTLY: use AddIndexConcurrently (atomic = False)"
    if isinstance(op, migrations.AddConstraint):
        return "adds a constraint: a scan or an index build under lock"
    if isinstance(op, migrations.AlterUniqueTogether | migrations.AlterIndexTogether) and op.option_value:
        return "adds a unique or index together: built under lock"
    if isinstance(op, migrations.RemoveField | migrations.RenameField):
        return "removes or renames a column that the running version still reads: release code without it first"
    if isinstance(op, migrations.RenameModel | migrations.AlterModelTable | migrations.DeleteModel):
        return "renames or drops the table that the running version still writes"
    return None


def _walk(operations):
    for op in operations:
        if isinstance(op, migrations.SeparateDatabaseAndState):
            yield from ((o, True) for o in op.database_operations)
        else:
            yield op, False


def findings(loader=None) -> list[Finding]:
    """Every operation of every migration that breaks a rule on the access log (allowed ones too)."""
    from django.db.migrations.loader import MigrationLoader

    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    connection = _pg_connection()
    found: list[Finding] = []
    for key in sorted(loader.disk_migrations):
        migration = loader.disk_migrations[key]
        app, name = key
        state = None
        for index, op in enumerate(migration.operations):
            problem = None
            if isinstance(op, migrations.RunPython):
                if _mentions_access_log(op.code):
                    problem = "RunPython over the access log: a data migration holds every row in one transaction"
            elif isinstance(op, migrations.RunSQL):
                sql = op.sql if isinstance(op.sql, str) else " ".join(map(str, op.sql))
                if any(table in sql for table in ACCESS_LOG_TABLES) and not _CONCURRENT_INDEX.match(sql):
                    problem = "RunSQL on the access log: rewrites or locks it unless it is CREATE/DROP INDEX CONCURRENTLY"
            else:
                for inner, _database_only in _walk([op]):
                    model_name = getattr(inner, "model_name", None) or getattr(inner, "name_lower", None)
                    if (app, (model_name or "").lower()) not in ACCESS_LOG_MODELS:
                        continue
                    if isinstance(inner, migrations.CreateModel):
                        continue  # a new table is empty
                    if state is None:
                        state = loader.project_state(key, at_end=False)
                        for earlier in migration.operations[:index]:
                            earlier.state_forwards(app, state)
                    problem = _check(inner, (app, model_name.lower()), state, connection, migration.atomic)
            if problem:
                found.append(Finding(app, name, index, type(op).__name__, problem))
            if state is not None:
                op.state_forwards(app, state)
    return found


def violations(loader=None) -> list[Finding]:
    """The findings that are not in ALLOWED: each one must be fixed (or judged and allowed)."""
    return [finding for finding in findings(loader) if finding.key not in ALLOWED]
