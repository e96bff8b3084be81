"""Memos and the history of the codebook.

A memo is a researcher's note on a code (what it means, how it is used) or on a passage (a thought
while coding). The codebook's history is append-only: every rename, merge and deletion of a code
adds a `CodeChange` row naming the code as it was, so a report can say which codes became which.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .interviews import Code, Passage
from .studies import Study


class Memo(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memos")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    code = models.ForeignKey(Code, verbose_name=_("code"), on_delete=models.CASCADE, null=True, blank=True,
                             related_name="memos")
    passage = models.ForeignKey(Passage, verbose_name=_("passage"), on_delete=models.CASCADE, null=True, blank=True,
                                related_name="memos")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("memo"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__isnull=False, passage__isnull=True)
                | models.Q(code__isnull=True, passage__isnull=False),
                name="memo_on_code_or_passage",
            ),
            models.UniqueConstraint(fields=["study", "guid"], name="memo_unique_guid"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CodeChangeKind(models.TextChoices):
    RENAME = "rename", _("Renamed")
    MERGE = "merge", _("Merged")
    DELETE = "delete", _("Deleted")


class CodeChange(models.Model):
    """One change to a code, kept after the code itself is gone (merged or deleted)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="code_changes")
    code = models.ForeignKey(Code, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    code_guid = models.UUIDField()
    kind = models.CharField(_("change"), max_length=8, choices=CodeChangeKind.choices)
    old_name = models.CharField(_("old name"), max_length=120)
    new_name = models.CharField(_("new name"), max_length=120, blank=True)
    into = models.ForeignKey(Code, verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    into_name = models.CharField(_("merged into"), max_length=120, blank=True)
    codings = models.PositiveIntegerField(_("codings"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("code change")
        verbose_name_plural = _("code changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_name}"
