"""Sign-in identities at the region's OpenID Connect provider, linked to a person by hand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OIDCIdentity(models.Model):
    """The provider's stable subject (`sub`) of one person.

    Without a linked identity a person signs in by the e-mail claim (`core/oidc.py`); once one is
    linked, only a linked subject signs them in (see `administration/oidc.py`), so a changed or
    reused mail address at the provider no longer opens the account.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="oidc_identities",
    )
    subject = models.CharField(_("subject (sub)"), max_length=255, unique=True)
    label = models.CharField(_("description"), max_length=120, blank=True)
    linked_at = models.DateTimeField(_("linked at"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("sign-in identity")
        verbose_name_plural = _("sign-in identities")
        ordering = ["linked_at"]

    def __str__(self) -> str:
        return self.label or self.subject
