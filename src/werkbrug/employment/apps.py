from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "werkbrug.employment"
    verbose_name = _("IPS phases and job outcomes")

    def ready(self) -> None:
        # A closed file's rows go once its retention period has passed (trajectories/retention.py).
        from werkbrug.trajectories.retention import register_erase_handler, trajectory_rows_handler

        register_erase_handler(trajectory_rows_handler("employment.PhaseChange"))
        register_erase_handler(trajectory_rows_handler("employment.EmployerContact"))
        register_erase_handler(trajectory_rows_handler("employment.Job"))
