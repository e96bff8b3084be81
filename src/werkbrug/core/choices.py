"""Vocabularies every app shares: organisation types, professional roles, data categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    GGZ = "ggz", _("Mental-health care (GGZ) institution")
    UWV = "uwv", _("UWV office")
    MUNICIPALITY = "municipality", _("Municipality / social service")
    REINTEGRATION = "reintegration", _("Re-integration company")
    WORK_COMPANY = "work_company", _("Work company (SW)")
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    EXPERIENCE_EXPERTS = "experience_experts", _("Experience-expert organisation")
    CLIENT_ORGANISATION = "client_organisation", _("Client organisation")
    RESEARCH = "research", _("Research institute")
    EMPLOYER = "employer", _("Employer")


# Organisation types with a legal basis to process the citizen service number (BSN):
# care providers (Wbsn-z), UWV and municipalities (Wet SUWI, Participatiewet), sheltered work
# companies acting for the municipality, and debt counselling (Wgs).
BSN_LEGAL_BASIS = frozenset(
    {
        OrganisationType.GGZ,
        OrganisationType.UWV,
        OrganisationType.MUNICIPALITY,
        OrganisationType.WORK_COMPANY,
        OrganisationType.DEBT_COUNSELLING,
    }
)


# The network's own organisations: care (GGZ) and Work & Income (UWV, municipality, re-integration,
# sheltered work, debt counselling). Their managers read the regional dashboard; managers of other
# organisations in the region (employers, research, client and experience-expert organisations) do not.
NETWORK_ORGANISATION_TYPES = frozenset(
    {
        OrganisationType.GGZ,
        OrganisationType.UWV,
        OrganisationType.MUNICIPALITY,
        OrganisationType.REINTEGRATION,
        OrganisationType.WORK_COMPANY,
        OrganisationType.DEBT_COUNSELLING,
    }
)

class Role(models.TextChoices):
    JOBCOACH = "jobcoach", _("Jobcoach / IPS job specialist")
    THERAPIST = "therapist", _("Therapist")
    CLIENT_MANAGER = "client_manager", _("Client manager")
    LABOUR_EXPERT = "labour_expert", _("Labour expert")
    DEBT_COUNSELLOR = "debt_counsellor", _("Debt counsellor")
    EXPERIENCE_EXPERT = "experience_expert", _("Experience expert")
    AMBASSADOR = "ambassador", _("Ambassador")
    EE_COORDINATOR = "ee_coordinator", _("Experience-expert coordinator")
    MANAGER = "manager", _("Manager")
    RESEARCHER = "researcher", _("Researcher")
    EDITOR = "editor", _("Editor")
    REGION_ADMIN = "region_admin", _("Region administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    # A member of a municipal or regional board responsible for this policy area (an alderman,
    # "wethouder"): reads the regional dashboard and its reports, aggregated and suppressed only.
    PORTFOLIO_HOLDER = "portfolio_holder", _("Portfolio holder")


# Roles that work in client teams and so can see client-level data (2FA is required for them).
CASEWORK_ROLES = frozenset(
    {
        Role.JOBCOACH,
        Role.THERAPIST,
        Role.CLIENT_MANAGER,
        Role.LABOUR_EXPERT,
        Role.DEBT_COUNSELLOR,
        Role.EXPERIENCE_EXPERT,
    }
)
# Roles that see client-level or health data in any form (pseudonymised research data, the
# access log and the experience experts' wellbeing check-ins, which their coordinator reads,
# count too): every one of them must use two factors. The one list for `User.needs_two_factor`.
CLIENT_DATA_ROLES = CASEWORK_ROLES | {
    Role.RESEARCHER,
    Role.PRIVACY_OFFICER,
    Role.REGION_ADMIN,
    Role.EE_COORDINATOR,
}
TWO_FACTOR_ROLES = CLIENT_DATA_ROLES


class DataCategory(models.TextChoices):
    """What consent is given for, per organisation. Every piece of client data carries one."""

    PARTICIPATION = "participation", _("Taking part in the team (name and contact details)")
    CARE = "care", _("Care context")
    WORK_INCOME = "work_income", _("Work and income")
    DEBTS = "debts", _("Debts")
    PLAN = "plan", _("Plan")
    SIGNALS = "signals", _("Signals")
    JOB_OUTCOMES = "job_outcomes", _("Job outcomes")
    RESEARCH = "research", _("Research participation")


class UserKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    CLIENT = "client", _("Client")
