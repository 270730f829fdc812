"""One story's page: its state while the job runs (polled until it is done or failed), then the alignment table
and the review around it (progress, filter chips, history); running it again, and deleting it."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from alignment import review, stories, translation
from alignment.models import Collection, DivergenceKind, Edit, Job, Language, Story
from alignment.pipeline.passages import ONE_SIDED
from alignment.results import StoredPassage, load_results
from alignment.web.access import get_story_and_job, get_story_for_user, wants_fragment
from alignment.web.cache import CSRF_PLACEHOLDER, cached, csrf_token, templates_digest, with_csrf_token
from alignment.web.filters import FILTERS, VERDICT_FILTERS, chosen_filter, show_glosses
from alignment.web.rows import ROWS_TEMPLATES, RowsPage, rows_choice, rows_page, story_passages

HISTORY_LENGTH = 100  # the latest edits the story page lists

PAGE = "stories/_story_page.html"  # the story page inside the site's frame (stories/story_detail.html)
# Every template the parts of the story page render (story_part): a change to any of them makes new keys.
PAGE_TEMPLATES = (
    PAGE, "stories/_exports.html", "sharing/_story_links.html", "collections/_story_collections.html", "stories/_similarity_map.html",
    "stories/_story_state.html", "stories/_job_status.html", "stories/_rerun_form.html", "stories/_alignment.html",
    "stories/_review_progress.html", "stories/_filters.html", "stories/_pairs_head.html", "stories/_history.html",
    "stories/_history_list.html", "stories/_keys_help.html", *ROWS_TEMPLATES,
)

# Job.stage values, in words for people.
STAGE_LABELS = {
    "read": "Reading the uploaded file",
    "segment": "Splitting sentences",
    "translate": "Translating",
    "embed": "Embedding",
    "align": "Aligning",
    "diverge": "Finding divergences",
    "save": "Saving",
}


def kind_counts(stats: dict) -> list[tuple[str, str, int]]:
    """(kind, label, count) for each kind the story has, in the order of DivergenceKind."""
    counts = stats.get("divergences") or {}
    return [(kind, label, counts[kind]) for kind, label in DivergenceKind.choices if counts.get(kind)]


def _passage_count(kind: str, passages: tuple[StoredPassage, ...]) -> str:
    """How a one-sided kind is counted: "1 passage, 3 sentences". Empty when no passage is of that kind (its
    divergences all ride on passages of another kind), and for the other kinds."""
    found = [p.passage for p in passages if p.passage.kind == kind]
    if kind not in ONE_SIDED or not found:
        return ""
    sentences = sum(p.sentences for p in found)
    return f"{len(found)} passage{pluralize(len(found))}, {sentences} sentence{pluralize(sentences)}"


def _kind_summaries(story: Story) -> list[tuple[str, str]]:
    """(kind, what its badge says) for each kind the story has: "Number 2", "Boilerplate: 2 passages, 22
    sentences"."""
    passages = story_passages(story)
    return [
        (kind, f"{label}: {counted}" if (counted := _passage_count(kind, passages)) else f"{label} {count}")
        for kind, label, count in kind_counts(story.stats)
    ]


@dataclass(frozen=True)
class Chip:
    value: str
    label: str
    count: int | None
    group: str  # "pairs", "kind" or "verdict"
    passages: str = ""  # for a one-sided kind: "2 passages, 22 sentences", in place of the count


def _chips(story: Story, progress: review.Progress) -> list[Chip]:
    counts = story.stats.get("divergences") or {}
    passages = story_passages(story)
    return [
        Chip(value, label, counts.get(value), "kind", _passage_count(value, passages)) if value in DivergenceKind.values
        else Chip(value, label, progress.by_verdict[VERDICT_FILTERS[value]], "verdict") if value in VERDICT_FILTERS
        else Chip(value, label, None, "pairs")
        for value, label in FILTERS.items()
    ]


def _review_context(request, story: Story, progress: review.Progress | None = None) -> dict:
    """What the review progress and the filter chips show."""
    progress = progress or review.progress(story)
    return {"filter": chosen_filter(request), "progress": progress, "filters": _chips(story, progress)}


def _alignment_context(request, story: Story, job: Job, rows: RowsPage | None = None) -> dict:
    """The table of a processed story (``rows``, when they are at hand) and the review's state around it, both from
    the cache while the story does not change."""
    rows = rows or rows_page(request, story, job)
    progress, lost, undoable = _review_state(story, job)
    return {
        **_review_context(request, story, progress),
        "kind_counts": _kind_summaries(story),
        "divergence_total": story.divergence_total(),
        "rows_page": rows,
        "rows_html": rows.html(request),
        "glosses": show_glosses(request),
        # Where a change made in the table comes back to: the same filter, as many pages.
        "here": urlencode({"filter": chosen_filter(request), "pages": rows.number}),
        "undoable": undoable,
        "lost": lost,
        "edits": _history(story),  # lazy: queried only where the page shows the history
    }


def _review_state(story: Story, job: Job) -> tuple[review.Progress, review.LostWork, Edit | None]:
    """The review's progress, what running the story again would put at risk, and the correction an Undo would
    take back. The same until the next change, like the rows: kept per version of the story."""

    def make():
        stack = review.undo_stack(story, job)
        return *review.progress_and_risk(story), stack[0] if stack else None

    return cached(f"sverka.review.{story.code}.{story.version}.{job.pk}", make)


def story_context(request, story: Story, job: Job | None = None, rows: RowsPage | None = None) -> dict:
    """What the story page and its fragments show: the story's state and, once it is processed, the table and the
    review around it."""
    job = job or story.latest_job()
    # Only the full page shows the documents (the template calls these): a fragment never queries them.
    documents = functools.cache(lambda: {d.language: d for d in story.documents.defer("text")})
    context = {
        "story": story,
        "job": job,
        "stage_label": STAGE_LABELS.get(job.stage, "") if job else "",
        "en_document": lambda: documents().get(Language.EN),
        "ru_document": lambda: documents().get(Language.RU),
        "filter": chosen_filter(request),
    }
    if story.results_ready(job):
        context.update(_alignment_context(request, story, job, rows))
        if story.translation_skipped:
            # What to do next depends on the set-up now, not on what it was when the story ran.
            context["translation_now"] = translation.status()
    return context


def _history(story: Story):
    return story.edits.select_related("user").defer("payload")[:HISTORY_LENGTH]


def story_part(request, story: Story, job: Job | None, template: str) -> bytes:
    """``template``, a part of the story page, for the request, in UTF-8. Once the story is processed, each part is
    rendered once and kept in the cache, under everything it shows: the story's version (a change to its results,
    reviews or history makes a new one: Story.bump_version) and its last save, its job, the rows the request shows,
    the owner's collections (on the whole page), the state of translation (for a story that ran without), and the
    templates. Its forms get the request's CSRF token."""
    owned = _collections(request, story) if template == PAGE else []  # only the whole page lists them
    collections = {"collections_in": [c for c in owned if c.member],
                   "collections_out": [c for c in owned if not c.member]}
    if not story.results_ready(job):
        return render_to_string(template, {**story_context(request, story, job), **collections}, request).encode()
    results = functools.cache(lambda: load_results(story))  # read at most once, and only on a miss
    choice = rows_choice(request, story, job, results)
    translation_now = translation.status() if story.translation_skipped else None
    vary = repr((template, request.user.pk, story.updated, choice, translation_now,
                 [(c.code, c.name, c.member) for c in owned], templates_digest(PAGE_TEMPLATES)))

    def render_part():
        rows = rows_page(request, story, job, choice, results)
        context = {**story_context(request, story, job, rows), **collections, "csrf_token": CSRF_PLACEHOLDER}
        context["rows_html"] = mark_safe(rows.markup.decode())  # with the placeholder too, not this request's token
        return render_to_string(template, context).encode()

    key = f"sverka.story-part.{story.code}.{story.version}.{job.pk}.{hashlib.md5(vary.encode()).hexdigest()}"
    return with_csrf_token(request, cached(key, render_part))


def _collections(request, story: Story) -> list[Collection]:
    """The owner's collections, each knowing whether the story is in it (``member``), in one query."""
    member = Collection.stories.through.objects.filter(collection=OuterRef("pk"), story=story)
    return list(request.user.collections.annotate(member=Exists(member)).order_by("name"))


# Where the story page goes in the site's frame: put in as bytes, it is never decoded. A story's title, which the frame
# shows too, reaches the HTML escaped: it cannot hold this.
_PAGE_GOES_HERE = mark_safe("<!-- the story page -->")


def _story_response(request, story: Story, job: Job | None, fragment: str) -> HttpResponse:
    """The story page, or for htmx only its ``fragment``."""
    if wants_fragment(request):
        response = HttpResponse(story_part(request, story, job, fragment))
    else:
        page = story_part(request, story, job, PAGE)
        # The frame's forms and htmx header take the token the page's forms have: it is masked once per request.
        context = {"story": story, "story_page": _PAGE_GOES_HERE, "csrf_token": csrf_token(request)}
        before, after = render_to_string("stories/story_detail.html", context, request).encode().split(
            _PAGE_GOES_HERE.encode()
        )
        response = HttpResponse(b"".join((before, page, after)))
    # The same URL answers with a page or a fragment: a cache must not hand one out for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def story_detail(request, code):
    story, job = get_story_and_job(request, code)
    return _story_response(request, story, job, "stories/_story_state.html")


@login_required
def story_status(request, code):
    """What the progress region polls. While the job is queued or running: the region again, still polling.
    Once it is done or failed: 286, which stops the polling, with the final region (results or the error)
    that htmx swaps in place of the progress bar."""
    story, job = get_story_and_job(request, code)
    if not wants_fragment(request) or (job and job.is_active):
        return _story_response(request, story, job, "stories/_story_state.html")
    return HttpResponseStopPolling(story_part(request, story, job, "stories/_story_state.html"))


@login_required
def story_pairs(request, code):
    """The alignment table. For htmx: the first page comes with its filters and header (a filter was
    chosen); a later page is only its rows and the next "Load more" row, added where that row was."""
    story, job = get_story_and_job(request, code)
    done = story.results_ready(job)
    if done and wants_fragment(request) and "pages" not in request.GET:
        choice = rows_choice(request, story, job)
        if choice.number > 1:  # "Load more": the rows as the cache holds them, and nothing else to look up
            response = HttpResponse(with_csrf_token(request, rows_page(request, story, job, choice).markup))
            patch_vary_headers(response, ["HX-Request"])
            return response
    fragment = "stories/_alignment.html" if done else "stories/_story_state.html"  # else: the region that says why
    return _story_response(request, story, job, fragment)


@login_required
def story_progress(request, code):
    """The review progress, which refreshes itself on the "review-changed" event, with the filter chips and
    their counts, swapped out of band."""
    story = get_story_for_user(request, code)
    if not wants_fragment(request):
        return redirect(story)
    return render(request, "stories/_review_progress.html", {"story": story, "oob": True,
                                                             **_review_context(request, story)})


@login_required
def story_history(request, code):
    """The list of the story's edits, which refreshes itself after every change."""
    story = get_story_for_user(request, code)
    if not wants_fragment(request):
        return redirect(story)
    return render(request, "stories/_history_list.html", {"story": story, "edits": _history(story)})


# ---------------------------------------------------------------------------------------------------- Run again


@login_required
@require_POST
def story_retry(request, code):
    """Queue a new run. While that would discard corrections or verdicts, only with ``confirm=1``: without
    it the answer is the page that asks (for htmx, by sending the browser there)."""
    story = get_story_for_user(request, code)
    try:
        review.rerun(story, request.user, "page", confirmed=request.POST.get("confirm") == "1")
    except review.ConfirmationNeeded as exc:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("story_rerun", args=[story.code]))
        return render(request, "stories/story_rerun.html", {"story": story, "lost": exc.lost, "refused": True},
                      status=409)
    if wants_fragment(request):
        return render(request, "stories/_story_state.html", story_context(request, story))
    return redirect(story)


@login_required
def story_rerun(request, code):
    """The page that asks before running a story again, saying what that discards."""
    story = get_story_for_user(request, code)
    return render(request, "stories/story_rerun.html", {"story": story, "lost": review.lost_work(story)})


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request, code):
    story = get_story_for_user(request, code)
    if request.method == "POST":
        stories.delete_story(story, request.user, "page")
        messages.success(request, f"Deleted “{story.title}”.")
        return redirect("stories")
    return render(request, "stories/story_delete.html", {"story": story})
