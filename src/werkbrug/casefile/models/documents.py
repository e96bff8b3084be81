"""Documents of a trajectory: the signed consent form, a CV, a re-integration report.

A document (`Document`) belongs to a trajectory, optionally to a consent record of its client
(`clients.ConsentEvent`), and carries a data category. Its files are versions
(`DocumentVersion`): replacing a file adds a version and keeps the old one. Files are stored
through the `documents` storage (`settings.STORAGES`), under a random name outside the web root,
and served only through an authorized view.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory


def documents_storage():
    """The storage of the case file's documents (`STORAGES["documents"]`)."""
    return storages["documents"]


class DocumentKind(models.TextChoices):
    SIGNED_CONSENT = "signed_consent", _("Signed consent")
    CV = "cv", _("CV")
    REPORT = "report", _("Report")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class Document(models.Model):
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="documents"
    )
    consent_event = models.ForeignKey(
        "clients.ConsentEvent", verbose_name=_("consent record"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"))
    current = models.ForeignKey(
        "DocumentVersion", verbose_name=_("current version"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trajectory", "category"])]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=documents_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"
