from django.db import migrations, models


def fill(apps, schema_editor):
    # Until now a note kept one category: every version was written in it.
    JournalVersion = apps.get_model("casefile", "JournalVersion")
    JournalEntry = apps.get_model("casefile", "JournalEntry")
    for entry_id, category in JournalEntry.objects.values_list("pk", "category").iterator():
        JournalVersion.objects.filter(entry_id=entry_id).update(category=category)


class Migration(migrations.Migration):
    dependencies = [("casefile", "0001_journal_and_documents")]

    operations = [
        migrations.AddField(
            model_name="journalversion",
            name="category",
            field=models.CharField(choices=[('participation', 'Taking part in the team (name and contact details)'), ('care', 'Care context'), ('work_income', 'Work and income'), ('debts', 'Debts'), ('plan', 'Plan'), ('signals', 'Signals'), ('job_outcomes', 'Job outcomes'), ('research', 'Research participation')], default="", max_length=32, verbose_name="data category"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
