from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_caseload_triggers(sender, using, plan=None, **kwargs) -> None:
    """Reinstall the caseload's name-copy triggers after every migrate (see `caseload_sync.py`):
    on SQLite a migration that rebuilds the client or membership table drops them."""
    from django.db import connections

    from . import caseload_sync

    if plan is not None and not plan:
        return  # nothing was migrated: nothing can have been dropped
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if {caseload_sync.TEAM, caseload_sync.CLIENT, caseload_sync.TRAJECTORY} <= tables:
        caseload_sync.install(connection)


class TrajectoriesConfig(AppConfig):
    name = "werkbrug.trajectories"
    verbose_name = _("Client trajectories")

    def ready(self) -> None:
        post_migrate.connect(_ensure_caseload_triggers, sender=self, dispatch_uid="caseload_triggers")
        # Other apps register their erase handlers in their own ready() (retention.py).
