from django.urls import path

from . import views

urlpatterns = [
    path("trajectories/", views.CaseloadView.as_view(), name="trajectories-caseload"),
    path("trajectories/archive/", views.ArchiveView.as_view(), name="trajectories-archive"),
    path("trajectories/<int:pk>/", views.TrajectoryDetailView.as_view(), name="trajectories-detail"),
    path("trajectories/<int:pk>/team/", views.TeamView.as_view(), name="trajectories-team"),
    path("trajectories/<int:pk>/team/<int:member_pk>/", views.TeamMemberView.as_view(), name="trajectories-team-member"),
    path("trajectories/<int:pk>/hand-over/", views.HandOverView.as_view(), name="trajectories-hand-over"),
    path("trajectories/<int:pk>/close/", views.CloseView.as_view(), name="trajectories-close"),
    path("trajectories/<int:pk>/reopen/", views.ReopenView.as_view(), name="trajectories-reopen"),
    path("trajectories/<int:pk>/intake/", views.IntakeView.as_view(), name="trajectories-intake"),
]
