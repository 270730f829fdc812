"""The admins of what a run produced and the story page shows: sentences, pairs and divergences."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q

from alignment.admin.shared import (
    DocumentStoryFilter, KindsFilter, LinksToStory, ListedInline, PairStoryFilter, ShownOnTheStoryPage, StoryFilter, admin_link,
    preview,
)
from alignment.models import Divergence, Language, Pair, Sentence
from alignment.pipeline.recurring import furniture_key


@admin.register(Sentence)
class SentenceAdmin(ShownOnTheStoryPage, admin.ModelAdmin):
    list_display = ["document_link", "language", "index", "text_preview", "translation_preview", "pair_link"]
    list_filter = ["language", DocumentStoryFilter]
    search_fields = ["text", "translation"]
    list_select_related = ["document__story", "pair"]
    raw_id_fields = ["document", "pair"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related).defer("document__text")

    def save_model(self, request, obj, form, change):
        obj.key = furniture_key(obj.text)  # what its collections count their furniture by follows the text
        super().save_model(request, obj, form, change)

    @admin.display(description="document", ordering="document")
    def document_link(self, sentence):
        return admin_link(sentence.document)

    @admin.display(description="text")
    def text_preview(self, sentence):
        return preview(sentence.text)

    @admin.display(description="machine translation")
    def translation_preview(self, sentence):
        return preview(sentence.translation) or "-"

    @admin.display(description="pair", ordering="pair__order")
    def pair_link(self, sentence):
        return admin_link(sentence.pair, f"#{sentence.pair.order}") if sentence.pair else "-"


class DivergenceInline(ListedInline):
    """A pair's divergences; staff may give a verdict here. None is deleted: the pair's denormalised kinds would
    go stale."""

    model = Divergence
    fields = ["kind", "severity", "reason", "verdict", "category", "note"]
    editable = ("verdict", "category", "note")


@admin.register(Pair)
class PairAdmin(ShownOnTheStoryPage, LinksToStory, admin.ModelAdmin):
    list_display = ["__str__", "story_link", "order", "shape", "score", "similarity", "kinds", "manual"]
    list_filter = [KindsFilter, "manual", StoryFilter]
    search_fields = ["story__title"]
    raw_id_fields = ["story"]
    readonly_fields = ["story_link", "shape", "english", "russian"]
    inlines = [DivergenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("story").annotate(
            en_count=Count("sentences", filter=Q(sentences__language=Language.EN)),
            ru_count=Count("sentences", filter=Q(sentences__language=Language.RU)),
        )

    @admin.display(description="shape")
    def shape(self, pair):
        return f"{pair.en_count}-{pair.ru_count}"

    @admin.display(description=Language.EN.label)
    def english(self, pair):
        return self._side(pair, Language.EN)

    @admin.display(description=Language.RU.label)
    def russian(self, pair):
        return self._side(pair, Language.RU)

    def _side(self, pair, language):
        sentences = pair.sentences.filter(language=language).order_by("index")
        return " ".join(s.text for s in sentences) or "-"


@admin.register(Divergence)
class DivergenceAdmin(ShownOnTheStoryPage, admin.ModelAdmin):
    list_display = [
        "__str__", "pair_link", "story_link", "kind", "severity", "verdict", "category", "reviewed_by",
        "reviewed_at", "reason_preview",
    ]
    list_filter = ["kind", "verdict", "category", PairStoryFilter]
    search_fields = ["reason", "note"]
    list_select_related = ["pair__story", "reviewed_by"]
    raw_id_fields = ["pair", "reviewed_by"]
    readonly_fields = ["story_link", "en_spans", "ru_spans", "reviewed_at"]

    @admin.display(description="pair", ordering="pair__order")
    def pair_link(self, divergence):
        return admin_link(divergence.pair, f"#{divergence.pair.order}")

    @admin.display(description="story", ordering="pair__story__title")
    def story_link(self, divergence):
        return admin_link(divergence.pair.story)

    @admin.display(description="reason")
    def reason_preview(self, divergence):
        return preview(divergence.reason)
