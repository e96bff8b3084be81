from django.contrib import admin

from .models import AdministrationEvent, OIDCIdentity


@admin.register(AdministrationEvent)
class AdministrationEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: readable here, never changed or removed."""

    list_display = ["at", "action", "actor", "person", "organisation", "region"]
    list_filter = ["action", "region"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OIDCIdentity)
class OIDCIdentityAdmin(AdministrationEventAdmin):
    """Linked and unlinked on the person's page, where the change is recorded; read-only here."""

    list_display = ["person", "subject", "label", "linked_at"]
    list_filter = []
    search_fields = ["subject", "person__username"]
