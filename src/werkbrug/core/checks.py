"""System checks that keep the rules of the domain from being configured away."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register  # noqa: A004


@register(Tags.security, deploy=True)
def access_log_retention(app_configs, **kwargs):
    if settings.ACCESS_LOG_RETENTION_YEARS < 5:
        return [
            Error(
                "ACCESS_LOG_RETENTION_YEARS is below 5: NEN 7513 asks for at least five years.",
                id="werkbrug.E001",
            )
        ]
    return []


@register(Tags.security)
def two_factor_only_off_in_demo(app_configs, **kwargs):
    if not settings.REQUIRE_2FA and not settings.DEMO_MODE:
        return [
            Error(
                "WERKBRUG_REQUIRE_2FA is off outside demo mode: two factors are required for "
                "everyone who can see client data (NEN 7510).",
                id="werkbrug.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def field_encryption_key(app_configs, **kwargs):
    if not settings.FIELD_ENCRYPTION_KEYS and not settings.DEMO_MODE:
        return [
            Warning(
                "FIELD_ENCRYPTION_KEY is not set: BSNs are encrypted with a key derived from "
                "SECRET_KEY, so changing SECRET_KEY would make them unreadable.",
                id="werkbrug.W001",
            )
        ]
    return []
