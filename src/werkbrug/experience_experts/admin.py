"""Admin for reference data only. Check-ins are deliberately not in the admin: they are private
to the expert and their coordinator."""

from django.contrib import admin

from .models import ExpertProfile, LivedExperienceDomain


@admin.register(LivedExperienceDomain)
class LivedExperienceDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "active"]
    list_filter = ["region", "active"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "region", "contract_hours", "client_contact_limit", "active"]
    list_filter = ["region", "active"]
    raw_id_fields = ["person", "buddy"]
    # Who coordinates is assigned by the region administrator through the service (recorded,
    # the expert told), never edited here.
    readonly_fields = ["coordinator"]
