from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan, name="plan"),
    path("plan/agree/", views.agree, name="agree"),
    path("plan/disagree/", views.disagree, name="disagree"),
    path("plan/versions/", views.versions, name="versions"),
    path("plan/versions/<int:number>/", views.version, name="version"),
    path("plan/diff/", views.diff, name="diff"),
    path("signals/", views.signals, name="signals"),
    path("consents/", views.consents, name="consents"),
    path("consents/change/", views.consent_change, name="consent_change"),
    path("access-log/", views.access_log, name="access_log"),
]
