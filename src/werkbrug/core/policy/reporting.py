"""Rules for the regional dashboard: aggregate figures for management, never client data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..choices import Role
from . import ALLOW, Decision, rule

if TYPE_CHECKING:
    from ..models import User


@rule("region_dashboard.view")
def view_dashboard(user: User, region: Any) -> Decision:
    if not user.has_role(Role.MANAGER, Role.REGION_ADMIN) and not user.is_superuser:
        return Decision(False, reason="managers and region administrators", hide=False)
    if region is None or region.pk != user.region_id:
        return Decision(False, reason="own region only", hide=False)
    return ALLOW
