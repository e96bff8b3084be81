"""Indexes for reading a large caseload in order (name; start date) and stopping after a page."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0003_consentstate_consent_state_lookup'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='client',
            name='clients_cli_region__c691b3_idx',
        ),
        migrations.AddIndex(
            model_name='client',
            index=models.Index(fields=['region', 'last_name', 'first_name', 'id'], name='client_region_name'),
        ),
    ]
