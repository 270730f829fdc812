"""``GET /api/collections/<id>/report/``: a collection's report in numbers (alignment.corpus.report.as_json).

Token or session authentication, as for the rest of the API; another user's collection is a 404, as a story is.
The id is the collection's number (the one ``import_pairs`` prints) or its UUID, as the pages use.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alignment.corpus import report
from alignment.models import Collection
from alignment.web.access import get_collection_for_user
from alignment.web.corpus_report import report_of


def get_collection(request, code: str) -> Collection:
    """The caller's collection, found as the pages find it, with the API's 404."""
    try:
        return get_collection_for_user(request, code)
    except Http404:
        raise NotFound("No collection with this id.") from None


@api_view(["GET"])
def collection_report(request, code):
    return Response(report.as_json(report_of(get_collection(request, code))))


urlpatterns = [
    path("collections/<str:code>/report/", collection_report, name="collection_report"),
]
