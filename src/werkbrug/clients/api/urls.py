from django.urls import path

from . import views

urlpatterns = [
    path("clients/", views.ClientListView.as_view(), name="clients-list"),
    path("clients/known/", views.KnownView.as_view(), name="clients-known"),
    path("clients/known/ask/", views.KnownAskView.as_view(), name="clients-known-ask"),
    path("clients/join-requests/<int:pk>/", views.JoinRequestView.as_view(), name="clients-join-request"),
    path("clients/merge/", views.MergeView.as_view(), name="clients-merge"),
    path("clients/<int:pk>/", views.ClientDetailView.as_view(), name="clients-detail"),
    path("clients/<int:pk>/consents/", views.ConsentView.as_view(), name="clients-consents"),
    path("clients/<int:pk>/consents/withdraw/", views.ConsentWithdrawView.as_view(), name="clients-consents-withdraw"),
]
