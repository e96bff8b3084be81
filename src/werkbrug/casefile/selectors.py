"""Reads for the case file. Other apps import only this module and `services.py`.

Permission-checked fetches (`*_get`, `*_for`) refuse (404, logged) before the caller reads any
input, and log one access-log record per data category they show. Lists are narrowed in the
database by the policy's scope (`readable_casefile`: team membership × current consent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.core.policy.casefile import (
    CasefileRead,
    JournalHistory,
    PortalJournalRead,
    journal_version_categories,
)
from werkbrug.trajectories.models import Trajectory

from .models import Document, DocumentVersion, JournalEntry, JournalVersion

if TYPE_CHECKING:
    from werkbrug.clients.models import Client, ConsentEvent
    from werkbrug.core.models import User

__all__ = [
    "trajectory_for",
    "journal_list",
    "journal_entry_get",
    "journal_shared_with_client",
    "portal_journal",
    "document_list",
    "document_get",
    "document_version_get",
    "consent_records",
]

MAX_QUERY = 200


def trajectory_find(*, pk: int) -> Trajectory:
    """A plain fetch without an access check; the caller checks before it reads input."""
    trajectory = Trajectory.objects.select_related("client", "plan_director").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    return trajectory


def trajectory_for(*, user: User, pk: int, action: str, write: bool = False) -> Trajectory:
    """The trajectory if `user` may do `action` on it (one access-log record); 404 otherwise.

    With `write`, the check comes first but logs only a refusal: the service the caller goes on
    to call authorizes the write itself, with the data category it writes, and logs that."""
    trajectory = trajectory_find(pk=pk)
    if write:
        policy.check(user, action, trajectory)
    else:
        policy.authorize(user, action, trajectory)
    return trajectory


def _entries() -> QuerySet[JournalEntry]:
    return JournalEntry.objects.select_related("current", "current__written_by", "created_by")


def journal_list(*, user: User, trajectory_pk: int, query: str = "") -> tuple[Trajectory, list[JournalEntry]]:
    """The trajectory's notes `user` may read, newest contact first, optionally searched (text and
    with whom); one access-log record per category shown. 404 (logged) when refused."""
    trajectory = trajectory_find(pk=trajectory_pk)
    policy.check(user, "journal.view", trajectory)
    entries = policy.scope(user, "journal.view", _entries().filter(trajectory=trajectory))
    query = (query or "").strip()[:MAX_QUERY]
    if query:
        entries = entries.filter(Q(current__text__icontains=query) | Q(current__with_whom__icontains=query))
    entries = list(entries.order_by("-current__occurred_on", "-created_at", "-id"))
    policy.authorize(user, "journal.view", CasefileRead(trajectory, frozenset(e.category for e in entries)))
    return trajectory, entries


def journal_entry_find(*, pk: int, trajectory_pk: int | None = None) -> JournalEntry:
    qs = _entries().select_related("trajectory__client")
    if trajectory_pk is not None:
        qs = qs.filter(trajectory_id=trajectory_pk)
    entry = qs.filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def journal_entry_get(*, user: User, pk: int, action: str = "journal.entry", trajectory_pk: int | None = None
                      ) -> JournalEntry:
    """The note if `user` may do `action` on it (one access-log record, its category); 404 otherwise."""
    entry = journal_entry_find(pk=pk, trajectory_pk=trajectory_pk)
    policy.authorize(user, action, entry)
    return entry


def journal_versions(*, user: User, entry: JournalEntry) -> list[JournalVersion]:
    """Every version of the note, newest first (the caller has authorized the note), each with
    `readable`: whether `user` may read the category that version was written in. An unreadable
    version keeps only its number, category, author and time (its text, date, kind and with whom
    are blanked here, so no page or serializer can show them). Readable versions in another
    category than the note's are access-logged in their own category."""
    versions = list(entry.versions.select_related("written_by").order_by("-number"))
    allowed = journal_version_categories(user, entry)
    labels = dict(DataCategory.choices)
    for version, older in zip(versions, [*versions[1:], None], strict=True):
        # The history shows where a correction re-filed the note (the category is no secret).
        version.refiled_from = older.category if older is not None and older.category != version.category else ""
        version.refiled_from_display = labels.get(version.refiled_from, "")
        version.readable = version.category in allowed
        if not version.readable:
            version.text = version.with_whom = ""
            version.kind = ""
            version.occurred_on = None
    others = frozenset(v.category for v in versions if v.readable and v.category != entry.category)
    if others:
        policy.authorize(user, "journal.history", JournalHistory(entry, others))
    return versions


def journal_shared_with_client(client: Client) -> QuerySet[JournalEntry]:
    """The notes about `client` (any trajectory) whose latest version is marked as shared with
    them, newest contact first. No access check: the caller has authorized (`portal.journal`)."""
    return (
        JournalEntry.objects.filter(trajectory__client=client, current__shared_with_client=True)
        .select_related("current", "current__written_by", "current__written_by__organisation")
        .order_by("-current__occurred_on", "-created_at", "-id")
    )


def portal_journal(*, user: User, client: Client) -> list[JournalEntry]:
    """The signed-in client's shared notes; one access-log record per category shown."""
    policy.check(user, "portal.journal", client)
    entries = list(journal_shared_with_client(client))
    policy.authorize(user, "portal.journal", PortalJournalRead(client, frozenset(e.category for e in entries)))
    return entries


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("current", "current__uploaded_by", "created_by", "consent_event",
                                           "consent_event__organisation")


def document_list(*, user: User, trajectory_pk: int) -> tuple[Trajectory, list[Document]]:
    """The trajectory's documents `user` may read, newest first; one record per category shown."""
    trajectory = trajectory_find(pk=trajectory_pk)
    policy.check(user, "document.view", trajectory)
    documents = list(policy.scope(user, "document.view", _documents().filter(trajectory=trajectory))
                     .order_by("-created_at", "-id"))
    policy.authorize(user, "document.view", CasefileRead(trajectory, frozenset(d.category for d in documents)))
    return trajectory, documents


def document_find(*, pk: int, trajectory_pk: int | None = None) -> Document:
    qs = _documents().select_related("trajectory__client")
    if trajectory_pk is not None:
        qs = qs.filter(trajectory_id=trajectory_pk)
    document = qs.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_get(*, user: User, pk: int, action: str = "document.detail", trajectory_pk: int | None = None
                 ) -> Document:
    """The document if `user` may do `action` on it (one access-log record); 404 otherwise."""
    document = document_find(pk=pk, trajectory_pk=trajectory_pk)
    policy.authorize(user, action, document)
    return document


def document_versions(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by").order_by("-number")


def document_version_get(*, user: User, pk: int, document_pk: int | None = None, trajectory_pk: int | None = None
                         ) -> DocumentVersion:
    """A version of a document, for its download: authorized (`document.download`, one record of
    the document's category, code R) before anything is read; 404 otherwise."""
    qs = DocumentVersion.objects.select_related("document__trajectory__client")
    if document_pk is not None:
        qs = qs.filter(document_id=document_pk)
    if trajectory_pk is not None:
        qs = qs.filter(document__trajectory_id=trajectory_pk)
    version = qs.filter(pk=pk).first()
    if version is None:
        raise Http404
    policy.authorize(user, "document.download", version)
    return version


def consent_records(*, trajectory: Trajectory) -> QuerySet[ConsentEvent]:
    """The client's recorded consents (grants), to attach a signed form to; newest first."""
    from werkbrug.clients.models import ConsentEvent

    return (ConsentEvent.objects.filter(client_id=trajectory.client_id, kind=ConsentEvent.Kind.GRANT)
            .select_related("organisation").order_by("-recorded_at", "-id"))


def versions_prefetch() -> Prefetch:
    return Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
