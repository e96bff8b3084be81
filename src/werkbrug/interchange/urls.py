from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path("systems/", views.systems, name="systems"),
    path("systems/new/", views.system_add, name="system_add"),
    path("systems/<int:pk>/", views.system_change, name="system_change"),
    path("systems/<int:pk>/renew/", views.system_renew, name="system_renew"),
    path("systems/<int:pk>/revoke/", views.system_revoke, name="system_revoke"),
    path("import/", views.import_page, name="import"),
]
