"""The API's routes in one "api" namespace: the stories' and their exports' under /api/stories/<id>/, a collection's
report under /api/collections/<id>/report/."""

from alignment.api import collections_report, export, views

app_name = "api"

urlpatterns = views.urlpatterns + export.urlpatterns + collections_report.urlpatterns
