from django.urls import path

from . import registration_views, views

app_name = "experience_experts"

urlpatterns = [
    path("", views.index, name="index"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:pk>/", views.profile, name="profile"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/coordinator/", views.profile_coordinator, name="profile_coordinator"),
    path("profiles/<int:pk>/absences/", views.absence_add, name="absence_add"),
    path("profiles/<int:pk>/absences/<int:absence_pk>/remove/", views.absence_remove, name="absence_remove"),
    path("profiles/<int:pk>/balance/", views.balance_expert, name="expert_balance"),
    path("profiles/<int:pk>/wellbeing/", views.wellbeing_expert, name="expert_wellbeing"),
    path("domains/", views.domains, name="domains"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/offer/", views.request_offer, name="request_offer"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("deployments/", views.deployments, name="deployments"),
    path("deployments/register/", views.deployment_register, name="deployment_register"),
    path("deployments/<int:pk>/plan/", views.deployment_plan, name="deployment_plan"),
    path("deployments/<int:pk>/correct/", registration_views.deployment_correct, name="deployment_correct"),
    path("deployments/<int:pk>/withdraw/", registration_views.deployment_withdraw, name="deployment_withdraw"),
    path("deployments/<int:pk>/history/", registration_views.deployment_history, name="deployment_history"),
    path("profiles/<int:pk>/registrations/", registration_views.registrations, name="registrations"),
    path("requests/<int:pk>/cancel/", registration_views.request_cancel, name="request_cancel"),
    path("balance/", views.balance_own, name="balance"),
    path("wellbeing/", views.wellbeing_own, name="wellbeing"),
    path("support-groups/", views.groups, name="groups"),
    path("support-groups/new/", views.group_create, name="group_create"),
    path("support-groups/<int:pk>/", views.group_detail, name="group"),
    path("support-groups/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("trajectories/<int:trajectory_pk>/client-wish/", views.client_wish, name="client_wish"),
    path("reports/", views.reports, name="reports"),
    path("reports/pdf/", views.reports_pdf, name="reports_pdf"),
]
