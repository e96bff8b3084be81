from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from werkbrug.notifications.selectors import unread_count

from .navigation import items_for


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "demo_mode": settings.DEMO_MODE,
        "two_factor_off": settings.DEMO_MODE and not settings.REQUIRE_2FA,
        "nav_items": items_for(user, request.path) if signed_in else [],
        # Counted only where a page shows the badge.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=user)) if signed_in else 0,
    }
