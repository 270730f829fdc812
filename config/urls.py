from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from alignment.ops import health
from alignment.web import (
    collections, corpus_exports, corpus_report, corpus_search, exports, furniture, glossary, review, sharing, stories,
    story,
)
from alignment.web import map as similarity_map

# A names glossary's pages: a user's own under glossary/, a collection's under collections/<code>/glossary/.
GLOSSARY_PAGES = [
    ("", glossary.glossary, "glossary"),
    ("import/", glossary.glossary_import, "glossary_import"),
    ("recheck/", glossary.glossary_recheck, "glossary_recheck"),
    ("export/<slug:fmt>/", glossary.glossary_export, "glossary_export"),
    ("<uuid:entry>/", glossary.glossary_entry, "glossary_entry"),
    ("<uuid:entry>/delete/", glossary.glossary_entry_delete, "glossary_entry_delete"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="stories", permanent=False), name="home"),
    path("stories/", stories.story_list, name="stories"),
    path("stories/new/", stories.upload, name="upload"),
    path("stories/<uuid:code>/", story.story_detail, name="story"),
    path("stories/<uuid:code>/status/", story.story_status, name="story_status"),
    path("stories/<uuid:code>/pairs/", story.story_pairs, name="story_pairs"),
    path("stories/<uuid:code>/retry/", story.story_retry, name="story_retry"),
    path("stories/<uuid:code>/delete/", story.story_delete, name="story_delete"),
    path("stories/<uuid:code>/rerun/", story.story_rerun, name="story_rerun"),
    path("stories/<uuid:code>/correct/", review.story_correct, name="story_correct"),
    path("stories/<uuid:code>/undo/", review.story_undo, name="story_undo"),
    path("stories/<uuid:code>/verdict/", review.story_verdict, name="story_verdict"),
    path("stories/<uuid:code>/lock/", review.story_lock, name="story_lock"),
    path("stories/<uuid:code>/passage-verdict/", review.story_passage_verdict, name="story_passage_verdict"),
    path("stories/<uuid:code>/progress/", story.story_progress, name="story_progress"),
    path("stories/<uuid:code>/history/", story.story_history, name="story_history"),
    path("stories/<uuid:code>/export/<slug:fmt>/", exports.story_export, name="story_export"),
    path("stories/<uuid:code>/report/", exports.story_report, name="story_report"),
    path("stories/<uuid:code>/map/", similarity_map.story_similarity_map, name="story_similarity_map"),
    path("stories/<uuid:code>/map.png", similarity_map.story_similarity_png, name="story_similarity_png"),
    path("stories/<uuid:code>/pairs/<int:number>/", similarity_map.story_pair, name="story_pair"),
    path("stories/<uuid:code>/collections/", collections.story_collections, name="story_collections"),
    path("stories/<uuid:code>/share/", sharing.story_share, name="story_share"),
    path("stories/<uuid:code>/share/<uuid:link>/revoke/", sharing.share_revoke, name="share_revoke"),
    path("stories/<uuid:code>/evidence/", sharing.story_evidence, name="story_evidence"),
    # A shared link: no login, the token its only key (alignment.sharing).
    path("shared/<str:token>/", sharing.shared, name="shared"),
    path("shared/<str:token>/print/", sharing.shared_print, name="shared_print"),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<uuid:code>/", collections.collection_detail, name="collection"),
    path("collections/<uuid:code>/edit/", collections.collection_edit, name="collection_edit"),
    path("collections/<uuid:code>/delete/", collections.collection_delete, name="collection_delete"),
    path("collections/<uuid:code>/import/", collections.collection_import, name="collection_import"),
    path("collections/<uuid:code>/furniture/", furniture.collection_furniture, name="collection_furniture"),
    path("collections/<uuid:code>/furniture/<int:entry_id>/", furniture.collection_furniture_entry,
         name="collection_furniture_entry"),
    *(path(f"collections/<uuid:code>/glossary/{route}", view, name=f"collection_{name}")
      for route, view, name in GLOSSARY_PAGES),
    *(path(f"glossary/{route}", view, name=name) for route, view, name in GLOSSARY_PAGES),
    path("glossary/rechecks/<uuid:recheck>/", glossary.glossary_recheck_progress, name="glossary_recheck_progress"),
    path("stories/<uuid:code>/glossary/", glossary.story_glossary, name="story_glossary"),
    path("imports/<uuid:code>/", collections.import_detail, name="import"),
    path("collections/<uuid:code>/export/<slug:fmt>/", corpus_exports.collection_export, name="collection_export"),
    path("collections/<uuid:code>/report/", corpus_report.collection_report, name="collection_report"),
    path("collections/<uuid:code>/search/", corpus_search.collection_search, name="collection_search"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("alignment.api.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
