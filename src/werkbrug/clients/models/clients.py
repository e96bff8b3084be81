from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core import crypto
from werkbrug.core.models import Region

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    """A random, meaningless client id (no name, birth date or BSN can be read from it)."""
    return "C" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(9))


class Benefit(models.TextChoices):
    WW = "ww", _("Unemployment benefit (WW)")
    WIA_WGA = "wia_wga", _("Disability benefit (WIA/WGA)")
    WAJONG = "wajong", _("Wajong")
    PARTICIPATIEWET = "participatiewet", _("Social assistance (Participatiewet)")
    NONE = "none", _("No benefit")


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Client(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="clients"
    )
    pseudonym = models.CharField(
        _("client id"), max_length=16, unique=True, default=new_pseudonym, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    bsn_encrypted = models.TextField(_("BSN (encrypted)"), blank=True, editable=False)
    bsn_hash = models.CharField(max_length=64, blank=True, editable=False)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    benefit = models.CharField(
        _("benefit"), max_length=20, choices=Benefit.choices, default=Benefit.NONE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_record",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A duplicate registration merged into another file by the region administrator
    # (`clients.services.client_merge`): kept, inactive, so the access log's pseudonym still leads somewhere.
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="merged_from")
    # Set when the retention job anonymised the record (`trajectories/retention.py`).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        constraints = [
            # A second registration of the same person in a region is caught here as well as in
            # the service; empty hashes (no BSN given) are exempt.
            models.UniqueConstraint(
                fields=["region", "bsn_hash"],
                condition=~models.Q(bsn_hash=""),
                name="client_unique_bsn_per_region",
            )
        ]
        indexes = [
            # Name order within a region: the caseload of a professional with thousands of clients
            # walks this index and stops after a page, instead of sorting all of them.
            models.Index(fields=["region", "last_name", "first_name", "id"], name="client_region_name"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def has_bsn(self) -> bool:
        return bool(self.bsn_encrypted)

    def reveal_bsn(self) -> str:
        """The BSN in the clear. Only call after `policy.authorize(user, "client.view_bsn", …)`."""
        return crypto.decrypt(self.bsn_encrypted) if self.bsn_encrypted else ""
