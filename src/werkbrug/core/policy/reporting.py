"""Rules for the regional dashboard: aggregate figures for management, never client data.

The portfolio holder (`Role.PORTFOLIO_HOLDER`, e.g. an alderman) reads the dashboard, its
drill-down, PDF and CSV, and may take the monthly report; no other rule names the role, so they
see no client, trajectory or person."""

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


def is_portfolio_holder(user: User) -> bool:
    return user.is_professional and user.has_role(Role.PORTFOLIO_HOLDER)


@rule("region_dashboard.view")
def view_dashboard(user: User, region: Any) -> Decision:
    """The regional dashboard (page, drill-down, PDF, CSV, the monthly report and the menu
    entry): managers of the network's organisations, portfolio holders and region
    administrators, of their own region."""
    if not (is_network_manager(user) or is_portfolio_holder(user) or user.has_role(Role.REGION_ADMIN)
            or user.is_superuser):
        return Decision(False, reason="managers of the network's organisations, portfolio holders and region "
                                      "administrators", hide=False)
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
