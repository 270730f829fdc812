"""Names glossaries: every entry with its owner and collection, and the re-checks their changes set off. Staff may
correct or delete an entry (the stories it concerns are re-checked at their next run, or from the glossary page);
re-checks are the worker's record, to read."""

from __future__ import annotations

from django.contrib import admin

from alignment.models import GlossaryEntry, GlossaryRecheck


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "collection", "note", "updated"]
    search_fields = ["en", "ru", "note", "owner__username", "collection__name"]
    list_select_related = ["owner", "collection"]
    raw_id_fields = ["owner", "collection"]
    fields = ["code", "owner", "collection", "en", "ru", "en_variants", "ru_variants", "note", "created", "updated"]
    readonly_fields = ["code", "created", "updated"]


@admin.register(GlossaryRecheck)
class GlossaryRecheckAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "collection", "status", "done", "total", "changed", "created", "finished"]
    list_filter = ["status"]
    search_fields = ["owner__username", "collection__name"]
    list_select_related = ["owner", "collection"]
    raw_id_fields = ["owner", "collection"]
    readonly_fields = ["code", "spellings", "total", "done", "changed", "created", "heartbeat", "finished"]

    def has_add_permission(self, request):
        return False
