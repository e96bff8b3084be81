"""A covering index for the policy's consent lookups, on PostgreSQL only.

SQLite has no INCLUDE columns (Django warns models.W040 for such a model index), so the index is
created here with SQL instead of in the model's Meta.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS consent_state_lookup ON clients_consentstate "
    "(client_id, organisation_id, category) INCLUDE (granted, valid_until)"
)
DROP = "DROP INDEX IF EXISTS consent_state_lookup"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
