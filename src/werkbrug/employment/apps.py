from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "werkbrug.employment"
    verbose_name = _("IPS phases and job outcomes")
