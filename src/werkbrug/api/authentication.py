from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`; tokens are issued only in a two-factor verified session."""

    keyword = "Bearer"
