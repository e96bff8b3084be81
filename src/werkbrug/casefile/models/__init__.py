from .documents import Document, DocumentKind, DocumentVersion, documents_storage
from .journal import JournalEntry, JournalKind, JournalVersion

__all__ = [
    "Document", "DocumentKind", "DocumentVersion", "JournalEntry", "JournalKind", "JournalVersion", "documents_storage",
]
