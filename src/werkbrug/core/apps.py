from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "werkbrug.core"
    verbose_name = _("Werkbrug core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks, db_triggers  # noqa: F401  (checks: registers the system checks)

        # After every migrate, not only in `core.0002`: on SQLite a later migration that alters
        # the table rebuilds it without its triggers.
        post_migrate.connect(db_triggers.install_after_migrate, sender=self,
                             dispatch_uid="werkbrug.core.db_triggers")
        from .policy import load_rules, memo

        load_rules()
        memo.connect_celery_signals()
        from . import principal

        principal.connect_signals()
