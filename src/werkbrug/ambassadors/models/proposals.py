from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, Region

from .groups import QuestionGroup


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PRESENTED = "presented", _("Presented")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


class Audience(models.TextChoices):
    MANAGEMENT = "management", _("Management team of an organisation")
    PORTFOLIO_HOLDERS = "portfolio_holders", _("Meeting of portfolio holders")


class Proposal(models.Model):
    """An improvement proposal drawn from recurring questions, for management or portfolio holders."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="ambassador_proposals")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    process = models.TextField(_("process involved"))
    proposal = models.TextField(_("proposal"))
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations involved"), related_name="+", blank=True)
    groups = models.ManyToManyField(QuestionGroup, verbose_name=_("question groups"), related_name="proposals", blank=True)
    audience = models.CharField(_("to whom"), max_length=20, choices=Audience.choices)
    audience_organisation = models.ForeignKey(Organisation, verbose_name=_("management team of"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    question_count = models.PositiveIntegerField(_("supporting questions"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drafted at"))
    presented_on = models.DateField(_("presented on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)

    class Meta:
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalEvent(models.Model):
    """A status change of a proposal, with its date and decision. Append-only."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=12, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ProposalStatus.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("decision or note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} {self.on}"
