from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Organisation, Region, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "kind", "organisation"]
    list_filter = ["kind", "organisation__type"]
    fieldsets = [*UserAdmin.fieldsets, ("Werkbrug", {"fields": ["kind", "region", "organisation", "job_title", "phone"]})]
    inlines = [RoleInline]


admin.site.register(Region)
admin.site.register(Organisation)
