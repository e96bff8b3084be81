"""Root URLs. Each domain app's `urls.py` (pages) and `api/urls.py` (API) are mounted here."""

from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from werkbrug.interchange.oauth import smart_configuration
from werkbrug.interchange.oauth import token as oauth_token

# URL prefix per domain app; an app's pages appear once it has a `urls.py`.
DOMAIN_APPS = {
    "clients": "clients/",
    "trajectories": "trajectories/",
    "plans": "plans/",
    "collaboration": "collaboration/",
    "employment": "employment/",
    "ambassadors": "ambassadors/",
    "experience_experts": "experience-experts/",
    "knowledge_map": "knowledge-map/",
    "evaluations": "research/",
    "portal": "portal/",
    "reporting": "reports/",
    "notifications": "notifications/",
    "casefile": "casefile/",
    "administration": "administration/",
    "appointments": "appointments/",
    "interchange": "interchange/",
}

handler400 = "werkbrug.web.views.errors.bad_request"
handler403 = "werkbrug.web.views.errors.permission_denied"
handler404 = "werkbrug.web.views.errors.page_not_found"
handler500 = "werkbrug.web.views.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("werkbrug.api.urls")),
    # Other systems: the FHIR R4 interface and its OAuth2 token endpoint (werkbrug/interchange).
    path("fhir/R4/", include("werkbrug.interchange.fhir.urls")),
    path("oauth/token", oauth_token, name="oauth-token"),
    path(".well-known/smart-configuration", smart_configuration, name="smart-configuration"),
    path("", include("werkbrug.operations.urls")),
    path("", include("werkbrug.web.urls")),
]
for app, prefix in DOMAIN_APPS.items():
    if find_spec(f"werkbrug.{app}.urls") is not None:
        urlpatterns.append(path(prefix, include(f"werkbrug.{app}.urls")))

if settings.DEBUG or settings.DEMO_MODE:
    urlpatterns.append(path("admin/", admin.site.urls))
