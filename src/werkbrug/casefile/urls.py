from django.urls import path

from . import views

app_name = "casefile"

urlpatterns = [
    path("trajectories/<int:trajectory_pk>/journal/", views.journal, name="journal"),
    path("trajectories/<int:trajectory_pk>/journal/new/", views.journal_create, name="journal_create"),
    path("trajectories/<int:trajectory_pk>/journal/<int:pk>/", views.journal_entry, name="journal_entry"),
    path("trajectories/<int:trajectory_pk>/journal/<int:pk>/correct/", views.journal_correct, name="journal_correct"),
    path("trajectories/<int:trajectory_pk>/documents/", views.documents, name="documents"),
    path("trajectories/<int:trajectory_pk>/documents/new/", views.document_upload, name="document_upload"),
    path("trajectories/<int:trajectory_pk>/documents/<int:pk>/", views.document, name="document"),
    path("trajectories/<int:trajectory_pk>/documents/<int:pk>/replace/", views.document_replace,
         name="document_replace"),
    path("trajectories/<int:trajectory_pk>/documents/<int:pk>/versions/<int:version_pk>/download/",
         views.document_download, name="document_download"),
    path("my-journal/", views.portal_journal, name="portal_journal"),
]
