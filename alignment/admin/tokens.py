"""API tokens: listed without their keys (only hashes are kept), and deletable, which stops a key at once. New
ones are made by ``manage.py api_token USER``, the one place a key is shown."""

from __future__ import annotations

from django.contrib import admin

from alignment.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created", "expires", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    date_hierarchy = "created"
    fields = ["prefix", "user", "created", "expires", "last_used"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
