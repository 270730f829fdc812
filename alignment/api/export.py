"""``GET /api/stories/<id>/export/?format=tmx|tsv|json|csv``: the story page's downloads, for API clients.

The answer is the file, whatever the request's Accept header says (curl and scripts often send none or a
vague one); only the errors are JSON.
"""

from __future__ import annotations

from django.urls import path
from rest_framework import status
from rest_framework.decorators import api_view, content_negotiation_class
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from alignment import exports
from alignment.api.views import get_story, status_of
from alignment.web.exports import download


class JSONErrorsWhateverTheAccept(BaseContentNegotiation):
    """Renders errors with the first renderer (JSON) instead of answering 406 to ``Accept: text/csv``."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def unknown_format(name: str, formats) -> Response:
    """The 400 for a ``?format=`` that is missing or none of ``formats``, naming those there are."""
    allowed = ", ".join(formats)
    given = f"Unknown export format {name!r}" if name else "No export format given"
    return Response(
        {"detail": f"{given}. Add ?format= with one of: {allowed}.", "allowed": list(formats)},
        status=status.HTTP_400_BAD_REQUEST,
    )


@api_view(["GET"])
@content_negotiation_class(JSONErrorsWhateverTheAccept)
def story_export(request, code):
    story = get_story(request, code)
    name = request.query_params.get("format", "")
    if name not in exports.FORMATS:
        return unknown_format(name, exports.FORMATS)
    job = story.latest_job()
    if not story.results_ready(job):
        state = status_of(job and job.status)
        return Response(
            {"status": state, "detail": f"The story has no results to export (status: {state}). Poll its "
             "status and export once it is done; a failed story can be run again with POST to its retry/ URL."},
            status=status.HTTP_409_CONFLICT,
        )
    return download(exports.export(story, name))


urlpatterns = [
    path("stories/<str:code>/export/", story_export, name="story_export"),
]
