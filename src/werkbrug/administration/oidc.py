"""Sign-in through OpenID Connect with identities the region administrator linked.

`core/oidc.py` links the provider's identity to an account by e-mail address. This backend puts
the linked subject (`sub`) first: a person with a linked identity signs in only through it, so a
changed or reused mail address at the provider no longer opens their account; a person without
one is still found by e-mail address. Switched on in settings with `WERKBRUG_OIDC=1`.
"""

from __future__ import annotations

from werkbrug.core.oidc import WerkbrugOIDCBackend


class LinkedIdentityOIDCBackend(WerkbrugOIDCBackend):
    def filter_users_by_claims(self, claims):
        subject = str(claims.get("sub") or "").strip()
        if subject:
            linked = self.UserModel.objects.filter(oidc_identities__subject=subject, is_active=True)
            if linked.exists():
                return linked
        return super().filter_users_by_claims(claims).filter(oidc_identities__isnull=True)
