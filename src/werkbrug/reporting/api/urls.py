from django.urls import path

from . import views

urlpatterns = [
    path("reports/targets/", views.targets, name="report-targets"),
]
