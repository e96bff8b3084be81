"""A person's calendar feed: a secret address their calendar app reads their appointments from.

Only the SHA-256 digest of the secret is kept (as for API tokens, `werkbrug.api.models.digest`);
the address is shown once, when made. Renewing replaces the secret, revoking removes the row,
and either way the old address answers 404 from then on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    person = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                                  related_name="calendar_feed")
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.person_id})"
