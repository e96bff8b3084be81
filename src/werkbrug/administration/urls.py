from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_add, name="organisation_add"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation"),
    path("people/invite/", views.person_invite, name="invite"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("people/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("hand-overs/", views.hand_overs, name="hand_overs"),
    path("audit-trail/", views.events, name="events"),
    path("welcome/<str:uidb64>/<str:token>/", views.welcome, name="welcome"),
]
