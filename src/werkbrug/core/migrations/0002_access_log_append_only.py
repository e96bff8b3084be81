"""Make the access log append-only in the database itself: UPDATE, DELETE and TRUNCATE refused."""

from django.db import migrations


def forwards(apps, schema_editor):
    from werkbrug.core import db_triggers

    db_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from werkbrug.core import db_triggers

    db_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
