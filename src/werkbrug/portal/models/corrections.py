"""A client's request to correct their data (AVG art. 16), and the plan director's answer.

The request is a record of its own: what it is about, the client's words, when; the plan
director is told (a notification without the text) and answers on the request's page. The
answer is added to the same row once; the request itself is never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.trajectories.models import Trajectory


class CorrectionSubject(models.TextChoices):
    PERSONAL = "personal", _("My personal details")
    INTAKE = "intake", _("My intake")
    PLAN = "plan", _("My plan")
    REFERRALS = "referrals", _("My referrals")
    JOBS = "jobs", _("My work and jobs")
    SIGNALS = "signals", _("Signals about me")
    OTHER = "other", _("Something else")


class CorrectionState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class CorrectionRequest(models.Model):
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE,
                               related_name="correction_requests")
    trajectory = models.ForeignKey(Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE,
                                   related_name="correction_requests")
    subject = models.CharField(_("about"), max_length=20, choices=CorrectionSubject.choices)
    text = models.TextField(_("what is not right, and what it should be"), max_length=2000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(_("state"), max_length=10, choices=CorrectionState.choices, default=CorrectionState.OPEN)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"correction {self.pk}"
