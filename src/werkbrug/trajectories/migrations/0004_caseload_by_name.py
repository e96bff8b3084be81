"""The client's name on each team membership, kept by triggers, for the caseload by name
(see `trajectories/caseload_sync.py`)."""

from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    from werkbrug.trajectories import caseload_sync

    caseload_sync.backfill(schema_editor.connection)
    caseload_sync.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from werkbrug.trajectories import caseload_sync

    caseload_sync.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_access_log_fewer_indexes'),
        ('clients', '0004_caseload_indexes'),
        ('trajectories', '0003_caseload_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='teammembership',
            name='client_first_name',
            field=models.CharField(db_default='', default='', editable=False, max_length=100, verbose_name="client's first name"),
        ),
        migrations.AddField(
            model_name='teammembership',
            name='client_last_name',
            field=models.CharField(db_default='', default='', editable=False, max_length=150, verbose_name="client's last name"),
        ),
        migrations.AddField(
            model_name='teammembership',
            name='client_pseudonym',
            field=models.CharField(db_default='', default='', editable=False, max_length=16, verbose_name='client id'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name='teammembership',
            index=models.Index(condition=models.Q(('left_at__isnull', True)), fields=['person', 'client_last_name', 'client_first_name', 'trajectory', 'client_pseudonym', 'role'], name='team_caseload_by_name'),
        ),
    ]
