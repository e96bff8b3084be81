"""Other systems of the region's organisations (an EHR, a case system) and their access tokens.

A system signs in with OAuth2 client credentials (RFC 6749 §4.4): a secret, kept only as a
SHA-256 digest, or a JWT signed with its own private key (SMART Backend Services; the region
administrator registers the public keys as a JWK Set). Its tokens too are kept only as digests.
A system is bound to one organisation and acts on behalf of that organisation's professionals:
its default person (`acting_person`) or, named per call, one of the `persons` the administrator
allowed. Every read and write is decided by the same policy as that person's pages, and logged
with both the person and the system.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The FHIR resource types a system may be given, each read ("read": read and search) or write.
RESOURCE_TYPES = ("Patient", "CarePlan", "CareTeam", "Consent", "Task", "Communication", "AuditEvent",
                  "Appointment", "Questionnaire", "QuestionnaireResponse", "Subscription")
WRITE_TYPES = ("Communication", "Task", "QuestionnaireResponse", "Subscription")


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
    persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("may also act for"), blank=True, related_name="+",
        help_text=_("Professionals of the same organisation a call may name as the person it acts for."),
    )
    # SMART Backend Services: the system's public keys (RS384 or ES384) as a JWK Set.
    jwks = models.JSONField(_("public keys (JWK Set)"), default=dict, blank=True)
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


class UsedAssertion(models.Model):
    """A client assertion's `jti`, kept until the assertion expires, so that it cannot be replayed."""

    system = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "jti"], name="used_assertion_once")]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.jti}"


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ERROR = "error", _("Error")
    OFF = "off", _("Off")


class FhirSubscription(models.Model):
    """A system's FHIR Subscription (R4, rest-hook, without payload, as Koppeltaal 2.0 does):
    when a resource of `criteria`'s type that the system may read changes, Werkbrug POSTs an
    empty notification to `endpoint`; the system then searches with `_lastUpdated`."""

    system = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="subscriptions")
    # The person the subscribing call acted for (null: the system's default person).
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    criteria = models.CharField(max_length=40)
    endpoint = models.URLField(max_length=500)
    headers = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    events = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.criteria} → {self.endpoint}"


class SubscriptionNotification(models.Model):
    """One notification owed to a subscription: delivered, or retried with back-off by the worker."""

    subscription = models.ForeignKey(FhirSubscription, on_delete=models.CASCADE, related_name="notifications")
    event_number = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.event_number} for {self.subscription_id}"
