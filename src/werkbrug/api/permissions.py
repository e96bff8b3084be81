from django.conf import settings
from rest_framework.permissions import BasePermission


class IsVerifiedUser(BasePermission):
    """Signed in, and two-factor verified where the user's roles require it.

    Finer decisions (which object, which data category) are the policy module's, called by the
    views through `policy.authorize`.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.auth is not None:  # token: issued after a verified session
            return True
        if settings.REQUIRE_2FA and getattr(user, "needs_two_factor", False):
            return user.is_verified()
        return True
