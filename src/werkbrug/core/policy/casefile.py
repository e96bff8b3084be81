"""Rules for the case file: the contact journal and the documents of a trajectory.

Every note and every document carries a data category; a professional reads or writes it only
as a member of the client's team while the client consents to their organisation seeing that
category — `client_data`, the one rule under all client data. A list page logs one record for the
trajectory (`participation`) and one for each further category of the notes or documents it
shows (`CasefileRead`); the list itself is narrowed in the database by `readable_casefile`, with
the same current consent (`ConsentState.objects.current()`).

The journal and the documents are the team's working file: the client reads the notes marked as
shared in the portal (`portal.journal`), nothing else here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet

from ..choices import DataCategory
from . import Decision, rule, scope_rule
from .clients import client_data, is_own_file
from .trajectories import trajectory_categories, trajectory_data, trajectory_write

if TYPE_CHECKING:
    from werkbrug.casefile.models import Document, DocumentVersion, JournalEntry
    from werkbrug.clients.models import Client
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


@dataclass(frozen=True)
class CasefileRead:
    """A list of a trajectory's notes or documents: the categories of the items it shows."""

    trajectory: Trajectory
    categories: frozenset[str] = frozenset()

    @property
    def logged_object(self) -> Trajectory:
        return self.trajectory


@dataclass(frozen=True)
class CasefileWrite:
    """A new note or document for a trajectory, in a data category."""

    trajectory: Trajectory
    category: str

    @property
    def logged_object(self) -> Trajectory:
        return self.trajectory


@dataclass(frozen=True)
class PortalJournalRead:
    """The client's own shared notes: the categories of the notes shown."""

    client: Client
    categories: frozenset[str] = frozenset()

    @property
    def logged_object(self) -> Client:
        return self.client


def _professionals(user: User, client: Client, category: str, code: str) -> Decision:
    if user.is_client:
        # The client reads the shared notes in the portal; the working file is the team's.
        return Decision(False, reason="the case file is the team's", client=client, category=category, code=code,
                        role="client", relation=is_own_file(user, client), consent=True)
    return client_data(user, client, category, code=code)


def _reader(user: User, trajectory: Trajectory, category: str) -> Decision:
    """Reading the case file of one trajectory: its team while it runs, its former team once it
    is closed (the archive, `trajectory_data`); never the client (the portal shows shared notes)."""
    if user.is_client:
        return _professionals(user, trajectory.client, category, "R")
    return trajectory_data(user, trajectory, category)


def _writer(user: User, trajectory: Trajectory, category: str, code: str) -> Decision:
    """Writing to one trajectory's case file: its active team while it runs, nobody once it is
    closed (`trajectory_write`: the archive is read-only, refused by the policy before the service)."""
    if user.is_client:
        return _professionals(user, trajectory.client, category, code)
    return trajectory_write(user, trajectory, category, code=code)


def _list(user: User, read: CasefileRead | Trajectory) -> Decision:
    if not isinstance(read, CasefileRead):
        read = CasefileRead(read)
    client = read.trajectory.client
    decision = _reader(user, read.trajectory, DataCategory.PARTICIPATION)
    if not decision.allowed:
        return decision
    refused = sorted(read.categories - trajectory_categories(user, read.trajectory))
    if refused:
        return Decision(False, reason="no consent", client=client, category=refused[0], code="R",
                        role=decision.role, relation=True, consent=False)
    return replace(decision, more_categories=tuple(sorted(read.categories - {DataCategory.PARTICIPATION})))


@rule("journal.view", "document.view")
def view_casefile(user: User, read: CasefileRead | Trajectory) -> Decision:
    """The journal or the document list of a trajectory."""
    return _list(user, read)


@rule("journal.create", "document.upload")
def write_casefile(user: User, write: CasefileWrite | Trajectory) -> Decision:
    """A new note or document: asked first for the trajectory (the form, `participation`), then
    by the service for the category it is written in (refused, and logged, without consent)."""
    if isinstance(write, CasefileWrite):
        return _writer(user, write.trajectory, write.category, "C")
    return _writer(user, write, DataCategory.PARTICIPATION, "C")


@rule("journal.entry")
def view_entry(user: User, entry: JournalEntry) -> Decision:
    """One note with its history of corrections."""
    return _reader(user, entry.trajectory, entry.category)


@dataclass(frozen=True)
class JournalHistory:
    """The earlier versions of one note that were written in another category than the note's
    current one (a correction re-filed it)."""

    entry: JournalEntry
    categories: frozenset[str] = frozenset()

    @property
    def logged_object(self) -> Trajectory:
        return self.entry.trajectory


def journal_version_categories(user: User, entry: JournalEntry) -> frozenset[str]:
    """The categories in which `user` reads a version of `entry`: a version is readable only if
    the reader may read the category *that version* was written in (the note's current category
    decides who reads the note; an earlier version filed elsewhere keeps its own)."""
    return trajectory_categories(user, entry.trajectory)


@rule("journal.history")
def view_history(user: User, read: JournalHistory) -> Decision:
    """Reading earlier versions written in other categories: each one logged in its category."""
    decision = _reader(user, read.entry.trajectory, read.entry.category)
    if not decision.allowed:
        return decision
    refused = sorted(read.categories - journal_version_categories(user, read.entry))
    if refused:
        return Decision(False, reason="no consent", client=read.entry.trajectory.client, category=refused[0],
                        code="R", role=decision.role, relation=True, consent=False)
    return replace(decision, category=sorted(read.categories)[0],
                   more_categories=tuple(sorted(read.categories)[1:]))


@rule("journal.correct")
def correct_entry(user: User, entry: JournalEntry) -> Decision:
    return _writer(user, entry.trajectory, entry.category, "U")


@rule("document.detail", "document.download")
def view_document(user: User, document: Document | DocumentVersion) -> Decision:
    """One document with its versions, or the download of one version's file."""
    document = getattr(document, "document", document)
    return _reader(user, document.trajectory, document.category)


@rule("document.replace")
def replace_document(user: User, document: Document) -> Decision:
    return _writer(user, document.trajectory, document.category, "U")


@rule("portal.journal")
def portal_journal(user: User, read: PortalJournalRead | Client) -> Decision:
    """The notes the team shared with the client, in the portal: the client's own file only."""
    if not isinstance(read, PortalJournalRead):
        read = PortalJournalRead(read)
    if not is_own_file(user, read.client):
        return Decision(False, reason="the portal shows only your own file", client=read.client,
                        category=DataCategory.PARTICIPATION)
    decision = client_data(user, read.client, DataCategory.PARTICIPATION)
    return replace(decision, more_categories=tuple(sorted(read.categories - {DataCategory.PARTICIPATION})))


@scope_rule("journal.view", "document.view")
def readable_casefile(user: User, queryset: QuerySet) -> QuerySet:
    """Notes or documents (anything with `trajectory` and `category`) the user may read: of a
    trajectory whose team they are in — the active team, or the former team of a closed one (a
    closed trajectory's team does not change) — in a category the client currently consents to
    for their organisation."""
    if not user.is_professional or user.organisation_id is None or user.region_id is None:
        return queryset.none()
    from werkbrug.clients.models import ConsentState
    from werkbrug.trajectories.models import TeamMembership

    consent = ConsentState.objects.current().filter(
        client_id=OuterRef("trajectory__client_id"), organisation_id=user.organisation_id,
        category=OuterRef("category"),
    )
    member = TeamMembership.objects.filter(
        person_id=user.pk, left_at__isnull=True, trajectory_id=OuterRef("trajectory_id"),
        trajectory__erased_at__isnull=True,
    )
    return queryset.filter(Exists(consent), Exists(member), trajectory__region_id=user.region_id)


__all__: list[Any] = ["CasefileRead", "CasefileWrite", "PortalJournalRead"]
