from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "werkbrug.plans"
    verbose_name = _("Shared plans")

    def ready(self) -> None:
        # A closed file's rows go once its retention period has passed (trajectories/retention.py).
        from werkbrug.trajectories.retention import register_erase_handler, trajectory_rows_handler

        register_erase_handler(trajectory_rows_handler("plans.Plan"))
