from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("calendar/", views.calendar, name="calendar"),
    path("feed/<str:token>/", views.feed, name="feed"),
    path("trajectories/<int:trajectory_pk>/", views.trajectory_list, name="trajectory"),
    path("trajectories/<int:trajectory_pk>/new/", views.trajectory_new, name="trajectory_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/ics/", views.ics, name="ics"),
]
