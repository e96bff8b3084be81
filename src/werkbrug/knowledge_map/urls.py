from django.urls import path

from . import views

app_name = "knowledge_map"

urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.item_list, name="list"),
    path("print/", views.print_view, name="print"),
    path("review/", views.my_reviews, name="review"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/panel/", views.item_panel, name="panel"),
    path("items/<int:pk>/edit/", views.item_edit, name="edit"),
    path("items/<int:pk>/status/", views.item_status, name="status"),
    path("items/<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("items/<int:pk>/history/", views.item_history, name="history"),
    path("relations/<int:pk>/remove/", views.relation_remove, name="relation_remove"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.item_create, name="create"),
    path("manage/import/", views.import_view, name="import"),
    path("manage/export.<str:fmt>", views.export_view, name="export"),
    path("manage/sync/", views.sync, name="sync"),
]
