from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:trajectory_pk>/", views.plan, name="plan"),
    path("<int:trajectory_pk>/edit/", views.edit, name="edit"),
    path("<int:trajectory_pk>/submit/", views.submit, name="submit"),
    path("<int:trajectory_pk>/agree/", views.agree, name="agree"),
    path("<int:trajectory_pk>/disagree/", views.disagree, name="disagree"),
    path("<int:trajectory_pk>/versions/", views.versions, name="versions"),
    path("<int:trajectory_pk>/versions/<int:number>/", views.version, name="version"),
    path("<int:trajectory_pk>/pdf/", views.pdf, name="pdf"),
    path("<int:trajectory_pk>/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("<int:trajectory_pk>/diff/", views.diff, name="diff"),
    path("<int:trajectory_pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
]
