from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Region


class QuestionGroup(models.Model):
    """A set of recurring, similar questions. `pinned`: corrected by hand, kept by regrouping."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="ambassador_groups")
    title = models.CharField(_("name"), max_length=200, blank=True)
    terms = models.JSONField(_("linking terms"), default=list, blank=True)
    pinned = models.BooleanField(_("corrected by hand"), default=False)
    created_at = models.DateTimeField(_("created at"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last corrected by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("question group")
        verbose_name_plural = _("question groups")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title or ", ".join(self.terms[:3]) or f"#{self.pk}"
