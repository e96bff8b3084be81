"""Writes for the case file: journal notes, their corrections, documents and their versions, and
the erasure of a trajectory's case file under the retention rule.

A journal note is written in a data category; a correction adds a version that keeps the old
text (never a silent edit or delete). A document is uploaded in a data category, checked by name,
size and sniffed content (`uploads.py`), and stored through the `documents` storage under a random
name; replacing it adds a version that keeps the old file. Every write authorizes itself with the
category it writes (`core/policy/casefile.py`), outside the transaction, so that a refused
attempt stays in the access log.

Other apps import only this module and `selectors.py`.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.access_log import access_log_write
from werkbrug.core.choices import DataCategory
from werkbrug.core.policy.casefile import CasefileWrite
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.workflow import ensure_open

from .models import (
    Document,
    DocumentKind,
    DocumentVersion,
    JournalEntry,
    JournalKind,
    JournalVersion,
    documents_storage,
)
from .uploads import check_upload

if TYPE_CHECKING:
    from werkbrug.clients.models import ConsentEvent
    from werkbrug.core.models import User

__all__ = [
    "journal_entry_create",
    "journal_entry_correct",
    "document_upload",
    "document_replace",
    "casefile_erase_for_trajectory",
]

MAX_TEXT = 10_000
MAX_WITH_WHOM = 200
MAX_TITLE = 200
MAX_REASON = 300
EARLIEST = date(2000, 1, 1)


def _active(trajectory: Trajectory) -> None:
    ensure_open(trajectory)


def _note_fields(*, kind: str, occurred_on: date | None, with_whom: str, text: str) -> dict:
    errors: dict[str, list[ValidationError]] = {}
    text = (text or "").strip()
    with_whom = (with_whom or "").strip()
    if not text:
        errors["text"] = [ValidationError(_("Write what was discussed."), code="required")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [ValidationError(_("The note is too long (at most %(n)s characters).") % {"n": MAX_TEXT},
                                          code="too_long")]
    if len(with_whom) > MAX_WITH_WHOM:
        errors["with_whom"] = [ValidationError(_("At most %(n)s characters.") % {"n": MAX_WITH_WHOM}, code="too_long")]
    if kind not in JournalKind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of contact."), code="invalid_choice")]
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = [ValidationError(_("Give the date of the contact."), code="required")]
    elif occurred_on > timezone.localdate() or occurred_on < EARLIEST:
        errors["occurred_on"] = [ValidationError(_("The date of the contact cannot be in the future."), code="date")]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "occurred_on": occurred_on, "with_whom": with_whom, "text": text}


def _category(category: str) -> str:
    if category not in DataCategory.values or category == DataCategory.RESEARCH:
        raise ValidationError({"category": [ValidationError(_("Choose the kind of data."), code="invalid_choice")]})
    return category


# --- journal -----------------------------------------------------------------------------------


def journal_entry_create(
    *, trajectory: Trajectory, author: User, category: str, kind: str, occurred_on: date | None,
    with_whom: str = "", text: str, shared_with_client: bool = False,
) -> JournalEntry:
    """Write a note in the trajectory's journal, in `category` (which decides who reads it)."""
    category = _category(category)
    policy.authorize(author, "journal.create", CasefileWrite(trajectory, category))
    fields = _note_fields(kind=kind, occurred_on=occurred_on, with_whom=with_whom, text=text)
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        _active(trajectory)
        now = timezone.now()
        entry = JournalEntry.objects.create(trajectory=trajectory, category=category, created_by=author, created_at=now)
        version = JournalVersion.objects.create(
            entry=entry, number=1, written_by=author, written_at=now, shared_with_client=bool(shared_with_client),
            category=category, **fields,
        )
        entry.current = version
        entry.save(update_fields=["current"])
    return entry


def journal_entry_correct(
    *, entry: JournalEntry, author: User, kind: str, occurred_on: date | None, with_whom: str = "", text: str,
    shared_with_client: bool = False, reason: str = "", category: str | None = None,
) -> JournalVersion:
    """Correct a note: a new version with the corrected fields; the earlier versions stay.

    `category` (None: unchanged) re-files the note: from then on the new category decides who
    reads it. The author needs the right to correct the note in its old category and to write in
    the new one (both checked, and logged, before anything is written)."""
    policy.authorize(author, "journal.correct", entry)
    if category is not None and category != entry.category:
        category = _category(category)
        policy.authorize(author, "journal.create", CasefileWrite(entry.trajectory, category))
    fields = _note_fields(kind=kind, occurred_on=occurred_on, with_whom=with_whom, text=text)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ValidationError(_("Say why you correct the note."), code="required")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [ValidationError(_("At most %(n)s characters.") % {"n": MAX_REASON},
                                                          code="too_long")]})
    with transaction.atomic():
        # Locks the note: two corrections at once get numbers one after the other.
        locked = JournalEntry.objects.select_for_update(of=("self",)).select_related("trajectory", "current").get(
            pk=entry.pk)
        _active(locked.trajectory)
        if locked.category != entry.category:
            # Re-filed meanwhile by someone else: the rights checked above were for the old category.
            raise ValidationError(_("Someone else has just corrected this note. Reload the page."), code="stale")
        new_category = category or locked.category
        current = locked.current
        if current is not None and all(getattr(current, k) == v for k, v in fields.items()) \
                and current.shared_with_client == bool(shared_with_client) and new_category == locked.category:
            raise ValidationError(_("Nothing was changed."), code="unchanged")
        number = (current.number if current else 0) + 1
        version = JournalVersion.objects.create(
            entry=locked, number=number, written_by=author, written_at=timezone.now(),
            shared_with_client=bool(shared_with_client), reason=reason, category=new_category, **fields,
        )
        locked.current = version
        locked.category = new_category
        locked.save(update_fields=["current", "category"])
    return version


# --- documents ---------------------------------------------------------------------------------


def _store(*, trajectory: Trajectory, upload: IO[bytes], name: str, size: int) -> tuple[str, str, str, int, str]:
    """Check and store an upload; (stored name, clean name, content type, size, sha256)."""
    checked = check_upload(name=name, file=upload, size=size)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    # A random name under the region's folder: nothing of the person's name reaches the storage.
    stored = documents_storage().save(f"{trajectory.region_id}/{uuid.uuid4().hex}", File(upload))
    return stored, checked.name, checked.content_type, checked.size, digest.hexdigest()


def _delete_on_rollback(stored: str) -> None:
    # The file was written before the rows; if the transaction fails it must not stay behind.
    documents_storage().delete(stored)


def document_upload(
    *, trajectory: Trajectory, uploaded_by: User, category: str, kind: str, title: str, upload: IO[bytes],
    name: str, size: int, consent_event: ConsentEvent | None = None,
) -> Document:
    """Add a document to the trajectory (and to one of its client's consent records)."""
    category = _category(category)
    policy.authorize(uploaded_by, "document.upload", CasefileWrite(trajectory, category))
    errors: dict[str, list[ValidationError]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of document."), code="invalid_choice")]
    if consent_event is not None and consent_event.client_id != trajectory.client_id:
        errors["consent_event"] = [ValidationError(_("Choose a consent record of this client."), code="invalid_choice")]
    title = (title or "").strip()[:MAX_TITLE]
    if errors:
        raise ValidationError(errors)
    try:
        stored, clean, content_type, size, sha = _store(trajectory=trajectory, upload=upload, name=name, size=size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    try:
        with transaction.atomic():
            locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
            _active(locked)
            now = timezone.now()
            document = Document.objects.create(
                trajectory=locked, consent_event=consent_event, kind=kind, title=title or clean, category=category,
                created_by=uploaded_by, created_at=now,
            )
            version = DocumentVersion.objects.create(
                document=document, number=1, file=stored, original_name=clean, content_type=content_type, size=size,
                sha256=sha, uploaded_by=uploaded_by, uploaded_at=now,
            )
            document.current = version
            document.save(update_fields=["current"])
    except BaseException:
        _delete_on_rollback(stored)
        raise
    return document


def document_replace(
    *, document: Document, uploaded_by: User, upload: IO[bytes], name: str, size: int, note: str = "",
) -> DocumentVersion:
    """Replace a document's file: a new version; the earlier files stay."""
    policy.authorize(uploaded_by, "document.replace", document)
    note = (note or "").strip()[:MAX_REASON]
    try:
        stored, clean, content_type, size, sha = _store(trajectory=document.trajectory, upload=upload, name=name,
                                                        size=size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update(of=("self",)).select_related("trajectory", "current").get(
                pk=document.pk)
            _active(locked.trajectory)
            number = (locked.current.number if locked.current else 0) + 1
            version = DocumentVersion.objects.create(
                document=locked, number=number, file=stored, original_name=clean, content_type=content_type,
                size=size, sha256=sha, note=note, uploaded_by=uploaded_by, uploaded_at=timezone.now(),
            )
            locked.current = version
            locked.save(update_fields=["current"])
    except BaseException:
        _delete_on_rollback(stored)
        raise
    return version


# --- retention ---------------------------------------------------------------------------------


def casefile_erase_for_trajectory(*, trajectory: Trajectory, dry_run: bool) -> dict[str, int]:
    """Erase a trajectory's case file under the retention rule: every journal note with all its
    versions, every document with all its versions, and the stored files.

    Returns the counts (`journal_entries`, `journal_versions`, `documents`, `document_versions`,
    `files`); with `dry_run` nothing changes. The stored files are deleted after the transaction
    commits, so a rollback never leaves rows without their files. The retention job (which decides
    that the trajectory's period has passed) calls this; it writes one access-log record of code D
    per category erased.
    """
    with transaction.atomic():
        if not dry_run:
            # Locks the trajectory: no note or document is added while its case file is erased
            # (the writes lock it too). A dry run only counts.
            Trajectory.objects.select_for_update().filter(pk=trajectory.pk).first()
        entries = JournalEntry.objects.filter(trajectory=trajectory)
        documents = Document.objects.filter(trajectory=trajectory)
        versions = DocumentVersion.objects.filter(document__trajectory=trajectory)
        files = [name for name in versions.values_list("file", flat=True) if name]
        counts = {
            "journal_entries": entries.count(),
            "journal_versions": JournalVersion.objects.filter(entry__trajectory=trajectory).count(),
            "documents": documents.count(),
            "document_versions": versions.count(),
            "files": len(files),
        }
        if dry_run or not any(counts.values()):
            return counts
        categories = sorted(set(entries.values_list("category", flat=True))
                            | set(documents.values_list("category", flat=True)))
        # `current` points back into the versions (PROTECT): cut it first.
        entries.update(current=None)
        documents.update(current=None)
        JournalVersion.objects.filter(entry__trajectory=trajectory).delete()
        entries.delete()
        versions.delete()
        documents.delete()
        client = trajectory.client
        access_log_write(
            actor=None, code="D", action="casefile.erase", granted=True, client_pseudonym=client.pseudonym,
            data_category=categories[0], more_categories=categories[1:], obj=trajectory,
            purpose="retention", region_id=client.region_id,
        )
        storage = documents_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return counts
