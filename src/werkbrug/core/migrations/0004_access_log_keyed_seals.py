"""The keyed access log: a seal per record written with it, and the chain's scheme per seal.

Seals made before this migration are unkeyed SHA-256 (`scheme` "sha256"); new ones are
HMAC-SHA256 with ACCESS_LOG_HMAC_KEY. On SQLite adding a column rebuilds the table without its
triggers, so they are installed again at the end (and after every migrate, see core.apps).
"""

from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from werkbrug.core import db_triggers

    db_triggers.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_access_log_fewer_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogrecord',
            name='mac',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='record seal'),
        ),
        # Existing seals are the unkeyed ones; the default then changes for new seals.
        migrations.AddField(
            model_name='accesslogseal',
            name='scheme',
            field=models.CharField(default='sha256', max_length=16),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='accesslogseal',
            name='scheme',
            field=models.CharField(default='hmac-sha256', max_length=16),
        ),
        migrations.AlterField(
            model_name='accesslogrecord',
            name='occurred_at',
            field=models.DateTimeField(verbose_name='time'),
        ),
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
