from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "werkbrug.appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        # A closed file's appointments go once its retention period has passed.
        from werkbrug.trajectories.retention import register_erase_handler, trajectory_rows_handler

        register_erase_handler(trajectory_rows_handler("appointments.Appointment"))
