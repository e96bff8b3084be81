"""The versioned API: `/api/v1/`. Each domain app mounts its own `api/urls.py` here."""

from importlib.util import find_spec

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from werkbrug.urls import DOMAIN_APPS

from .views import api_docs, token, token_list, token_revoke

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    path("token/", token, name="token"),
    path("tokens/", token_list, name="tokens"),
    path("tokens/<int:pk>/", token_revoke, name="token-revoke"),
    path("", include("werkbrug.core.api.urls")),
]
for app in DOMAIN_APPS:
    if find_spec(f"werkbrug.{app}.api") is not None and find_spec(f"werkbrug.{app}.api.urls") is not None:
        urlpatterns.append(path("", include(f"werkbrug.{app}.api.urls")))
