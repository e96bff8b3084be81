from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("known/", views.known, name="known"),
    path("known/ask/", views.known_ask, name="known_ask"),
    path("join-requests/<int:pk>/", views.join_request, name="join_request"),
    path("merge/", views.merge, name="merge"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/consents/", views.consents, name="consents"),
    path("<int:pk>/consents/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
