from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperienceExpertsConfig(AppConfig):
    name = "werkbrug.experience_experts"
    verbose_name = _("Experience experts")
