"""Shared links: listed with their story, what they show and until when, and how often they were opened. Staff may
revoke one (set "revoked") or shorten it; links are made on their story's page only, by its owner."""

from __future__ import annotations

from django.contrib import admin

from alignment.admin.shared import LinksToStory, StoryFilter, counted
from alignment.models import ShareLink, ShareScope


@admin.register(ShareLink)
class ShareLinkAdmin(LinksToStory, admin.ModelAdmin):
    list_display = ["__str__", "story_link", "scope", "created", "expires", "revoked", "opens", "last_opened"]
    list_filter = ["scope", StoryFilter]
    list_select_related = ["story"]
    search_fields = ["story__title", "label"]
    date_hierarchy = "created"
    fields = ["code", "story", "scope", "chosen", "notes", "label", "created", "expires", "revoked", "opens",
              "last_opened"]
    readonly_fields = ["code", "story", "scope", "chosen", "notes", "created", "opens", "last_opened"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="divergences chosen")
    def chosen(self, link):
        return counted(link.divergences.count(), "divergence") if link.scope == ShareScope.CHOSEN else "-"
