from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "werkbrug.casefile"
    verbose_name = _("Case file")
