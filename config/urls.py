from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from alignment.ops import health
from alignment.web import exports as export_views, map as simmap_views, rows as views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="stories", permanent=False), name="home"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new/", views.upload, name="upload"),
    path("stories/<uuid:code>/", views.story_detail, name="story"),
    path("stories/<uuid:code>/status/", views.story_status, name="story_status"),
    path("stories/<uuid:code>/pairs/", views.story_pairs, name="story_pairs"),
    path("stories/<uuid:code>/retry/", views.story_retry, name="story_retry"),
    path("stories/<uuid:code>/delete/", views.story_delete, name="story_delete"),
    path("stories/<uuid:code>/rerun/", views.story_rerun, name="story_rerun"),
    path("stories/<uuid:code>/correct/", views.story_correct, name="story_correct"),
    path("stories/<uuid:code>/undo/", views.story_undo, name="story_undo"),
    path("stories/<uuid:code>/verdict/", views.story_verdict, name="story_verdict"),
    path("stories/<uuid:code>/passage-verdict/", views.story_passage_verdict, name="story_passage_verdict"),
    path("stories/<uuid:code>/progress/", views.story_progress, name="story_progress"),
    path("stories/<uuid:code>/history/", views.story_history, name="story_history"),
    path("stories/<uuid:code>/export/<slug:fmt>/", export_views.story_export, name="story_export"),
    path("stories/<uuid:code>/report/", export_views.story_report, name="story_report"),
    path("stories/<uuid:code>/map/", simmap_views.story_similarity_map, name="story_similarity_map"),
    path("stories/<uuid:code>/map.png", simmap_views.story_similarity_png, name="story_similarity_png"),
    path("stories/<uuid:code>/pairs/<int:number>/", simmap_views.story_pair, name="story_pair"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("alignment.api.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
