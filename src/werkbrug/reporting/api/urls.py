from django.urls import path

from . import views

urlpatterns = [
    path("reports/targets/", views.targets, name="report-targets"),
    path("reports/organisations/<int:organisation_id>/", views.organisation, name="report-organisation"),
    path("reports/months/<int:year>/<int:month>/", views.month, name="report-month"),
]
