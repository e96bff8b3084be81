from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Region


class LivedExperienceDomain(models.Model):
    """A domain of lived experience (depression and burn-out, debts …): a list per region."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("domain of lived experience")
        verbose_name_plural = _("domains of lived experience")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="ee_domain_unique_name")]

    def __str__(self) -> str:
        return self.name


class ExpertProfile(models.Model):
    """The profile of one experience expert (ervaringsdeskundige)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("experience expert"), on_delete=models.CASCADE,
        related_name="expert_profile",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinator"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="coordinated_experts",
    )
    buddy = models.ForeignKey(
        "self", verbose_name=_("buddy"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("The paired colleague."),
    )
    higher_vocational = models.BooleanField(_("higher vocational education (HBO)"), default=False)
    education_field = models.CharField(_("field of education"), max_length=120, blank=True)
    training_name = models.CharField(_("experience-expertise training"), max_length=120, blank=True)
    training_year = models.PositiveSmallIntegerField(_("year of the training"), null=True, blank=True)
    domains = models.ManyToManyField(
        LivedExperienceDomain, verbose_name=_("domains of lived experience"), blank=True, related_name="experts"
    )
    contract_hours = models.DecimalField(_("contract hours per week"), max_digits=4, decimal_places=1)
    client_contact_limit = models.DecimalField(
        _("own limit of client-contact hours per week"), max_digits=4, decimal_places=1,
        help_text=_("The expert sets this limit themselves; recovery comes first."),
    )
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: Monday to Wednesday, mornings.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("experience-expert profile")
        verbose_name_plural = _("experience-expert profiles")
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self) -> str:
        return str(self.person)


class Absence(models.Model):
    """A period the expert is not available (leave, illness, a pause for their own recovery)."""

    profile = models.ForeignKey(ExpertProfile, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class CoordinatorAssignment(models.Model):
    """Who made whom an expert's coordinator, and when. Append-only: a change adds a row.

    The coordinator reads the expert's wellbeing check-ins, so the expert must always be able to
    see who that is and who decided it.
    """

    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="coordinator_assignments"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinator"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: the expert has no coordinator from this moment."),
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("previous coordinator"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("coordinator assignment")
        verbose_name_plural = _("coordinator assignments")
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.previous_id} → {self.coordinator_id}"
