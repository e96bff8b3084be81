"""The contact journal of a trajectory: dated notes of conversations, calls, e-mails, three-way
talks and employer contacts.

A note (`JournalEntry`) carries the data category it belongs to, so that the client's consent
per organisation decides who reads it. Its text lives in versions (`JournalVersion`): a
correction adds a version and keeps the old text; nothing is edited or deleted in place (only the
retention job erases a closed trajectory's journal). `current` points at the newest version.

A correction may also re-file the note under another data category (written down as "work" but
it is care information): the note's `category` is the newest version's, and decides who reads
the note from then on; each version keeps the category it was written in, and a reader sees an
earlier version's text only if they may read *that* version's category
(`selectors.journal_versions`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory


class JournalKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    THREE_WAY = "three_way", _("Three-way talk")
    EMPLOYER = "employer", _("Employer contact")


class JournalEntry(models.Model):
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", verbose_name=_("trajectory"), on_delete=models.CASCADE,
        related_name="journal_entries",
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"))
    current = models.ForeignKey(
        "JournalVersion", verbose_name=_("current version"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trajectory", "category"])]

    def __str__(self) -> str:
        return f"{self.trajectory_id}/{self.pk} ({self.category})"


class JournalVersion(models.Model):
    entry = models.ForeignKey(JournalEntry, verbose_name=_("journal entry"), on_delete=models.CASCADE,
                              related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    occurred_on = models.DateField(_("date of the contact"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=JournalKind.choices)
    with_whom = models.CharField(_("with whom"), max_length=200, blank=True)
    text = models.TextField(_("note"))
    # The category this version was written in (the note's `category` is the newest one's).
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    shared_with_client = models.BooleanField(
        _("shared with the client"), default=False,
        help_text=_("The client reads this note in the portal."),
    )
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("journal version")
        verbose_name_plural = _("journal versions")
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="journal_version_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"
