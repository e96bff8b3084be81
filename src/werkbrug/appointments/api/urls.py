from django.urls import path

from . import views

urlpatterns = [
    path("appointments/", views.MyAppointments.as_view(), name="appointments-list"),
    path("appointments/<int:pk>/", views.AppointmentDetail.as_view(), name="appointments-detail"),
    path("appointments/<int:pk>/cancel/", views.AppointmentCancel.as_view(), name="appointments-cancel"),
    path("appointments/<int:pk>/ics/", views.AppointmentIcs.as_view(), name="appointments-ics"),
    path("trajectories/<int:trajectory_pk>/appointments/", views.TrajectoryAppointments.as_view(),
         name="appointments-trajectory"),
]
