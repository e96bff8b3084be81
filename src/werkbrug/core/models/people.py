from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..choices import TWO_FACTOR_ROLES, Role, UserKind
from .organisations import Organisation, Region


class User(AbstractUser):
    """Anyone who signs in: a professional (in one organisation, with roles) or a client."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=UserKind.choices, default=UserKind.PROFESSIONAL
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles, read once per request (the policy asks often)."""
        if self.kind != UserKind.PROFESSIONAL:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_client(self) -> bool:
        return self.kind == UserKind.CLIENT

    @property
    def is_professional(self) -> bool:
        return self.kind == UserKind.PROFESSIONAL

    @property
    def needs_two_factor(self) -> bool:
        """Whether this person must pass a second factor: the one rule (`TWO_FACTOR_ROLES`) that
        the web middleware and the API permission both read."""
        return self.is_superuser or bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def primary_role(self) -> str:
        for role in Role.values:
            if role in self.roles:
                return role
        return ""


class RoleAssignment(models.Model):
    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_assignment_unique")
        ]
        indexes = [models.Index(fields=["role", "person"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class DemoLoad(models.Model):
    """Which demo loaders have run, so `werkbrug demo` is idempotent per module."""

    name = models.CharField(max_length=80, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")

    def __str__(self) -> str:
        return self.name
