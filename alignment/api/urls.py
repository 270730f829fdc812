"""The API's routes, the story export's and the collection export's, in one "api" namespace."""

from alignment.api import collections, collections_export, export, views

app_name = "api"

urlpatterns = views.urlpatterns + export.urlpatterns + collections.urlpatterns + collections_export.urlpatterns
