"""API tokens: kept as a SHA-256 digest of a random secret, expiring, revocable, gone at sign-out."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8
# A person holds at most this many live tokens; issuing one more revokes the oldest.
MAX_TOKENS_PER_PERSON = 5


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """One bearer token. The secret itself is shown once, when issued, and never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


def token_ttl() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


@transaction.atomic
def token_issue(user) -> tuple[ApiToken, str]:
    """A new token for `user`: returns the row and the secret (to hand out once, never stored)."""
    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    keep = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id").values_list("pk", flat=True))
    if len(keep) >= MAX_TOKENS_PER_PERSON:
        ApiToken.objects.filter(pk__in=keep[MAX_TOKENS_PER_PERSON - 1:]).delete()
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, prefix=secret[:PREFIX_LENGTH], digest=digest(secret), created_at=now, expires_at=now + token_ttl()
    )
    return token, secret


def token_find(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its user, or None."""
    return ApiToken.objects.live().select_related("user").filter(digest=digest(secret)).first()


def tokens_revoke_all(user) -> int:
    """Revoke every token of `user` (at sign-out)."""
    return ApiToken.objects.filter(user=user).delete()[0]
