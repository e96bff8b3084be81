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


@register(Tags.database)
def access_log_append_only(app_configs, databases=None, **kwargs):
    """The access log's append-only triggers must exist (run with `check --database default`,
    and by `migrate` before it starts)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from . import db_triggers

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if not db_triggers.tables_exist(connection):
            continue  # not migrated yet: `migrate` creates the tables and the triggers
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            continue  # `migrate` is about to run and reinstalls them at its end
        missing = db_triggers.missing(connection)
        if missing:
            errors.append(
                Error(
                    f"The access log is not append-only on database {alias!r}: trigger(s) "
                    f"{', '.join(missing)} missing or switched off.",
                    hint="Find out who removed them, then run `werkbrug migrate --skip-checks` "
                    "(it reinstalls them) and `werkbrug verify_access_log`.",
                    id="werkbrug.E010",
                )
            )
    return errors


@register(Tags.security)
def access_log_key(app_configs, **kwargs):
    if not settings.ACCESS_LOG_HMAC_KEY:
        return [
            Error(
                "ACCESS_LOG_HMAC_KEY is not set: the access log cannot be sealed.",
                hint="Set it in the environment to a long random string kept outside the database.",
                id="werkbrug.E011",
            )
        ]
    return []
