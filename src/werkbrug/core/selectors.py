"""Reads of the region's directory (organisations, people). Access checks through the policy."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from . import policy
from .models import Organisation, User


def organisation_list(*, region_id: int | None) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(region_id=region_id)
        .annotate(people_count=Count("people"))
        .order_by("name")
    )


def organisation_get(*, user: User, pk: int) -> Organisation:
    """Same not-found for "missing" and "another region"."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise Http404
    policy.authorize(user, "organisation.view", org)
    return org


def person_list(*, organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(organisation=organisation, is_active=True, kind="professional")
        .prefetch_related("role_assignments")
        .order_by("last_name", "first_name")
    )
