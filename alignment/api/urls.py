"""The API's routes in one "api" namespace: the stories' and their exports' under /api/stories/<id>/, a collection's
export and report under /api/collections/<id>/."""

from alignment.api import collections_export, collections_report, export, views

app_name = "api"

urlpatterns = views.urlpatterns + export.urlpatterns + collections_export.urlpatterns + collections_report.urlpatterns
