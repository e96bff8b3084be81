from django.conf import settings
from django.urls import include, path

from .views import auth, pages

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health", pages.health, name="health"),
    path("account/login/", auth.SignInView.as_view(), name="login"),
    path("account/logout/", auth.SignOutView.as_view(), name="logout"),
    path("account/2fa/setup/", auth.two_factor_setup, name="2fa_setup"),
    path("account/2fa/verify/", auth.two_factor_verify, name="2fa_verify"),
    path("organisations/", pages.organisations, name="organisations"),
    path("organisations/<int:pk>/", pages.organisation_detail, name="organisation"),
    path("access-log/", pages.access_log, name="access_log"),
]

if settings.USE_OIDC:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

if settings.DEMO_MODE:
    urlpatterns.append(path("demo/personas/", auth.demo_personas, name="personas"))
