from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "werkbrug.casefile"
    verbose_name = _("Case file")

    def ready(self) -> None:
        # A closed file's journal and documents (with their stored files) go once its retention
        # period has passed (trajectories/retention.py).
        from werkbrug.trajectories.retention import register_erase_handler

        register_erase_handler(erase_casefile)


def erase_casefile(trajectory, *, dry_run: bool) -> dict[str, int]:
    """The retention job's handler signature `(trajectory, *, dry_run)` for the case file's eraser."""
    from .services import casefile_erase_for_trajectory

    return casefile_erase_for_trajectory(trajectory=trajectory, dry_run=dry_run)
