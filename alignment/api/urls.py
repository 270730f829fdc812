"""The API's routes and the export's, all under /api/stories/<id>/, in one "api" namespace."""

from alignment.api import collections, export, views

app_name = "api"

urlpatterns = views.urlpatterns + export.urlpatterns + collections.urlpatterns
