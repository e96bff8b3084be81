"""Rules for the knowledge map: professionals read their region's map, editors curate it.

No client data lives here, so nothing is written to the access log. Clients do not see the map.
Drafts and archived items are visible to editors only; every decision about an item also
checks that it belongs to the user's region (answering 404 otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..choices import Role
from . import ALLOW, Decision, rule, scope_rule

if TYPE_CHECKING:
    from ..models import User


def _region_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Region":
        return obj.pk
    return getattr(obj, "region_id", None)


def _is_editor(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.EDITOR)


def _in_region(user: User, obj: Any) -> bool:
    region_id = _region_id(obj)
    return region_id is None or region_id == user.region_id


@rule("knowledge_map.view")
def view_map(user: User, obj: Any) -> Decision:
    if not user.is_professional:
        return Decision(False, reason="professionals only", hide=False)
    if not _in_region(user, obj):
        return Decision(False, reason="another region")
    return ALLOW


@rule("knowledge_item.view")
def view_item(user: User, item: Any) -> Decision:
    decision = view_map(user, item)
    if not decision:
        return decision
    if item is not None and item.status != "published" and not _is_editor(user):
        return Decision(False, reason="not published")
    return ALLOW


@scope_rule("knowledge_item.view")
def scope_items(user: User, queryset: QuerySet) -> QuerySet:
    if not user.is_professional or user.region_id is None:
        return queryset.none()
    queryset = queryset.filter(region_id=user.region_id)
    if not _is_editor(user):
        queryset = queryset.filter(status="published")
    return queryset


@rule(
    "knowledge_item.create",
    "knowledge_item.change",
    "knowledge_item.publish",
    "knowledge_relation.change",
    "knowledge_map.import",
    "knowledge_map.export",
    "knowledge_map.sync",
)
def curate(user: User, obj: Any) -> Decision:
    if not user.is_professional or not _is_editor(user):
        return Decision(False, reason="editors only", hide=False)
    if not _in_region(user, obj):
        return Decision(False, reason="another region")
    return ALLOW
