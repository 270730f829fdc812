"""The admins of a story's life: stories with their documents, jobs and edits, and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import Truncator

from alignment import audit, review, stories
from alignment.admin.shared import (
    LatestStatusFilter, LinksToStory, ListedInline, ShownOnTheStoryPage, StoryFilter, changelist_link, counted,
    preview,
)
from alignment.models import (
    AuditAction, AuditEntry, Divergence, Document, Edit, Job, JobStatus, Language, Pair, Sentence, Story, Verdict,
)


@dataclass(frozen=True)
class RerunPreview:
    """What a new run of one story would put at risk (the work on its pairs that are not locked), or that it is
    skipped for a job already waiting or running."""

    story: Story
    active: bool
    corrections: int
    verdicts: int
    notes: int
    locked: int = 0

    def __str__(self) -> str:
        if self.active:
            return "Skipped: a job is already waiting or running"
        parts = [
            counted(n, noun) for n, noun in ((self.corrections, "correction"), (self.verdicts, "verdict"),
                                             (self.notes, "note")) if n
        ]
        kept = f"; keeps {counted(self.locked, 'locked pair')}" if self.locked else ""
        return (f"Puts at risk {', '.join(parts)}" if parts else "Puts no correction, verdict or note at risk") + kept


def rerun_previews(chosen: list[Story]) -> list[RerunPreview]:
    """Each story's preview, its verdicts and notes on pairs not locked counted for all of them in one query.
    Corrections and locked pairs are counted as the story page counts them (alignment.review.lost_work)."""
    reviewed = {
        row["pair__story"]: row
        for row in Divergence.objects.filter(pair__story__in=chosen, pair__locked=False).values("pair__story").annotate(
            verdicts=Count("pk", filter=~Q(verdict=Verdict.PENDING)), notes=Count("pk", filter=~Q(note="")),
        )
    }
    previews = []
    for story in chosen:
        latest = story.latest_job()
        counts = reviewed.get(story.pk, {})
        lost = review.lost_work(story)
        previews.append(RerunPreview(
            story, latest is not None and latest.is_active, lost.corrections, counts.get("verdicts", 0),
            counts.get("notes", 0), lost.locked,
        ))
    return previews


class DocumentInline(ListedInline):
    model = Document
    fields = ["language", "file_name", "encoding", "source_url", "length", "text_preview"]

    @admin.display(description="length")
    def length(self, doc):
        return f"{len(doc.text):,}"

    @admin.display(description="text")
    def text_preview(self, doc):
        return preview(doc.text, 300)


class JobInline(ListedInline):
    model = Job
    fields = ["status", "stage", "progress", "attempts", "created", "started", "finished", "enqueued", "error"]


class EditInline(ListedInline):
    """The story's edit history, to read: an edit records what a reviewer did, so none is added or changed.
    (Not an admin of its own: edits belong to their story, and a story's page is where they are looked for.)"""

    model = Edit
    fields = ["created", "user", "action", "summary", "undone"]
    show_change_link = False
    ordering = ["-created", "-pk"]
    verbose_name_plural = "history"

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").defer("payload")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "latest_status", "divergences", "created"]
    list_filter = [("owner", admin.RelatedOnlyFieldListFilter), "created", LatestStatusFilter]
    search_fields = ["title", "owner__username"]
    autocomplete_fields = ["owner"]
    date_hierarchy = "created"
    inlines = [DocumentInline, JobInline, EditInline]
    readonly_fields = [
        "code", "created", "updated", "embedder", "translator", "translation_skipped", "latest_status",
        "sentence_count", "pair_link", "divergence_link", "coverage", "mean_similarity", "job_link",
    ]
    fieldsets = [
        (None, {"fields": ["title", "owner", "code", "created", "updated"]}),
        ("Results", {"fields": [
            "latest_status", "job_link", "embedder", "translator", "translation_skipped", "sentence_count",
            "pair_link", "divergence_link", "coverage", "mean_similarity",
        ]}),
    ]
    actions = ["rerun_pipeline"]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else [(None, {"fields": ["title", "owner"]})]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").with_latest_job()

    @admin.display(description="latest job", ordering="latest_status")
    def latest_status(self, story):
        return JobStatus(story.latest_status).label if story.latest_status else "No job"

    @admin.display(description="divergences")
    def divergences(self, story):
        return story.divergence_total()

    @admin.display(description="sentences")
    def sentence_count(self, story):
        counts = dict(
            Sentence.objects.filter(document__story=story).values_list("language").annotate(n=Count("pk"))
        )
        return f"{counts.get(Language.EN, 0)} English, {counts.get(Language.RU, 0)} Russian"

    @admin.display(description="pairs")
    def pair_link(self, story):
        return changelist_link(Pair, story, counted(story.pairs.count(), "pair"))

    @admin.display(description="divergences")
    def divergence_link(self, story):
        counts = dict(
            Divergence.objects.filter(pair__story=story).order_by("kind").values_list("kind").annotate(n=Count("pk"))
        )
        detail = ", ".join(f"{kind} {n}" for kind, n in counts.items())
        label = counted(sum(counts.values()), "divergence") + (f" ({detail})" if detail else "")
        return changelist_link(Divergence, story, label)

    @admin.display(description="jobs")
    def job_link(self, story):
        return changelist_link(Job, story, counted(story.jobs.count(), "job"))

    @admin.display(description="coverage")
    def coverage(self, story):
        if "en_coverage" not in story.stats:
            return "-"
        return f"English {story.stats['en_coverage']:.1%}, Russian {story.stats['ru_coverage']:.1%}"

    @admin.display(description="mean similarity")
    def mean_similarity(self, story):
        value = story.stats.get("mean_similarity")
        return "-" if value is None else f"{value:.3f}"

    @admin.action(permissions=["change"], description="Re-run the pipeline (risks reviewers' work on pairs not locked)")
    def rerun_pipeline(self, request, queryset):
        """First a page that says what a new run of each story discards and which stories are skipped; then, once
        confirmed, each run goes through the story page's own (alignment.review.rerun): skipped while a job is
        waiting or running, with an entry in the story's history and in the audit log, and here one in the
        admin's history too."""
        chosen = list(queryset.order_by("pk"))
        if not request.POST.get("post"):
            return TemplateResponse(request, "admin/alignment/story/rerun_confirmation.html", {
                **self.admin_site.each_context(request),
                "title": "Re-run the pipeline?",
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "queryset": chosen,
                "previews": rerun_previews(chosen),
            })
        queued, skipped = [], []
        for story in chosen:
            with transaction.atomic():  # the run and every record of it, together
                if review.rerun(story, request.user, "admin", confirmed=True) is None:
                    skipped.append(story)
                    continue
                self.log_change(request, story, "Re-ran the pipeline")
            queued.append(story)
        if queued:
            self.message_user(
                request, f"Queued a new job for {counted(len(queued), 'story', 'stories')}.", messages.SUCCESS,
            )
        if skipped:
            titles = ", ".join(f"“{story.title}”" for story in skipped)
            self.message_user(
                request,
                f"Skipped {counted(len(skipped), 'story', 'stories')} with a job already waiting or running: {titles}.",
                messages.WARNING,
            )

    # Stories are created, deleted (one, or many with the delete action) and re-run here as on the pages: with
    # an entry in the audit log.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(AuditAction.CREATE, obj, request.user, "admin")

    def delete_model(self, request, obj):
        stories.delete_story(obj, request.user, "admin")

    def delete_queryset(self, request, queryset):
        for story in queryset:
            stories.delete_story(story, request.user, "admin")


@admin.register(Document)
class DocumentAdmin(ShownOnTheStoryPage, LinksToStory, admin.ModelAdmin):
    list_display = ["__str__", "story_link", "language", "file_name", "encoding", "length"]
    list_filter = ["language", StoryFilter]
    search_fields = ["story__title", "file_name", "source_url"]
    raw_id_fields = ["story"]
    readonly_fields = ["length", "text_preview"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = {"all": ["css/admin.css"]}  # the Content Security Policy allows no inline style

    def get_queryset(self, request):
        # The texts can be megabytes each: the list needs only their length, the change page a preview.
        return super().get_queryset(request).select_related("story").annotate(length=Length("text")).defer("text")

    def get_fields(self, request, obj=None):
        # Sentence offsets point into the text, so it is entered once and never edited afterwards.
        if obj is None:
            return ["story", "language", "text", "source_url", "file_name", "encoding"]
        return ["story", "language", "source_url", "file_name", "encoding", "length", "text_preview"]

    def get_readonly_fields(self, request, obj=None):
        return ["story", "language", "length", "text_preview"] if obj else []

    @admin.display(description="length", ordering="length")
    def length(self, doc):
        return f"{doc.length:,}"

    @admin.display(description="text")
    def text_preview(self, doc):
        return format_html('<pre class="sverka-text">{}</pre>', Truncator(doc.text).chars(5000))


@admin.register(Job)
class JobAdmin(LinksToStory, admin.ModelAdmin):
    list_display = [
        "__str__", "story_link", "status", "stage", "percent", "attempts", "started", "finished", "error_preview"
    ]
    list_filter = ["status", "enqueued", StoryFilter]
    search_fields = ["story__title", "error"]
    list_select_related = ["story"]
    raw_id_fields = ["story"]
    readonly_fields = ["created", "started", "finished", "heartbeat", "worker"]

    @admin.display(description="progress", ordering="progress")
    def percent(self, job):
        return f"{job.percent}%"

    @admin.display(description="error")
    def error_preview(self, job):
        return preview(job.error)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, to read: no one adds, changes or deletes an entry here, a superuser neither."""

    list_display = ["when", "username", "action", "object_type", "object_code", "via", "title"]
    list_filter = ["action", "via", "object_type", "when"]
    search_fields = ["username", "object_code"]
    date_hierarchy = "when"
    fields = ["when", "user", "username", "action", "object_type", "object_code", "via", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="title")
    def title(self, entry):
        return preview(str(entry.summary.get("title", "")))
