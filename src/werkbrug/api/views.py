"""The API's own pages: the readable documentation, and the person's API tokens."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from werkbrug.core import policy

from .models import ApiToken, token_issue


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for route, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": op.get("summary") or op.get("description", "").split("\n")[0],
                    "tag": (op.get("tags") or [""])[0],
                }
            )
    return render(
        request,
        "api/docs.html",
        {"operations": operations, "info": schema.get("info", {}), "token_hours": settings.API_TOKEN_TTL_HOURS},
    )


# API tokens: issued in a signed-in, two-factor verified session, listed and revoked by their owner.


class TokenIssued(serializers.Serializer):
    token = serializers.CharField(help_text="The secret: shown this once, never stored.")
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenRow(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "current"]

    def get_current(self, token: ApiToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


@extend_schema(methods=["POST"], request=None, responses={201: TokenIssued})
@extend_schema(methods=["DELETE"], request=None, responses={204: None})
@api_view(["POST", "DELETE"])
def token(request):
    """POST: issue a new token (in a session, never with a token). DELETE: revoke the token this
    request is made with."""
    policy.authorize(request.user, "api_token.manage", None)
    if request.method == "DELETE":
        if not isinstance(request.auth, ApiToken):
            raise Http404
        policy.authorize(request.user, "api_token.revoke", request.auth)
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.auth is not None:
        raise Http404  # tokens are not issued with tokens
    row, secret = token_issue(request.user)
    return Response(
        {"token": secret, "id": row.pk, "prefix": row.prefix, "expires_at": row.expires_at},
        status=status.HTTP_201_CREATED,
    )


@extend_schema(responses=TokenRow(many=True))
@api_view(["GET"])
def token_list(request):
    """The signed-in person's live tokens (their prefixes only)."""
    policy.authorize(request.user, "api_token.manage", None)
    rows = ApiToken.objects.live().filter(user=request.user)
    return Response(TokenRow(rows, many=True, context={"request": request}).data)


@extend_schema(request=None, responses={204: None})
@api_view(["DELETE"])
def token_revoke(request, pk: int):
    """Revoke one of the person's own tokens; anyone else's answers 404."""
    row = ApiToken.objects.filter(pk=pk).first()
    policy.authorize(request.user, "api_token.revoke", row)
    row.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)
