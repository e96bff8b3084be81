"""Rules for the platform itself: organisations, people, the access log."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..choices import Role
from . import ALLOW, Decision, rule

if TYPE_CHECKING:
    from ..models import User


@rule("region.view", "organisation.view", "person.view")
def view_directory(user: User, obj: Any) -> Decision:
    """Professionals see their own region's directory; clients see none of it."""
    if not user.is_professional:
        return Decision(False, reason="professionals only", hide=False)
    region_id = getattr(obj, "region_id", getattr(obj, "pk", None) if obj.__class__.__name__ == "Region" else None)
    if obj is not None and region_id is not None and region_id != user.region_id and not user.is_superuser:
        return Decision(False, reason="another region")
    return ALLOW


@rule("organisation.change", "person.change")
def change_directory(user: User, obj: Any) -> Decision:
    if user.is_superuser:
        return ALLOW
    if not user.has_role(Role.REGION_ADMIN):
        return Decision(False, reason="region administrators only", hide=False)
    if obj is not None and getattr(obj, "region_id", user.region_id) != user.region_id:
        return Decision(False, reason="another region")
    return ALLOW


@rule("access_log.search")
def search_access_log(user: User, _obj: Any) -> Decision:
    """The region's privacy officer reads the log; reading it is itself logged."""
    allowed = user.has_role(Role.PRIVACY_OFFICER) or user.is_superuser
    return Decision(
        allowed, reason="" if allowed else "privacy officers only", code="R",
        purpose="access-log review", role=Role.PRIVACY_OFFICER if allowed else user.primary_role,
        relation=False, consent=False, hide=False, log=True,
    )


@rule("api_token.manage")
def manage_api_tokens(user: User, _obj: Any) -> Decision:
    """Everyone signed in issues, lists and revokes their own API tokens (in a verified session)."""
    return ALLOW if user.is_authenticated and user.is_active else Decision(False, reason="signed in only")


@rule("api_token.revoke")
def revoke_api_token(user: User, token: Any) -> Decision:
    """A token is revoked by its owner only; anyone else's looks like no token at all."""
    if token is not None and token.user_id == user.pk:
        return ALLOW
    return Decision(False, reason="own tokens only", hide=True)


@rule("access_log.view")
def view_access_log_record(user: User, record: Any) -> Decision:
    """One record of the log: the privacy officer of the region it belongs to."""
    decision = search_access_log(user, None)
    if decision.allowed and record is not None and not user.is_superuser \
            and record.region_id_snapshot != user.region_id:
        return replace(decision, allowed=False, reason="another region")
    return decision
