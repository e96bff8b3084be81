"""Rules for other systems (FHIR interface, OAuth2 client credentials).

- `system.manage`: the region administrator registers, lists and revokes the systems of her
  region's organisations; another region's system looks like none.
- `system_scope_allows`: what one access token may touch (a resource type, read or write). The
  data itself is then decided by the ordinary rules, as for the person the system acts for.
- `may_act_for`: a system acts only for an active professional of its own organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import Decision, rule
from .core import change_directory

if TYPE_CHECKING:
    from ..models import User


@rule("system.manage")
def manage_system(user: User, system: Any) -> Decision:
    return change_directory(user, system)


def system_scope_allows(scopes: list[str], resource_type: str, mode: str) -> bool:
    """`mode` is "read" or "write"; `system/*.read` style wildcards are honoured."""
    return f"system/{resource_type}.{mode}" in scopes or f"system/*.{mode}" in scopes


def may_act_for(system: Any, person: User | None) -> bool:
    return (
        person is not None and person.is_active and person.is_professional
        and person.organisation_id == system.organisation_id and person.region_id == system.region_id
    )


def owns_subscription(system: Any, subscription: Any) -> bool:
    """A system reads and changes its own FHIR subscriptions only."""
    return system is not None and subscription is not None and subscription.system_id == system.pk
