from django.urls import path

from . import views

urlpatterns = [
    path("clients/", views.ClientListView.as_view(), name="clients-list"),
    path("clients/<int:pk>/", views.ClientDetailView.as_view(), name="clients-detail"),
    path("clients/<int:pk>/consents/", views.ConsentView.as_view(), name="clients-consents"),
    path("clients/<int:pk>/consents/withdraw/", views.ConsentWithdrawView.as_view(), name="clients-consents-withdraw"),
]
