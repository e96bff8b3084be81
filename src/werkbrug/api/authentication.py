from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`; tokens are issued only in a two-factor verified session.

    Only a SHA-256 digest of each token is stored (`ApiToken`); an expired or revoked token is
    refused like an unknown one.
    """

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        from .models import token_find

        token = token_find(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        return token.user, token
