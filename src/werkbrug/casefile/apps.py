from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "werkbrug.casefile"
    verbose_name = _("Case file")

    def ready(self) -> None:
        # A closed file's journal and documents (with their stored files) go once its retention
        # period has passed (trajectories/retention.py).
        from werkbrug.trajectories.retention import register_erase_handler

        from .services import casefile_erase_for_trajectory

        register_erase_handler(casefile_erase_for_trajectory)
