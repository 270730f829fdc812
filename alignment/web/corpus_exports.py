"""A collection's exports as downloads that stream: the file is written story by story as it is sent, so neither
memory nor the wait before the first byte grows with the collection. The owner only; anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse

from alignment.corpus import exports as corpus_exports
from alignment.web.access import get_collection_for_user
from alignment.web.exports import attachment

# How many stories the file holds, and how many of the collection's it leaves out for want of results: the file
# itself says nothing of those, so that it stays a clean corpus.
STORIES_HEADER = "X-Sverka-Stories"
SKIPPED_HEADER = "X-Sverka-Skipped-Stories"


def stream(export: corpus_exports.CorpusExport) -> StreamingHttpResponse:
    """The export as an attachment named after the collection, sent as it is written."""
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = attachment(export.filename, export.ascii_filename)
    response[STORIES_HEADER] = str(export.stories)
    response[SKIPPED_HEADER] = str(export.skipped)
    return response


@login_required
def collection_export(request, code, fmt):
    collection = get_collection_for_user(request, code)
    if fmt not in corpus_exports.FORMATS:
        raise Http404(f"No export format {fmt!r}.")
    return stream(corpus_exports.export(collection, fmt))
