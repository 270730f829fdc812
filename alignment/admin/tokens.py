"""What users leave behind for a while. API tokens: listed without their keys (only hashes are kept), and
deletable, which stops a key at once; new ones are made by ``manage.py api_token USER``, the one place a key is
shown. Files kept for an upload form that came back with errors: listed, deletable, gone by themselves after
SVERKA_PENDING_FILE_HOURS."""

from __future__ import annotations

from django.contrib import admin

from alignment.models import ApiToken, PendingFile


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


@admin.register(PendingFile)
class PendingFileAdmin(admin.ModelAdmin):
    list_display = ["file_name", "owner", "size", "created"]
    list_select_related = ["owner"]
    search_fields = ["owner__username", "file_name"]
    date_hierarchy = "created"
    fields = ["file_name", "owner", "size", "created"]
    readonly_fields = fields

    @admin.display(description="bytes")
    def size(self, obj):
        return f"{len(obj.data):,}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
