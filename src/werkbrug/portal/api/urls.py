from django.urls import path

from . import views

urlpatterns = [
    path("portal/plan/", views.plan, name="portal-plan"),
    path("portal/plan/versions/", views.versions, name="portal-plan-versions"),
    path("portal/team/", views.team, name="portal-team"),
    path("portal/signals/", views.signals, name="portal-signals"),
    path("portal/plan/agree/", views.agree, name="portal-plan-agree"),
    path("portal/plan/disagree/", views.disagree, name="portal-plan-disagree"),
    path("portal/consents/", views.consents, name="portal-consents"),
    path("portal/access-log/", views.access_log, name="portal-access-log"),
]
