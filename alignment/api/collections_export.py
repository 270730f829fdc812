"""``GET /api/collections/<id>/export/?format=jsonl|tmx|csv``: a collection's exports, streamed, for API clients.

As for a story's export, the answer is the file whatever the Accept header says, and only the errors are JSON.
Its headers X-Sverka-Stories and X-Sverka-Skipped-Stories say how many stories the file holds and how many of
the collection's it leaves out, having no results yet (or a failed run).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from rest_framework.decorators import api_view, content_negotiation_class
from rest_framework.exceptions import NotFound

from alignment.api.export import JSONErrorsWhateverTheAccept, unknown_format
from alignment.corpus import exports as corpus_exports
from alignment.web.access import get_collection_for_user
from alignment.web.corpus_exports import stream


@api_view(["GET"])
@content_negotiation_class(JSONErrorsWhateverTheAccept)
def collection_export(request, code):
    try:
        collection = get_collection_for_user(request, code)
    except Http404:
        raise NotFound("No collection with this id.") from None
    name = request.query_params.get("format", "")
    if name not in corpus_exports.FORMATS:
        return unknown_format(name, corpus_exports.FORMATS)
    return stream(corpus_exports.export(collection, name))


urlpatterns = [
    path("collections/<str:code>/export/", collection_export, name="collection_export"),
]
