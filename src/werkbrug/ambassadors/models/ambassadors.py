from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, Region


class Topic(models.Model):
    """A subject in the region's question taxonomy (e.g. "Benefits and rules"). The region edits it."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="ambassador_topics")
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question topic")
        verbose_name_plural = _("question topics")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="ambassador_topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class Ambassador(models.Model):
    """A professional named ambassador for their organisation. Lower `position` is asked first."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="ambassador")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="ambassadors")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    stand_ins = models.ManyToManyField(
        "self", verbose_name=_("stand-in colleagues"), symmetrical=False, blank=True, related_name="standing_in_for",
        help_text=_("Colleague ambassadors who take over first when this ambassador is away or late."),
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        ordering = ["organisation__name", "position", "id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class AbsenceReason(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    SICK = "sick", _("Sick")
    OTHER = "other", _("Other")


class Absence(models.Model):
    """A period (whole days, inclusive) in which questions go to a colleague."""

    ambassador = models.ForeignKey(Ambassador, verbose_name=_("ambassador"), on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=12, choices=AbsenceReason.choices, default=AbsenceReason.HOLIDAY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="ambassador_absence_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador}: {self.starts_on}–{self.ends_on}"
