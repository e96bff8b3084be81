"""Rules for the regional dashboard: aggregate figures for management, never client data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..choices import NETWORK_ORGANISATION_TYPES, Role
from . import ALLOW, Decision, rule

if TYPE_CHECKING:
    from ..models import User


def is_network_manager(user: User) -> bool:
    """A manager of one of the network's care or Work & Income organisations (not, say, of an
    employer that takes part in the region)."""
    organisation = getattr(user, "organisation", None)
    return (
        user.is_professional
        and user.has_role(Role.MANAGER)
        and organisation is not None
        and organisation.type in NETWORK_ORGANISATION_TYPES
    )


@rule("region_dashboard.view")
def view_dashboard(user: User, region: Any) -> Decision:
    """The regional dashboard (page, PDF and menu entry): managers of the network's organisations
    and region administrators, of their own region."""
    if not (is_network_manager(user) or user.has_role(Role.REGION_ADMIN) or user.is_superuser):
        return Decision(False, reason="managers of the network's organisations and region administrators", hide=False)
    # No region given (the menu asks): the person's own region.
    region = region if region is not None else getattr(user, "region", None)
    if region is None or region.pk != user.region_id:
        return Decision(False, reason="own region only", hide=False)
    return ALLOW


@rule("region_dashboard.targets")
def set_targets(user: User, region: Any) -> Decision:
    """The dashboard's targets (page and API): the region administrators of their own region set
    them; everyone who may see the dashboard sees them beside the figures."""
    if not (user.has_role(Role.REGION_ADMIN) or user.is_superuser):
        return Decision(False, reason="region administrators", hide=False)
    region = region if region is not None else getattr(user, "region", None)
    if region is None or region.pk != user.region_id:
        return Decision(False, reason="own region only", hide=False)
    return ALLOW
