"""The pages. Thin function views over the services: each serves its full page, or for an htmx request only
the fragment that changed, from the same context."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from alignment import samples, services
from alignment.forms import UploadForm
from alignment.models import Divergence, DivergenceKind, Job, JobStatus, Language, Sentence, Story

PAIRS_PER_PAGE = 100
STORIES_PER_PAGE = 50
# What the alignment table can show: every pair, the divergent ones, or those with one kind of divergence.
FILTERS = {"all": "All pairs", "divergent": "Divergent only", **dict(DivergenceKind.choices)}

# Job.stage values, in words for people.
STAGE_LABELS = {
    "segment": "Splitting sentences",
    "embed": "Embedding",
    "align": "Aligning",
    "diverge": "Finding divergences",
    "save": "Saving",
}


def _get_story_for_user(request, code) -> Story:
    """The story, if the user owns it. Anyone else gets a 404, so the page does not reveal that it exists."""
    return get_object_or_404(Story, code=code, owner=request.user)


def _wants_fragment(request) -> bool:
    # A history restore after a cache miss needs the whole page, although htmx may send HX-Request with it.
    return bool(request.htmx) and not request.htmx.history_restore_request and not request.htmx.boosted


def _render(request, page: str, fragment: str, context: dict):
    response = render(request, fragment if _wants_fragment(request) else page, context)
    # The same URL answers with a page or a fragment: a cache must not hand one out for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _kind_counts(stats: dict) -> list[tuple[str, str, int]]:
    """(kind, label, count) for each kind the story has, in the order of DivergenceKind."""
    counts = stats.get("divergences") or {}
    return [(kind, label, counts[kind]) for kind, label in DivergenceKind.choices if counts.get(kind)]


# ---------------------------------------------------------------------------------------------------- My stories


@dataclass(frozen=True)
class StoryRow:
    story: Story
    job: Job | None
    kinds: list[tuple[str, str, int]]


@login_required
def story_list(request):
    query = request.GET.get("q", "").strip()
    latest_job = Job.objects.filter(story=OuterRef("pk")).order_by("-created").values("pk")[:1]
    stories = request.user.stories.annotate(latest_job_id=Subquery(latest_job)).order_by("-created")
    if query:
        stories = stories.filter(title__icontains=query)
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    # One query for the jobs of the whole page, however many stories it shows.
    jobs = Job.objects.in_bulk([s.latest_job_id for s in page if s.latest_job_id])
    rows = [StoryRow(s, jobs.get(s.latest_job_id), _kind_counts(s.stats)) for s in page]
    context = {
        "rows": rows,
        "page": page,
        "query": query,
        "has_any": bool(rows) or request.user.stories.exists(),
    }
    return _render(request, "stories/story_list.html", "stories/_story_results.html", context)


# ---------------------------------------------------------------------------------------------------- Upload


@login_required
def upload(request):
    sample = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            en, ru = form.sides()
            story = services.create_story(request.user, form.cleaned_data["title"], en, ru)
            messages.success(request, "Story saved. Sverka is comparing the two versions now.")
            return redirect(story)
    elif request.GET.get("sample"):
        sample = samples.sample_story()
        form = UploadForm(initial={"title": sample.title, "en_text": sample.en, "ru_text": sample.ru})
    else:
        form = UploadForm()
    return render(request, "stories/upload.html", {"form": form, "sample": sample})


# ---------------------------------------------------------------------------------------------------- One story


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str  # "" outside every divergent span
    label: str


@dataclass(frozen=True)
class MarkedSentence:
    number: int  # 1-based, as people count
    pieces: list[Piece]


@dataclass(frozen=True)
class Flag:
    kind: str
    label: str
    reason: str
    severity: float
    level: int  # 1 (cosmetic) .. 3 (the versions plainly disagree)


@dataclass(frozen=True)
class Row:
    order: int
    en: list[MarkedSentence]
    ru: list[MarkedSentence]
    flags: list[Flag]

    @property
    def kind(self) -> str:
        """The kind of the most severe divergence, which colours the row."""
        return self.flags[0].kind if self.flags else ""


def _marked(sentence: Sentence, divergences: list[Divergence]) -> MarkedSentence:
    """The sentence's text cut at the edges of the divergent spans inside it. Spans are offsets into the
    whole document, so each is clipped to the sentence and shifted to start at 0. Where spans overlap the
    most severe divergence wins (``divergences`` come most severe first)."""
    text = sentence.text
    marks = []
    for d in divergences:
        for start, end in d.en_spans if sentence.language == Language.EN else d.ru_spans:
            a, b = max(start, sentence.start) - sentence.start, min(end, sentence.end) - sentence.start
            if a < b:
                marks.append((a, b, d.kind))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces: list[Piece] = []
    for a, b in pairwise(cuts):
        kind = next((k for start, end, k in marks if start <= a and b <= end), "")
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(pieces[-1].text + text[a:b], kind, pieces[-1].label)
        else:
            pieces.append(Piece(text[a:b], kind, DivergenceKind(kind).label if kind else ""))
    return MarkedSentence(sentence.index + 1, pieces)


def _severity_level(severity: float) -> int:
    return 1 if severity < 0.34 else 2 if severity < 0.67 else 3


def _row(pair) -> Row:
    divergences = list(pair.divergences.all())
    sentences = pair.sentences.all()  # prefetched in language, then index order
    return Row(
        order=pair.order + 1,
        en=[_marked(s, divergences) for s in sentences if s.language == Language.EN],
        ru=[_marked(s, divergences) for s in sentences if s.language == Language.RU],
        flags=[
            Flag(d.kind, d.get_kind_display(), d.reason, d.severity, _severity_level(d.severity))
            for d in divergences
        ],
    )


def _filter(request) -> str:
    value = request.GET.get("filter", "all")
    return value if value in FILTERS else "all"


def _alignment_context(request, story: Story) -> dict:
    """The filtered, paginated pairs of a processed story, with everything the rows show, in a fixed number
    of queries: the page's pairs, their sentences and their divergences."""
    filter_ = _filter(request)
    pairs = story.pairs.order_by("order")
    if filter_ == "divergent":
        pairs = pairs.filter(Exists(Divergence.objects.filter(pair=OuterRef("pk"))))
    elif filter_ != "all":
        pairs = pairs.filter(Exists(Divergence.objects.filter(pair=OuterRef("pk"), kind=filter_)))
    pairs = pairs.prefetch_related(
        Prefetch("sentences", queryset=Sentence.objects.order_by("language", "index")),
        Prefetch("divergences", queryset=Divergence.objects.order_by("-severity", "pk")),
    )
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    counts = story.stats.get("divergences") or {}
    return {
        "filters": [(value, label, counts.get(value)) for value, label in FILTERS.items()],
        "kind_counts": _kind_counts(story.stats),
        "divergence_total": story.divergence_total(),
        "page": page,
        "rows": [_row(pair) for pair in page],
    }


def _story_context(request, story: Story) -> dict:
    job = story.latest_job
    documents = {d.language: d for d in story.documents.defer("text")}
    context = {
        "story": story,
        "job": job,
        "stage_label": STAGE_LABELS.get(job.stage, "") if job else "",
        "en_document": documents.get(Language.EN),
        "ru_document": documents.get(Language.RU),
        "filter": _filter(request),
    }
    if job and job.status == JobStatus.DONE:
        context.update(_alignment_context(request, story))
    return context


@login_required
def story_detail(request, code):
    story = _get_story_for_user(request, code)
    return _render(request, "stories/story_detail.html", "stories/_story_state.html", _story_context(request, story))


@login_required
def story_status(request, code):
    """What the progress region polls. While the job is queued or running: the region again, still polling.
    Once it is done or failed: 286, which stops the polling, with the final region (results or the error)
    that htmx swaps in place of the progress bar."""
    story = _get_story_for_user(request, code)
    context = _story_context(request, story)
    job = context["job"]
    if not _wants_fragment(request) or (job and job.is_active):
        return _render(request, "stories/story_detail.html", "stories/_story_state.html", context)
    return HttpResponseStopPolling(render_to_string("stories/_story_state.html", context, request))


@login_required
def story_pairs(request, code):
    """The alignment table. For htmx: the first page comes with its filters and header (a filter was
    chosen); a later page is only its rows and the next "Load more" row, added where that row was."""
    story = _get_story_for_user(request, code)
    context = _story_context(request, story)
    if "page" not in context:  # not processed (yet): the region that says why
        fragment = "stories/_story_state.html"
    elif context["page"].number > 1:
        fragment = "stories/_pair_rows.html"
    else:
        fragment = "stories/_alignment.html"
    return _render(request, "stories/story_detail.html", fragment, context)


@login_required
@require_POST
def story_retry(request, code):
    story = _get_story_for_user(request, code)
    job = story.latest_job
    if job is None or not job.is_active:  # a second click must not queue a second job
        services.rerun(story)
    if _wants_fragment(request):
        return render(request, "stories/_story_state.html", _story_context(request, story))
    return redirect(story)


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request, code):
    story = _get_story_for_user(request, code)
    if request.method == "POST":
        story.delete()
        messages.success(request, f"Deleted “{story.title}”.")
        return redirect("stories")
    return render(request, "stories/story_delete.html", {"story": story})
