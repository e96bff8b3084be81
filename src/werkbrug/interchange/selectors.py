"""Reads of the interchange: the region's systems, for its administrator; the person a call names."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.models import User
from werkbrug.core.policy.interchange import may_act_as

from .models import SystemClient


def system_list(*, user: User) -> QuerySet[SystemClient]:
    policy.authorize(user, "system.manage", None)
    return (SystemClient.objects.filter(region_id=user.region_id).select_related("organisation", "acting_person")
            .prefetch_related("persons"))


def system_get(*, user: User, pk: int) -> SystemClient:
    system = SystemClient.objects.select_related("organisation", "acting_person").filter(pk=pk).first()
    if system is None:
        raise Http404
    policy.authorize(user, "system.manage", system)
    return system


def acting_person_find(*, system: SystemClient, username: str) -> User | None:
    """The person a call names (by user name) when the system may act for them, else None: an
    unknown name and a person the system may not act for look the same."""
    if not username or len(username) > 150:
        return None
    person = User.objects.select_related("organisation").filter(username=username).first()
    return person if may_act_as(system, person) else None
