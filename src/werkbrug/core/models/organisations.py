from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import BSN_LEGAL_BASIS, OrganisationType


class Region(models.Model):
    """A labour-market region (arbeidsmarktregio): the tenant. No client data crosses regions."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    settings = models.JSONField(
        _("region settings"),
        default=dict,
        blank=True,
        help_text=_("Region-level settings such as deadlines; see the modules' documentation."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_bsn_legal_basis(self) -> bool:
        return self.type in BSN_LEGAL_BASIS
