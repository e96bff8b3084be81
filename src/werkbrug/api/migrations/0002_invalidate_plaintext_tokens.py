"""The old API tokens (rest_framework.authtoken) were stored in plain text and never expired.

They are invalidated, not carried over: a key that sat readable in the database (and in its
backups) cannot be trusted again. Their holders issue a new, hashed and expiring token
(POST /api/v1/token/ in a verified session).
"""

from django.db import migrations


def invalidate(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(invalidate, migrations.RunPython.noop)]
