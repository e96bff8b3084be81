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
    path("plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plan/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("plan/actions/<int:action_pk>/tick/", views.action_tick, name="action_tick"),
    path("intake/", views.intake, name="intake"),
    path("referrals/", views.referrals, name="referrals"),
    path("jobs/", views.jobs, name="jobs"),
    path("download/", views.download, name="download"),
    path("download/pdf/", views.download_pdf, name="download_pdf"),
    path("download/json/", views.download_json, name="download_json"),
    path("corrections/", views.corrections, name="corrections"),
    path("correction-requests/<int:pk>/", views.correction_request, name="correction_request"),
    path("signals/", views.signals, name="signals"),
    path("consents/", views.consents, name="consents"),
    path("consents/change/", views.consent_change, name="consent_change"),
    path("access-log/", views.access_log, name="access_log"),
]
