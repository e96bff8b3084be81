from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeMapConfig(AppConfig):
    name = "werkbrug.knowledge_map"
    verbose_name = _("Knowledge map")
