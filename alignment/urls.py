from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from alignment import health, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="stories", permanent=False), name="home"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new/", views.upload, name="upload"),
    path("stories/<uuid:code>/", views.story_detail, name="story"),
    path("stories/<uuid:code>/status/", views.story_status, name="story_status"),
    path("stories/<uuid:code>/pairs/", views.story_pairs, name="story_pairs"),
    path("stories/<uuid:code>/retry/", views.story_retry, name="story_retry"),
    path("stories/<uuid:code>/delete/", views.story_delete, name="story_delete"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("alignment.api")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
