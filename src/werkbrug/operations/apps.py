from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "werkbrug.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import metrics

        metrics.connect_celery_signals()
