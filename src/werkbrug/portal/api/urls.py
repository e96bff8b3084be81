from django.urls import path

from . import views

urlpatterns = [
    path("portal/plan/", views.plan, name="portal-plan"),
    path("portal/plan/agree/", views.agree, name="portal-plan-agree"),
    path("portal/plan/disagree/", views.disagree, name="portal-plan-disagree"),
    path("portal/consents/", views.consents, name="portal-consents"),
    path("portal/access-log/", views.access_log, name="portal-access-log"),
]
