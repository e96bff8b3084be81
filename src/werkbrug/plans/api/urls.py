from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:trajectory_pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:trajectory_pk>/versions/", views.versions, name="plan-versions"),
    path("plans/<int:trajectory_pk>/versions/<int:number>/", views.version_detail, name="plan-version-detail"),
    path("plans/<int:trajectory_pk>/pdf/", views.plan_pdf_view, name="plan-pdf"),
    path("plans/<int:trajectory_pk>/versions/<int:number>/pdf/", views.version_pdf_view, name="plan-version-pdf"),
    path("plans/<int:trajectory_pk>/versions/<int:number>/diff/", views.version_diff_view, name="plan-version-diff"),
    path("plans/<int:trajectory_pk>/submit/", views.submit, name="plan-submit"),
    path("plans/<int:trajectory_pk>/agree/", views.agree, name="plan-agree"),
    path("plans/<int:trajectory_pk>/disagree/", views.disagree, name="plan-disagree"),
    path("plans/<int:trajectory_pk>/goals/", views.goals, name="plan-goals"),
    path("plans/<int:trajectory_pk>/actions/", views.actions, name="plan-actions"),
    path("plans/<int:trajectory_pk>/actions/<int:action_pk>/status/", views.action_status, name="plan-action-status"),
    path("plans/<int:trajectory_pk>/agreements/", views.agreements, name="plan-agreements"),
]
