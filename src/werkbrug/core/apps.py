from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "werkbrug.core"
    verbose_name = _("Werkbrug core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .policy import load_rules

        load_rules()
        from . import principal

        principal.connect_signals()
