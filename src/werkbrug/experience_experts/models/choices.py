"""Vocabularies of the experience-expert module: kinds of deployment and settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeploymentKind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("One-on-one talk")
    THREE_WAY = "three_way", _("Three-way talk with professional and client")
    GROUP_TRAINING = "group_training", _("Session in a group training")
    CLIENT_WORKSHOP = "client_workshop", _("Client workshop")
    SUPPORT_GROUP = "support_group", _("Support group")
    CONSULTATION_ONE = "consultation_one", _("Case consultation, one-on-one")
    CONSULTATION_GROUP = "consultation_group", _("Case consultation in a group")
    SPARRING = "sparring", _("Sparring before a client talk")
    PRESENTATION = "presentation", _("Presentation to professionals")
    EMPLOYER_INFO = "employer_info", _("Information for employers")
    NETWORK = "network", _("Network contact with care or client organisations")


# Kinds in which the expert works with clients themselves: these count against the expert's own
# limit of client-contact hours per week.
CLIENT_CONTACT_KINDS = frozenset(
    {
        DeploymentKind.ONE_ON_ONE,
        DeploymentKind.THREE_WAY,
        DeploymentKind.GROUP_TRAINING,
        DeploymentKind.CLIENT_WORKSHOP,
        DeploymentKind.SUPPORT_GROUP,
    }
)


class Setting(models.TextChoices):
    OWN_OFFICE = "own_office", _("Own office")
    EXTERNAL = "external", _("External organisation")
    OTHER_OFFICE = "other_office", _("Another office of the same organisation")
