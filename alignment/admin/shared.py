"""What the model admins share: short previews and links, the story filters, and the mixins that keep the story page's
cached rows fresh after an edit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from alignment.models import DivergenceKind, JobStatus, Story

PREVIEW_CHARS = 80


def preview(text: str, chars: int = PREVIEW_CHARS) -> str:
    return Truncator(text.replace("\n", " ")).chars(chars)


def counted(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def admin_link(obj, label=None) -> str:
    if obj is None:
        return "-"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if label is None else label)


def changelist_link(model, story: Story, label: str) -> str:
    """A link to the model's change list narrowed to one story (see StoryFilter)."""
    url = reverse(f"admin:alignment_{model._meta.model_name}_changelist") + "?" + urlencode({"story": story.pk})
    return format_html('<a href="{}">{}</a>', url, label)


class StoryFilter(admin.SimpleListFilter):
    """Narrows a list to one story (``?story=<pk>``), for the links from a story's page. It appears in the
    sidebar only while in use, so it costs no query otherwise."""

    title = "story"
    parameter_name = "story"
    story_path = "story"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            return [(value, str(story)) for story in Story.objects.filter(pk=value)]
        return []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.story_path: self.value()})
        return queryset


class DocumentStoryFilter(StoryFilter):
    story_path = "document__story"


class PairStoryFilter(StoryFilter):
    story_path = "pair__story"


class LatestStatusFilter(admin.SimpleListFilter):
    title = "latest job status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*JobStatus.choices, ("none", "No job")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(latest_status__isnull=True)
        if self.value():
            return queryset.filter(latest_status=self.value())
        return queryset


class KindsFilter(admin.SimpleListFilter):
    title = "divergence kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [*DivergenceKind.choices, ("none", "No divergence")]

    def queryset(self, request, queryset):
        kind = self.value()
        if kind == "none":
            return queryset.filter(kinds="")
        if kind:
            # ``kinds`` is a comma-separated list, e.g. "name,number".
            return queryset.filter(
                Q(kinds=kind) | Q(kinds__startswith=f"{kind},") | Q(kinds__endswith=f",{kind}")
                | Q(kinds__contains=f",{kind},")
            )
        return queryset


class ShownOnTheStoryPage:
    """For the admins of what the story page shows: a change here gives the story a new version, so that its
    cached rows (alignment.web.rows) are drawn afresh."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump(obj)

    def delete_model(self, request, obj):
        story = story_of(obj)
        super().delete_model(request, obj)
        if story is not None and story.pk:
            story.bump_version()

    def delete_queryset(self, request, queryset):
        touched = {s.pk: s for s in (story_of(obj) for obj in queryset) if s is not None}
        super().delete_queryset(request, queryset)
        for story in touched.values():
            if story.pk and Story.objects.filter(pk=story.pk).exists():
                story.bump_version()


def story_of(obj) -> Story | None:
    if isinstance(obj, Story):
        return obj
    for path in ("story", "document", "pair"):
        related = getattr(obj, path, None)
        if related is not None:
            return story_of(related)
    return None


def bump(obj) -> None:
    story = story_of(obj)
    if story is not None and story.pk:
        story.bump_version()


class LinksToStory:
    """For the admins of models with a ``story`` foreign key."""

    @admin.display(description="story", ordering="story__title")
    def story_link(self, obj):
        return admin_link(obj.story)


class ListedInline(admin.TabularInline):
    """Rows a story (or pair) lists beneath it, to look at and follow, never to add or delete here: they are made
    by a run or a reviewer. A subclass names the fields it lets staff change; by default none."""

    editable: tuple[str, ...] = ()
    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.get_fields(request, obj) if f not in self.editable]

    def has_add_permission(self, request, obj=None):
        return False
