"""The API's routes in one "api" namespace: the stories' and their exports' under /api/stories/<id>/, the
collections' (their stories, imports, export and report) under /api/collections/<id>/, an import's under
/api/imports/<id>/."""

from alignment.api import collections, collections_export, collections_report, export, views

app_name = "api"

urlpatterns = (
    views.urlpatterns + export.urlpatterns + collections_export.urlpatterns + collections_report.urlpatterns
    + collections.urlpatterns
)
