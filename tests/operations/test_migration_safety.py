"""Zero-downtime migrations: no migration may rewrite the access log or lock it for long.

The first test reads every migration of the project; the others feed the check migrations that
break (or keep) each rule, so that the check is known to catch what it names."""

from __future__ import annotations

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from werkbrug.operations import migration_safety
from werkbrug.operations.migration_safety import ALLOWED, findings, violations


def test_no_migration_rewrites_or_long_locks_the_access_log():
    found = violations()
    assert found == [], "\n".join(str(f) for f in found) + (
        "\nSee docs/operations.md (Upgrade): split the change into steps that keep the table online, "
        "or, when it is harmless after all, add it to ALLOWED in operations/migration_safety.py with the reason.")


def test_every_allowed_exception_is_still_a_real_finding():
    assert {f.key for f in findings()} >= set(ALLOWED)


def _loader_with(*operations, atomic: bool = True, app: str = "core") -> MigrationLoader:
    """The project's migrations plus one more in `app`, after that app's newest."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    newest = loader.graph.leaf_nodes(app)[0]
    migration = type("Migration", (migrations.Migration,), {
        "dependencies": [newest], "operations": list(operations), "atomic": atomic})("9999_check", app)
    key = (app, "9999_check")
    loader.disk_migrations[key] = migration
    loader.graph.add_node(key, migration)
    loader.graph.add_dependency(migration, key, newest)
    return loader


def _problems(*operations, **kwargs) -> list[str]:
    return [f.problem for f in findings(_loader_with(*operations, **kwargs)) if f.migration == "9999_check"]


def _touches_access_log(apps, schema_editor):
    AccessLogRecord = apps.get_model("core", "AccessLogRecord")
    for record in AccessLogRecord.objects.iterator():
        record.save()


def _elsewhere(apps, schema_editor):
    apps.get_model("core", "Region").objects.update(name="x")


@pytest.mark.parametrize(("operation", "problem"), [
    (migrations.AddField("accesslogrecord", "source", models.CharField(max_length=20, default="web")),
     "NOT NULL column with a default"),
    (migrations.AddField("accesslogrecord", "source", models.CharField(max_length=20, db_default="web")),
     "NOT NULL column with a database default"),
    (migrations.AddField("accesslogrecord", "source", models.CharField(max_length=20)),
     "NOT NULL column without a default"),
    (migrations.AddField("accesslogrecord", "session", models.BigIntegerField(null=True, db_index=True)),
     "indexed column"),
    (migrations.AddField("accesslogrecord", "region", models.ForeignKey("core.Region", null=True, on_delete=models.PROTECT)),
     "foreign key"),
    (migrations.AlterField("accesslogrecord", "action", models.TextField(verbose_name="action")),
     "changes the column type"),
    (migrations.AlterField("accesslogrecord", "action", models.CharField(max_length=40)),
     "changes the column type"),
    (migrations.AlterField("accesslogrecord", "region_id_snapshot", models.BigIntegerField()),
     "NOT NULL"),
    (migrations.AlterField("accesslogrecord", "action", models.CharField(max_length=80, db_index=True)),
     "unique constraint or index"),
    (migrations.AddIndex("accesslogrecord", models.Index(fields=["action"], name="core_alr_action_idx")),
     "without CONCURRENTLY"),
    (migrations.AddConstraint("accesslogseal", models.UniqueConstraint(fields=["hash"], name="core_als_hash_uniq")),
     "constraint"),
    (migrations.RemoveField("accesslogrecord", "purpose"), "running version still reads"),
    (migrations.RenameField("accesslogrecord", "purpose", "context"), "running version still reads"),
    (migrations.RunPython(_touches_access_log), "RunPython over the access log"),
    (migrations.RunSQL("UPDATE core_accesslogrecord SET purpose = ''"), "RunSQL on the access log"),
    (migrations.RunSQL("CREATE INDEX core_alr_a ON core_accesslogrecord (action)"), "RunSQL on the access log"),
])
def test_an_operation_that_rewrites_or_locks_the_access_log_is_found(operation, problem):
    problems = _problems(operation)
    assert len(problems) == 1 and problem in problems[0], problems


@pytest.mark.parametrize("operation", [
    migrations.AddField("accesslogrecord", "source", models.CharField(max_length=20, null=True)),
    migrations.AddField("accesslogrecord", "note", models.TextField(blank=True, null=True)),
    migrations.AlterField("accesslogrecord", "action", models.CharField(max_length=120, verbose_name="action")),
    migrations.AlterField("accesslogrecord", "purpose", models.CharField(max_length=200, blank=True, verbose_name="doel")),
    migrations.AlterModelOptions("accesslogrecord", {"verbose_name": "record"}),
    migrations.RunPython(_elsewhere),
    migrations.RunSQL("CREATE INDEX CONCURRENTLY core_alr_a ON core_accesslogrecord (action)"),
    # The same changes elsewhere are not this check's business.
    migrations.AddField("region", "code", models.CharField(max_length=8, default="x")),
])
def test_an_operation_that_keeps_the_access_log_online_passes(operation):
    assert _problems(operation, atomic=False) == []


def test_an_index_is_built_concurrently_only_outside_a_transaction():
    index = models.Index(fields=["action"], name="core_alr_action_idx")
    assert _problems(AddIndexConcurrently("accesslogrecord", index), atomic=False) == []
    assert "atomic = False" in _problems(AddIndexConcurrently("accesslogrecord", index), atomic=True)[0]


def test_a_second_step_is_judged_against_the_state_the_first_left():
    """Add a nullable column, then make it NOT NULL in the same migration: the second is found."""
    problems = _problems(
        migrations.AddField("accesslogrecord", "source", models.CharField(max_length=20, null=True)),
        migrations.AlterField("accesslogrecord", "source", models.CharField(max_length=20)),
    )
    assert len(problems) == 1 and "NOT NULL" in problems[0]


def test_the_allowed_migrations_are_named_with_a_reason():
    assert all(len(reason) > 30 for reason in ALLOWED.values())
    assert {key[:2] for key in ALLOWED} == {("core", "0002_access_log_append_only"), ("core", "0004_access_log_keyed_seals"),
                                            ("core", "0005_access_log_partitions_e")}
    assert migration_safety.ACCESS_LOG_TABLES == ("core_accesslogrecord", "core_accesslogseal")
