"""OpenID Connect single sign-on (switched on with WERKBRUG_OIDC=1; see docs/security.md).

Accounts are not created on first sign-in: the region administrator makes them (or the client's
team registers the client), and the provider's identity is linked by e-mail address. A DigiD
broker for clients works the same way; the broker's `email` (or a configured claim) must match
the portal account.
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class WerkbrugOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        claim = getattr(settings, "OIDC_MATCH_CLAIM", "email")
        value = (claims.get(claim) or "").strip()
        if not value:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=value, is_active=True)

    def create_user(self, claims):  # pragma: no cover — OIDC_CREATE_USER is False
        return None

    def verify_claims(self, claims) -> bool:
        return super().verify_claims(claims) and bool(claims.get(getattr(settings, "OIDC_MATCH_CLAIM", "email")))
