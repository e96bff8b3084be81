from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

# The plain-text tokens of rest_framework.authtoken are no longer used (see migration 0002; the
# app stays installed only so that the migration can empty its table): no admin page for them.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
