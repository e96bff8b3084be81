from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("pdf/", views.pdf, name="pdf"),
    path("csv/", views.csv_download, name="csv"),
    path("targets/", views.targets, name="targets"),
    path("subscription/", views.subscription, name="subscription"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path("organisations/<int:organisation_id>/csv/", views.organisation_csv, name="organisation_csv"),
    path("months/<int:year>/<int:month>/", views.month, name="month"),
    path("months/<int:year>/<int:month>/csv/", views.month_csv, name="month_csv"),
]
