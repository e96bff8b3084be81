"""Other systems of the region's organisations (an EHR, a case system) and their access tokens.

A system signs in with OAuth2 client credentials (RFC 6749 §4.4). Its secret and its tokens are
kept only as SHA-256 digests. A system is bound to one organisation and acts on behalf of one of
that organisation's professionals (`acting_person`): every read and write it makes is decided
by the same policy as that person's pages, and logged with both the person and the system.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The FHIR resource types a system may be given, each read ("read": read and search) or write.
RESOURCE_TYPES = ("Patient", "CarePlan", "CareTeam", "Consent", "Task", "Communication", "AuditEvent")
WRITE_TYPES = ("Communication", "Task")


def all_scopes() -> list[str]:
    return [f"system/{name}.read" for name in RESOURCE_TYPES] + [f"system/{name}.write" for name in WRITE_TYPES]


class SystemClient(models.Model):
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="systems"
    )
    name = models.CharField(_("name"), max_length=120)
    client_id = models.CharField(_("client id"), max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64)
    scopes = models.CharField(_("scopes"), max_length=600)
    acting_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acts on behalf of"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("connected system")
        verbose_name_plural = _("connected systems")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SystemToken(models.Model):
    system = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=600)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"token of {self.system}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()
