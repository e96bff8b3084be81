"""Indexes for reading a large caseload in order (name; start date) and stopping after a page."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('trajectories', '0002_intake_alter_plandirectorchange_changed_at_and_more'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='trajectory',
            index=models.Index(condition=models.Q(('status', 'active')), fields=['region', 'started_on', 'id'], name='trajectory_active_started'),
        ),
    ]
