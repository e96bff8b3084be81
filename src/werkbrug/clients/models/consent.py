"""Consent per client × organisation × data category: the history (`ConsentEvent`) and the
current answer (`ConsentState`).

"Consent is current" is defined here once: given, and not past its end date (`valid_until`
counts as a whole day). The policy, the scopes, the caseload and every page and API answer ask
`ConsentState.objects.current()`, `current_consent_q()`, `ConsentState.is_current()` or
`ConsentState.display_state`; the policy's hand-written facts query uses `current_consent_sql()`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory
from werkbrug.core.models import Organisation

from .clients import Client


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", _("By the client in the portal")
    VERBAL = "verbal", _("Verbally, recorded by a professional")
    PAPER = "paper", _("On paper, recorded by a professional")


class ConsentEvent(models.Model):
    """The full, append-only history of consent: every grant and every withdrawal is a row."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Given")
        WITHDRAW = "withdraw", _("Withdrawn")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consent_events"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Where a professional's recording can be checked: the reference of the signed form, the
    # conversation report. Required when a professional records a grant (`consent_grant`).
    evidence = models.CharField(
        _("evidence"), max_length=300, blank=True,
        help_text=_("Where the consent can be checked, e.g. the reference of the signed form."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["client", "organisation", "category"]),
            # The plan director's "consent changed in the last two weeks" (web/my_work.py).
            models.Index(fields=["recorded_at"], name="consent_event_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.category} → {self.organisation_id} ({self.recorded_at:%Y-%m-%d})"


def current_consent_q(today: date | None = None, prefix: str = "") -> Q:
    """The consents that count on `today`: given, with no end date or one not yet past."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}granted": True}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def current_consent_sql(granted: str, valid_until: str) -> str:
    """The same condition as `current_consent_q` for hand-written SQL over the two (quoted)
    columns; parameters: True, today."""
    return f"{granted} = %s AND ({valid_until} IS NULL OR {valid_until} >= %s)"


class ConsentDisplayState(models.TextChoices):
    GIVEN = "given", _("given")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentStateQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> ConsentStateQuerySet:
        """The consents that count now (see `current_consent_q`)."""
        return self.filter(current_consent_q(today))


class ConsentState(models.Model):
    """The current consent per client × organisation × category, kept with every event.

    The policy reads this one row per decision; the history is in `ConsentEvent`.
    """

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    granted = models.BooleanField(_("given"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_event = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")
    # Optimistic-locking counter: a stale form (an older version) cannot overwrite a newer choice.
    version = models.PositiveIntegerField(default=1)

    objects = ConsentStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "organisation", "category"], name="consent_state_unique"
            )
        ]
        # On PostgreSQL, migration 0003 adds a covering index (client, organisation, category)
        # INCLUDE (granted, valid_until): the policy's per-row question is answered from the index.
        indexes = [models.Index(fields=["organisation", "category", "granted"])]

    def __str__(self) -> str:
        return f"{self.category} → {self.organisation_id}: {'yes' if self.granted else 'no'}"

    def is_current(self, today: date | None = None) -> bool:
        """Does this consent count on `today`? The same as `current_consent_q`."""
        today = today or timezone.localdate()
        return self.granted and (self.valid_until is None or self.valid_until >= today)

    @property
    def display_state(self) -> str:
        """What pages and the API show: given (current), expired (given, past its end date) or
        withdrawn."""
        if not self.granted:
            return ConsentDisplayState.WITHDRAWN
        return ConsentDisplayState.GIVEN if self.is_current() else ConsentDisplayState.EXPIRED

    def get_display_state_display(self) -> str:
        return ConsentDisplayState(self.display_state).label
