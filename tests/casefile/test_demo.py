import pytest
from django.core.files.storage import storages

from werkbrug.casefile.models import Document, DocumentVersion, JournalEntry, JournalVersion
from werkbrug.core.choices import DataCategory

pytestmark = pytest.mark.django_db


def test_demo_has_journals_and_documents(demo_region):
    entries = JournalEntry.objects.filter(trajectory__region=demo_region)
    assert entries.values("trajectory").distinct().count() >= 20
    assert {DataCategory.PARTICIPATION, DataCategory.WORK_INCOME, DataCategory.CARE} <= set(
        entries.values_list("category", flat=True))
    assert JournalVersion.objects.filter(number=2).exists()  # corrections, with the old text kept
    assert entries.filter(current__shared_with_client=True).exists()
    documents = Document.objects.filter(trajectory__region=demo_region)
    assert documents.filter(kind="signed_consent", consent_event__isnull=False).exists()
    assert documents.filter(versions__number=2).exists()
    version = DocumentVersion.objects.order_by("pk").first()
    with storages["documents"].open(version.file.name) as stored:
        assert stored.read(5) == b"%PDF-"
