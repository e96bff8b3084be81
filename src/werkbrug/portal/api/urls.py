from django.urls import path

from . import views

urlpatterns = [
    path("portal/plan/", views.plan, name="portal-plan"),
    path("portal/plan/versions/", views.versions, name="portal-plan-versions"),
    path("portal/plan/pdf/", views.plan_pdf, name="portal-plan-pdf"),
    path("portal/plan/actions/<int:action_pk>/tick/", views.action_tick, name="portal-plan-action-tick"),
    path("portal/export/", views.export_json, name="portal-export"),
    path("portal/corrections/", views.corrections, name="portal-corrections"),
    path("portal/team/", views.team, name="portal-team"),
    path("portal/signals/", views.signals, name="portal-signals"),
    path("portal/plan/agree/", views.agree, name="portal-plan-agree"),
    path("portal/plan/disagree/", views.disagree, name="portal-plan-disagree"),
    path("portal/consents/", views.consents, name="portal-consents"),
    path("portal/access-log/", views.access_log, name="portal-access-log"),
]
