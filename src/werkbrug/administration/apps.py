from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    name = "werkbrug.administration"
    label = "administration"
    verbose_name = _("Region administration")
    default_auto_field = "django.db.models.BigAutoField"
