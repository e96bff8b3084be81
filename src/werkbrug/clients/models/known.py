"""Known in the region: a professional's request to join the team of a file that may be the same
person, and the region administrator's merge of two files of one person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import Role

from .clients import Client


class JoinRequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Added to the team")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """"A person with these details may already be known": the searcher asks the plan director of
    the existing file to add them. The searcher never learns which file; the plan director
    decides on a page of their own."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="join_requests")
    trajectory = models.ForeignKey("trajectories.Trajectory", verbose_name=_("trajectory"), on_delete=models.CASCADE,
                                   related_name="join_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role in the team"), max_length=32, choices=Role.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JoinRequestStatus.choices,
                              default=JoinRequestStatus.OPEN)
    created_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to join a team")
        verbose_name_plural = _("requests to join a team")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "requested_by"], condition=models.Q(status="open"),
                                    name="join_request_open_once"),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by_id} → {self.trajectory_id} ({self.status})"


class ClientMerge(models.Model):
    """Audit trail of a merge: which file survived, which was merged into it, by whom and why,
    and how many rows moved per kind (append-only)."""

    surviving = models.ForeignKey(Client, verbose_name=_("surviving file"), on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Client, verbose_name=_("merged file"), on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(_("merged at"))
    reason = models.CharField(_("reason"), max_length=300)
    moved = models.JSONField(_("moved"), default=dict)

    class Meta:
        verbose_name = _("merge of client files")
        verbose_name_plural = _("merges of client files")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.surviving_id}"
