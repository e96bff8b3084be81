from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("pdf/", views.pdf, name="pdf"),
    path("csv/", views.csv_download, name="csv"),
    path("targets/", views.targets, name="targets"),
    path("subscription/", views.subscription, name="subscription"),
]
