from django.contrib import admin

from .models import Item, ItemChange, Relation


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "theme", "status", "review_on", "region"]
    list_filter = ["status", "kind", "theme", "region"]
    search_fields = ["title", "key", "summary"]


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]


@admin.register(ItemChange)
class ItemChangeAdmin(admin.ModelAdmin):
    list_display = ["item", "changed_at", "action"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
