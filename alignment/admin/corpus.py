"""Collections, their imports item by item, and the furniture each collection counts: managed like the other models,
with change lists that cost the same few queries however many rows they show."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from alignment.admin.shared import preview
from alignment.models import Collection, CollectionFurniture, ImportBatch, ImportItem


class FurnitureInline(admin.TabularInline):
    model = CollectionFurniture
    extra = 0
    fields = ["language", "text", "source", "stories"]
    readonly_fields = ["stories"]
    show_change_link = True


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "outlet", "story_count", "created"]
    list_filter = ["outlet"]
    search_fields = ["name", "description", "outlet", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["stories"]
    inlines = [FurnitureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("stories", distinct=True))

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, collection):
        return collection.story_total


class ItemInline(admin.TabularInline):
    model = ImportItem
    extra = 0
    fields = ["row", "name", "status", "reason", "story", "en_url", "ru_url"]
    readonly_fields = fields
    raw_id_fields = ["story"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "collection", "owner", "source", "items", "failed", "created"]
    list_filter = ["source"]
    search_fields = ["file_name", "collection__name", "owner__username"]
    list_select_related = ["collection", "owner"]
    raw_id_fields = ["collection", "owner"]
    readonly_fields = ["created"]
    inlines = [ItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            item_total=Count("items"), failed_total=Count("items", filter=Q(items__status="failed")),
        )

    @admin.display(description="items", ordering="item_total")
    def items(self, batch):
        return batch.item_total

    @admin.display(description="failed", ordering="failed_total")
    def failed(self, batch):
        return batch.failed_total


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "batch", "status", "reason_preview", "story"]
    list_filter = ["status"]
    search_fields = ["name", "reason", "en_url", "ru_url"]
    list_select_related = ["batch__collection", "story"]
    raw_id_fields = ["batch", "story"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="reason")
    def reason_preview(self, item):
        return preview(item.reason)


@admin.register(CollectionFurniture)
class CollectionFurnitureAdmin(admin.ModelAdmin):
    list_display = ["text_preview", "collection", "language", "source", "stories"]
    list_filter = ["language", "source"]
    search_fields = ["text", "collection__name"]
    list_select_related = ["collection"]
    raw_id_fields = ["collection"]

    @admin.display(description="text")
    def text_preview(self, entry):
        return preview(entry.text)
