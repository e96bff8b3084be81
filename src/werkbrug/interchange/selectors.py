"""Reads of the interchange: the region's systems, for its administrator."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.models import User

from .models import SystemClient


def system_list(*, user: User) -> QuerySet[SystemClient]:
    policy.authorize(user, "system.manage", None)
    return SystemClient.objects.filter(region_id=user.region_id).select_related("organisation", "acting_person")


def system_get(*, user: User, pk: int) -> SystemClient:
    system = SystemClient.objects.select_related("organisation", "acting_person").filter(pk=pk).first()
    if system is None:
        raise Http404
    policy.authorize(user, "system.manage", system)
    return system
