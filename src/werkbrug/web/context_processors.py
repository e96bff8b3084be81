from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from werkbrug.notifications.selectors import unread_count

from .my_work import nav_counts
from .navigation import items_for


def _navigation(request: HttpRequest, user) -> list[dict]:
    # The home page has built its "my work" lists already: their totals cost no query here.
    counts = nav_counts(user, getattr(request, "my_work_sections", None))
    return items_for(user, request.path, counts)


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "demo_mode": settings.DEMO_MODE,
        "two_factor_off": settings.DEMO_MODE and not settings.REQUIRE_2FA,
        # Built when a page shows the navigation (with the counts of open work next to its entries).
        "nav_items": SimpleLazyObject(lambda: _navigation(request, user)) if signed_in else [],
        # Counted only where a page shows the badge.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=user)) if signed_in else 0,
    }
