from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .my_work import header_counts
from .navigation import items_for


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if not signed_in:
        return {"demo_mode": settings.DEMO_MODE, "two_factor_off": settings.DEMO_MODE and not settings.REQUIRE_2FA,
                "nav_items": [], "unread_notifications": 0}
    # The header's numbers (unread notifications, open work beside the navigation's entries) in
    # one query, made only when a page shows the header; the home page has built its "my work"
    # lists already, so their totals cost no query there.
    header = SimpleLazyObject(lambda: header_counts(user, getattr(request, "my_work_sections", None)))
    return {
        "demo_mode": settings.DEMO_MODE,
        "two_factor_off": settings.DEMO_MODE and not settings.REQUIRE_2FA,
        "nav_items": SimpleLazyObject(lambda: items_for(user, request.path, header[1])),
        "unread_notifications": SimpleLazyObject(lambda: header[0]),
    }
