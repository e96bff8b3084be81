from django.urls import path

from ..oauth import smart_configuration
from . import subscription, views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    # SMART discovery is looked up under the FHIR base URL.
    path(".well-known/smart-configuration", smart_configuration, name="smart-configuration"),
    path("Subscription", subscription.subscriptions, name="subscription-search"),
    path("Subscription/<str:pk>", subscription.subscription, name="subscription-read"),
]
for _name, (_search, _read) in views.VIEWS.items():
    urlpatterns += [
        path(_name, _search, name=f"{_name.lower()}-search"),
        path(f"{_name}/<str:pk>", _read, name=f"{_name.lower()}-read"),
    ]
