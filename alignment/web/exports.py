"""The story's exports as downloads, and its divergence report as a page to print. The same access rules as the
story page: the owner only; anyone else gets a 404."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from alignment import exports
from alignment.models import Verdict
from alignment.web.access import get_story_for_user

NOT_DONE = "This story has no results to export yet: wait until it is processed, then try again."


def download(export: exports.Export) -> HttpResponse:
    """The export as an attachment, named after the story (RFC 6266: an ASCII name, and the UTF-8 one)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment(export.filename, export.ascii_filename)
    return response


def attachment(filename: str, ascii_filename: str) -> str:
    """A Content-Disposition for a download: the ASCII name for every client, and the UTF-8 one for those that
    read it, when the two differ."""
    disposition = f'attachment; filename="{ascii_filename}"'
    if filename != ascii_filename:
        disposition += f"; filename*=utf-8''{quote(filename)}"
    return disposition


@login_required
def story_export(request, code, fmt):
    story = get_story_for_user(request, code)
    if fmt not in exports.FORMATS:
        raise Http404(f"No export format {fmt!r}.")
    if not story.results_ready():
        return HttpResponse(NOT_DONE, status=409, content_type="text/plain; charset=utf-8")
    return download(exports.export(story, fmt))


@login_required
def story_report(request, code):
    """The divergences with their verdicts and notes, on a page made for printing (and without JavaScript)."""
    story = get_story_for_user(request, code)
    if not story.results_ready():
        return HttpResponse(NOT_DONE, status=409, content_type="text/plain; charset=utf-8")
    rows = exports.load(story)
    report = exports.report_rows(rows)
    return render(request, "stories/report.html", {
        "story": story,
        "exported": rows.exported,
        "pair_count": len(rows.pairs),
        "rows": report,
        "counts": exports.report_counts(report),
        "verdicts": Verdict.labels,
    })
