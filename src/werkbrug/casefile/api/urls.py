from django.urls import path

from . import views

urlpatterns = [
    path("trajectories/<int:trajectory_pk>/journal/", views.TrajectoryJournal.as_view(), name="casefile-journal-list"),
    path("journal/<int:pk>/", views.JournalEntryDetail.as_view(), name="casefile-journal-detail"),
    path("journal/<int:pk>/corrections/", views.JournalEntryCorrections.as_view(), name="casefile-journal-correct"),
    path("trajectories/<int:trajectory_pk>/documents/", views.TrajectoryDocuments.as_view(),
         name="casefile-document-list"),
    path("documents/<int:pk>/", views.DocumentDetail.as_view(), name="casefile-document-detail"),
    path("documents/<int:pk>/versions/", views.DocumentVersions.as_view(), name="casefile-document-versions"),
    path("document-versions/<int:pk>/download/", views.DocumentVersionDownload.as_view(),
         name="casefile-document-download"),
]
