from django.urls import path

from . import views

urlpatterns = [
    path("trajectories/<int:trajectory_pk>/ips/", views.TrajectoryIPS.as_view(), name="employment-ips"),
    path("trajectories/<int:trajectory_pk>/ips/phase-changes/", views.PhaseChanges.as_view(),
         name="employment-phase-changes"),
    path("trajectories/<int:trajectory_pk>/employer-contacts/", views.EmployerContacts.as_view(),
         name="employment-employer-contacts"),
    path("trajectories/<int:trajectory_pk>/jobs/", views.Jobs.as_view(), name="employment-jobs"),
    path("jobs/<int:pk>/end/", views.JobEnd.as_view(), name="employment-job-end"),
    path("ips-outcomes/", views.CaseloadOutcomes.as_view(), name="employment-ips-outcomes"),
]
