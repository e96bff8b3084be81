from django.urls import path

from . import views

app_name = "employment"

urlpatterns = [
    path("", views.index, name="index"),
    path("trajectories/<int:trajectory_pk>/", views.ips, name="ips"),
    path("trajectories/<int:trajectory_pk>/phase/", views.phase_change, name="phase_change"),
    path("trajectories/<int:trajectory_pk>/employer-contacts/new/", views.employer_contact_create,
         name="employer_contact_create"),
    path("trajectories/<int:trajectory_pk>/jobs/new/", views.job_start, name="job_start"),
    path("trajectories/<int:trajectory_pk>/jobs/<int:pk>/end/", views.job_end, name="job_end"),
]
