"""Allocations can never be changed or deleted: the database itself refuses it.

PostgreSQL refuses UPDATE and DELETE per row (the test suite's TRUNCATE between transactional
tests is a statement, not a row operation, so it still works). SQLite empties tables with
DELETE between transactional tests, so there only UPDATE is refused; the model refuses delete()
and every foreign key to an allocation's participant and arm is PROTECT.
"""

from django.db import migrations

TABLE = "evaluations_allocation"

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION werkbrug_allocation_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'allocations are immutable: an allocation is never changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION werkbrug_allocation_immutable()"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'allocations are immutable'); END"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
