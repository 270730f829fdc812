"""The pages. Thin function views over the services: each serves its full page, or for an htmx request only
the fragment that changed, from the same context."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.connection import ConnectionProxy
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect, HttpResponseStopPolling, reswap, retarget, trigger_client_event,
)
from redis.exceptions import RedisError

from alignment import audit, review, samples, stories, translation
from alignment.models import (
    AuditAction, Divergence, DivergenceCategory, DivergenceKind, Edit, Job, Language, Pair, Story, Verdict,
)
from alignment.pipeline.passages import ONE_SIDED
from alignment.pipeline.types import Kind
from alignment.results import StoredDivergence, StoredPair, StoredPassage, StoredSentence, StoryResults, load_results
from alignment.web.forms import UploadForm

log = logging.getLogger(__name__)

PAIRS_PER_PAGE = 100
STORIES_PER_PAGE = 50
# The pairs with a divergence that has this verdict.
VERDICT_FILTERS = {"unreviewed": Verdict.PENDING, "confirmed": Verdict.CONFIRMED, "dismissed": Verdict.DISMISSED}
# What the alignment table can show: every pair, the divergent ones, those with one kind of divergence, or
# those with a divergence of one verdict.
FILTERS = {
    "all": "All pairs", "divergent": "Divergent only", **dict(DivergenceKind.choices),
    "unreviewed": "Not reviewed", "confirmed": "Confirmed", "dismissed": "Dismissed",
}
HISTORY_LENGTH = 100  # the latest edits the story page lists
# What the story page caches (its rendered rows and the review's state) stays this long at most: a new version of
# the story replaces it sooner.
CACHE_SECONDS = 600
ROWS_TEMPLATES = (
    "stories/_pair_rows.html", "stories/_pair_row.html", "stories/_passage_row.html", "stories/_row_menu.html",
    "stories/_verdict_form.html", "stories/_sentence_actions.html",
)
# The rows' forms are cached with this in place of the request's CSRF token (RowsPage.html puts that in). No
# story's text can contain value="...": text reaches the HTML escaped, quotes and all.
_CSRF_PLACEHOLDER = "csrf-token-of-the-request"
cache = ConnectionProxy(caches, "pages")  # settings.CACHES: in memory, or Redis

# Job.stage values, in words for people.
STAGE_LABELS = {
    "segment": "Splitting sentences",
    "translate": "Translating",
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
    reviewed = (
        Divergence.objects.filter(pair__story=OuterRef("pk")).exclude(verdict=Verdict.PENDING)
        .order_by().values("pair__story").annotate(n=Count("pk")).values("n")
    )
    owned = request.user.stories.with_latest_job().annotate(reviewed=Coalesce(Subquery(reviewed), 0))
    if query:
        owned = owned.filter(title__icontains=query)
    page = Paginator(owned.order_by("-created"), STORIES_PER_PAGE).get_page(request.GET.get("page"))
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
            story = stories.create_story(request.user, form.cleaned_data["title"], en, ru, via="page")
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
    gloss: str = ""  # the machine translation shown under it, into the other column's language

    @property
    def index(self) -> int:
        return self.number - 1


@dataclass(frozen=True)
class Flag:
    pk: int
    kind: str
    label: str
    reason: str
    severity: float
    level: int  # 1 (cosmetic) .. 3 (the versions plainly disagree)
    verdict: str
    verdict_label: str
    category: str
    category_label: str
    note: str
    reviewer: str
    reviewed_at: object

    @property
    def reviewed(self) -> bool:
        return self.verdict != Verdict.PENDING


@dataclass(frozen=True)
class Row:
    pk: int
    order: int
    en: list[MarkedSentence]
    ru: list[MarkedSentence]
    flags: list[Flag]
    manual: bool = False
    last: bool = False  # no pair after it in the story

    @property
    def kind(self) -> str:
        """The kind of the most severe divergence, which colours the row."""
        return self.flags[0].kind if self.flags else ""

    @property
    def splittable(self) -> bool:
        return len(self.en) > 1 or len(self.ru) > 1

    @property
    def single(self) -> bool:
        return len(self.en) + len(self.ru) == 1


def _marked(sentence: StoredSentence, divergences: Sequence[StoredDivergence], glosses: bool) -> MarkedSentence:
    """The sentence's text cut at the edges of the divergent spans inside it. Spans are offsets into the
    whole document, so each is clipped to the sentence and shifted to start at 0. Where spans overlap the
    most severe divergence wins (``divergences`` come most severe first)."""
    text = sentence.text
    marks = []
    for d in divergences:
        for start, end in d.spans(sentence.language):
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
    return MarkedSentence(sentence.index + 1, pieces, sentence.translation if glosses else "")


def _severity_level(severity: float) -> int:
    return 1 if severity < 0.34 else 2 if severity < 0.67 else 3


def _flag(d: StoredDivergence) -> Flag:
    return Flag(
        d.pk, d.kind, d.kind_label, d.reason, d.severity, _severity_level(d.severity), d.verdict, d.verdict_label,
        d.category, d.category_label, d.note, d.reviewer, d.reviewed_at,
    )


def _rows(pairs: Iterable[StoredPair], results: StoryResults, glosses: bool) -> list[Row]:
    """The table's rows of ``pairs``, which are among ``results``."""
    last = results.pairs[-1].pk if results.pairs else None
    return [_row(pair, glosses, last=pair.pk == last) for pair in pairs]


def _row(pair: StoredPair, glosses: bool, last: bool) -> Row:
    divergences = pair.by_severity
    return Row(
        pk=pair.pk,
        order=pair.number,
        en=[_marked(s, divergences, glosses) for s in pair.en],
        ru=[_marked(s, divergences, glosses) for s in pair.ru],
        flags=[_flag(d) for d in divergences],
        manual=pair.manual,
        last=last,
    )


@dataclass(frozen=True)
class Block:
    """A passage as the table shows it (see pipeline.passages): the rows of its pairs as one block, with one verdict
    for every divergence in them. Passages of more than one pair are blocks, and so is furniture of any length,
    which comes folded."""

    rows: tuple[Row, ...]
    stored: StoredPassage

    is_passage = True  # the rows template tells a Block from a Row by this

    @property
    def pk(self) -> int:
        return self.rows[0].pk

    @property
    def order(self) -> int:
        return self.rows[0].order

    @property
    def last_order(self) -> int:
        return self.rows[-1].order

    @property
    def pair_ids(self) -> str:
        """What the verdict form names: the whole passage, which the server checks is still one."""
        return ",".join(map(str, self.stored.pairs))

    @property
    def side(self) -> str:
        return self.stored.passage.side

    @property
    def side_name(self) -> str:
        return Language(self.side).label

    @property
    def sentences(self) -> int:
        return self.stored.passage.sentences

    @property
    def members(self) -> list[tuple[Row, list[MarkedSentence]]]:
        """Each pair with its sentences on the passage's side (the other side has none)."""
        return [(row, row.en if self.side == Language.EN else row.ru) for row in self.rows]

    @property
    def kind(self) -> str:
        return self.stored.passage.kind or (self.flags[0].kind if self.flags else "")

    @property
    def label(self) -> str:
        return DivergenceKind(self.kind).label if self.kind else "Unpaired"

    @property
    def furniture(self) -> bool:
        return self.kind == Kind.BOILERPLATE

    @functools.cached_property
    def flags(self) -> list[Flag]:
        return sorted((f for row in self.rows for f in row.flags), key=lambda f: -f.severity)

    @property
    def severity(self) -> float:
        return max((f.severity for f in self.flags), default=0.0)

    @property
    def level(self) -> int:
        return _severity_level(self.severity)

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(f.reason for f in self.flags if f.reason != f.label))

    def _common(self, field: str, default=""):
        values = {getattr(f, field) for f in self.flags}
        return values.pop() if len(values) == 1 else default

    @property
    def verdict(self) -> str:
        """The verdict of all its divergences; pending while they have none in common."""
        return self._common("verdict", Verdict.PENDING)

    @property
    def mixed(self) -> bool:
        return len({f.verdict for f in self.flags}) > 1

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label

    @property
    def reviewed(self) -> bool:
        return self.verdict != Verdict.PENDING

    @property
    def category(self) -> str:
        return self._common("category")

    @property
    def category_label(self) -> str:
        return DivergenceCategory(self.category).label if self.category else ""

    @property
    def note(self) -> str:
        return self._common("note")

    @property
    def latest(self) -> Flag | None:
        """The divergence reviewed last, whose reviewer the block names."""
        reviewed = [f for f in self.flags if f.reviewer]
        return max(reviewed, key=lambda f: f.reviewed_at) if reviewed else None


def _as_blocks(rows: list[Row], passages: tuple[StoredPassage, ...]) -> list[Row | Block]:
    """The rows with those of each passage shown as a block gathered into one."""
    block_of = {
        pk: p for p in passages if len(p.pairs) > 1 or p.passage.kind == Kind.BOILERPLATE for pk in p.pairs
    }
    shown: list[Row | Block] = []
    for passage, run in groupby(rows, lambda row: block_of.get(row.pk)):
        shown.extend([Block(tuple(run), passage)] if passage else run)
    return shown


def _story_passages(story: Story, results: StoryResults | None = None) -> tuple[StoredPassage, ...]:
    """The story's passages, kept per version of the story like its rows; from ``results`` when they are loaded
    already. (Not under the old key, whose values were review.StoredPassage, which no longer unpickles.)"""
    return _cached(f"sverka.stored-passages.{story.code}.{story.version}",
                   lambda: (results or load_results(story)).passages)


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
    passages = _story_passages(story)
    return [
        (kind, f"{label}: {counted}" if (counted := _passage_count(kind, passages)) else f"{label} {count}")
        for kind, label, count in _kind_counts(story.stats)
    ]


def _filter(request) -> str:
    value = request.GET.get("filter", "all")
    return value if value in FILTERS else "all"


def _pages(request) -> int:
    """How many pages of rows the table had loaded ("Load more") when a change was made in it."""
    value = request.GET.get("pages", "")
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def _show_glosses(request) -> bool:
    """Whether the machine translations show under the sentences. A ``?gloss=0`` or ``?gloss=1`` link chooses
    (it works without JavaScript), and the session remembers the choice for every page and fragment after."""
    choice = request.GET.get("gloss")
    if choice in ("0", "1"):
        request.session["gloss"] = choice == "1"
    return request.session.get("gloss", True)


@dataclass(frozen=True)
class Chip:
    value: str
    label: str
    count: int | None
    group: str  # "pairs", "kind" or "verdict"
    passages: str = ""  # for a one-sided kind: "2 passages, 22 sentences", in place of the count


def _chips(story: Story, progress: review.Progress) -> list[Chip]:
    counts = story.stats.get("divergences") or {}
    passages = _story_passages(story)
    return [
        Chip(value, label, counts.get(value), "kind", _passage_count(value, passages)) if value in DivergenceKind.values
        else Chip(value, label, progress.by_verdict[VERDICT_FILTERS[value]], "verdict") if value in VERDICT_FILTERS
        else Chip(value, label, None, "pairs")
        for value, label in FILTERS.items()
    ]


def _review_context(request, story: Story, progress: review.Progress | None = None) -> dict:
    """What the review progress and the filter chips show."""
    progress = progress or review.progress(story)
    return {"filter": _filter(request), "progress": progress, "filters": _chips(story, progress)}


def _filtered(results: StoryResults, filter_: str) -> list[StoredPair]:
    """The story's pairs that the filter shows, in order. A passage shows whole or not at all: every pair of it
    when the filter picks any."""
    if filter_ == "all":
        return list(results.pairs)
    picked = {pair.pk for pair in results.pairs if any(_picks(filter_, d) for d in pair.divergences)}
    picked.update(pk for p in results.passages if picked.intersection(p.pairs) for pk in p.pairs)
    return [pair for pair in results.pairs if pair.pk in picked]


def _picks(filter_: str, divergence: StoredDivergence) -> bool:
    """Whether the filter (any but "all") shows the pair of this divergence."""
    if filter_ == "divergent":
        return True
    if filter_ in VERDICT_FILTERS:
        return divergence.verdict == VERDICT_FILTERS[filter_]
    return divergence.kind == filter_


def _whole_passages(
    shown: list[StoredPair], pairs: list[StoredPair], passages: tuple[StoredPassage, ...], first: bool
) -> list[StoredPair]:
    """The pairs of a page, with no passage cut in two by its edges: a passage shows on the page its first pair is
    on, so that page takes the rest of it (then it holds a few more than PAIRS_PER_PAGE, and its "Load more" row
    counts as the paginator does), and the next page leaves out what it has shown."""
    member = {pk: p for p in passages for pk in p.pairs}
    if not first:
        while shown and shown[0].pk in member and member[shown[0].pk].pairs[0] != shown[0].pk:
            shown = shown[1:]
    last = member.get(shown[-1].pk) if shown else None
    if last is not None and last.pairs[-1] != shown[-1].pk:
        rest = set(last.pairs[last.pairs.index(shown[-1].pk) + 1 :])
        shown = shown + [pair for pair in pairs if pair.pk in rest]
    return shown


@dataclass(frozen=True)
class RowsPage:
    """The table's rows for one filter and page, rendered, with where they sit among the filtered pairs: what
    the cache keeps. Each form's CSRF token is a placeholder in ``markup``, which ``html`` fills in."""

    markup: str
    count: int  # the pairs the filter shows
    number: int  # the page; after ?pages=N, the last of the N
    shown_from: int

    def html(self, request) -> str:
        return mark_safe(self.markup.replace(f'value="{_CSRF_PLACEHOLDER}"', f'value="{get_token(request)}"'))


def _rows_page(request, story: Story, job: Job) -> RowsPage:
    """The rows the request asks for. Rendering them is most of the page's cost, so they are rendered once and
    cached under everything they show: the story's version (every change to its results or reviews makes a new
    one, in the same transaction: Story.bump_version), its job, the filter, the page(s), the user's gloss
    choice, and the templates themselves. After a change in the table, ``?pages=N`` gives the N pages it had
    loaded, at once. (Not under the old key, whose values were alignment.views.RowsPage, which no longer
    unpickles.)"""
    filter_, glosses = _filter(request), _show_glosses(request)
    pages = _pages(request) if "page" not in request.GET else 1
    number = pages if pages > 1 else request.GET.get("page")
    templates = "".join(get_template(name).template.source for name in ROWS_TEMPLATES)
    vary = hashlib.md5(repr((filter_, number, pages > 1, glosses, templates)).encode()).hexdigest()
    return _cached(f"sverka.rows-page.{story.code}.{story.version}.{job.pk}.{vary}",
                   lambda: _render_rows(story, filter_, number, pages > 1, glosses))


# One thread at a time makes a missing value (per stripe of keys): the others wait for it and find it cached,
# instead of all rendering the same rows at once when many read a story that has just changed.
_MAKING = [threading.RLock() for _ in range(64)]


def _cached(key: str, make):
    """``make()``, kept in the cache under ``key``, whose parts must name everything it depends on. A cache server
    that is down (Redis) makes a miss, not an error page."""
    value = None
    try:
        value = cache.get(key)
        if value is not None:
            return value
        with _MAKING[hash(key) % len(_MAKING)]:
            value = cache.get(key)  # made meanwhile by the thread this one waited for?
            if value is None:
                value = make()
                cache.set(key, value, CACHE_SECONDS)
            return value
    except RedisError as exc:
        log.warning("cache unavailable: %s", exc)
        return make() if value is None else value


def _render_rows(story: Story, filter_: str, number: int | str | None, cumulative: bool, glosses: bool) -> RowsPage:
    """Page ``number`` of the filtered pairs (with ``cumulative``, every page up to it) as the table's rows, in a
    fixed number of queries. Rendered without the request: nothing of the user's but the choices in the key."""
    results = load_results(story)
    passages = _story_passages(story, results)
    pairs = _filtered(results, filter_)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(number)
    shown = _whole_passages(
        list(pairs[: page.end_index()] if cumulative else page), pairs, passages, cumulative or page.number == 1
    )
    markup = render_to_string("stories/_pair_rows.html", {
        "story": story,
        "filter": filter_,
        "page": page,
        "rows": _as_blocks(_rows(shown, results, glosses), passages),
        "here": urlencode({"filter": filter_, "pages": page.number}),
        "categories": DivergenceCategory.choices,
        "csrf_token": _CSRF_PLACEHOLDER,
    })
    return RowsPage(markup, page.paginator.count, page.number, 1 if cumulative else page.start_index())


def _alignment_context(request, story: Story, job: Job) -> dict:
    """The table of a processed story and the review's state around it, both from the cache while the story does
    not change."""
    rows = _rows_page(request, story, job)
    progress, undoable, corrections = _review_state(story, job)
    return {
        **_review_context(request, story, progress),
        "kind_counts": _kind_summaries(story),
        "divergence_total": story.divergence_total(),
        "rows_page": rows,
        "rows_html": rows.html(request),
        "glosses": _show_glosses(request),
        # Where a change made in the table comes back to: the same filter, as many pages.
        "here": urlencode({"filter": _filter(request), "pages": rows.number}),
        "undoable": undoable,
        "lost": review.LostWork(corrections, progress.annotated),
        "edits": _history(story),  # lazy: queried only where the page shows the history
    }


def _review_state(story: Story, job: Job) -> tuple[review.Progress, Edit | None, int]:
    """The review's progress, the correction an Undo would take back, and how many there are to undo. The same
    until the next change, like the rows: kept per version of the story."""

    def make():
        stack = review.undo_stack(story, job)
        return review.progress(story), stack[0] if stack else None, len(stack)

    return _cached(f"sverka.review.{story.code}.{story.version}.{job.pk}", make)


def _story_context(request, story: Story, job: Job | None = None) -> dict:
    job = job or story.latest_job()
    # Only the full page shows the documents (the template calls these): a fragment never queries them.
    documents = functools.cache(lambda: {d.language: d for d in story.documents.defer("text")})
    context = {
        "story": story,
        "job": job,
        "stage_label": STAGE_LABELS.get(job.stage, "") if job else "",
        "en_document": lambda: documents().get(Language.EN),
        "ru_document": lambda: documents().get(Language.RU),
        "filter": _filter(request),
    }
    if story.results_ready(job):
        context.update(_alignment_context(request, story, job))
        if story.translation_skipped:
            # What to do next depends on the set-up now, not on what it was when the story ran.
            context["translation_now"] = translation.status()
    return context


def _history(story: Story):
    return story.edits.select_related("user").defer("payload")[:HISTORY_LENGTH]


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
    job = story.latest_job()
    done = story.results_ready(job)
    if done and _wants_fragment(request) and "pages" not in request.GET:
        rows = _rows_page(request, story, job)
        if rows.number > 1:  # "Load more": the rows as the cache holds them, and nothing else to look up
            response = HttpResponse(rows.html(request))
            patch_vary_headers(response, ["HX-Request"])
            return response
    fragment = "stories/_alignment.html" if done else "stories/_story_state.html"  # else: the region that says why
    return _render(request, "stories/story_detail.html", fragment, _story_context(request, story, job))


@login_required
def story_progress(request, code):
    """The review progress, which refreshes itself on the "review-changed" event, with the filter chips and
    their counts, swapped out of band."""
    story = _get_story_for_user(request, code)
    if not _wants_fragment(request):
        return redirect(story)
    return render(request, "stories/_review_progress.html", {"story": story, "oob": True,
                                                             **_review_context(request, story)})


@login_required
def story_history(request, code):
    """The list of the story's edits, which refreshes itself after every change."""
    story = _get_story_for_user(request, code)
    if not _wants_fragment(request):
        return redirect(story)
    return render(request, "stories/_history_list.html", {"story": story, "edits": _history(story)})


# ---------------------------------------------------------------------------------------------------- Review


@login_required
@require_POST
def story_correct(request, code):
    """One correction of the alignment, named by ``op``: merge, split, split-after:LANG:INDEX,
    move-previous:LANG:INDEX, move-next:LANG:INDEX or detach:LANG:INDEX, on the pair ``pair``."""
    story = _get_story_for_user(request, code)
    try:
        edit = _correct(story, request.user, request.POST.get("op", ""), request.POST.get("pair", ""))
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _changed(request, story, edit, undo=edit)


def _correct(story: Story, user, op: str, pair: str):
    name, _, sentence = op.partition(":")
    if name == "merge":
        return review.merge(story, user, pair)
    if name == "split":
        return review.split(story, user, pair)
    if name not in ("split-after", "move-previous", "move-next", "detach"):
        raise review.ReviewError(f"There is no correction called “{op}”.")
    lang, _, index = sentence.partition(":")
    if lang not in Language.values or not index.isdigit():
        raise review.ReviewError("Choose a sentence of the pair for this correction.")
    if name == "split-after":
        return review.split(story, user, pair, after=(lang, int(index)))
    if name == "detach":
        return review.detach(story, user, pair, lang, int(index))
    return review.move(story, user, pair, lang, int(index), name.removeprefix("move-"))


@login_required
@require_POST
def story_undo(request, code):
    """Undo the story's latest correction; ``edit`` names the one the page offered to undo."""
    story = _get_story_for_user(request, code)
    try:
        edit = review.undo(story, request.user, request.POST.get("edit") or None)
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _changed(request, story, edit)


def _changed(request, story: Story, edit, undo=None):
    """After a correction or an undo: for htmx, the table again (as many pages, the same filter) and a notice
    with an Undo button; the first pair changed keeps the focus. Without JavaScript, back to the story."""
    pair = f"pair-{edit.payload['start'] + 1}"
    if not request.htmx:
        messages.success(request, edit.summary + ".")
        return redirect(f"{story.get_absolute_url()}?filter={_filter(request)}#{pair}")
    context = {**_story_context(request, story), "notice": edit.summary + ".", "undo": undo}
    response = render(request, "stories/_changed.html", context)
    trigger_client_event(response, "alignment-changed", {"focus": pair}, after="swap")
    return response


def _refused(request, story: Story, message: str):
    """A change that cannot be made: the reason, in the notice (for htmx, as 422, which app.js lets through)
    or as a message on the story page."""
    if not request.htmx:
        messages.error(request, message)
        return redirect(f"{story.get_absolute_url()}?filter={_filter(request)}")
    response = render(request, "stories/_notice.html", {"story": story, "notice": message, "error": True},
                      status=422)
    return reswap(retarget(response, "#notice"), "innerHTML")


@login_required
@require_POST
def story_verdict(request, code):
    """Confirm or dismiss a divergence (or take the verdict back), with a category and a note. For htmx: its
    row again, and the "review-changed" event that the progress and the history follow."""
    story = _get_story_for_user(request, code)
    divergence = request.POST.get("divergence", "")
    try:
        if not divergence.isdigit():
            raise review.ReviewError("Choose a divergence to review.")
        edit = review.review_divergence(
            story, request.user, int(divergence), request.POST.get("verdict", ""),
            request.POST.get("category", ""), request.POST.get("note", ""),
        )
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _reviewed(request, story, edit, Pair.objects.get(divergences=edit.payload["divergence"]).pk)


@login_required
@require_POST
def story_passage_verdict(request, code):
    """One verdict, category and note for a whole passage (``pairs``: its pair ids, in order, comma-separated):
    every divergence of its pairs at once, one change in the history. For htmx: its block again, and the
    "review-changed" event."""
    story = _get_story_for_user(request, code)
    pairs = request.POST.get("pairs", "").split(",")
    try:
        if not all(pk.isdigit() for pk in pairs):
            raise review.ReviewError("Choose a passage to review.")
        edit = review.review_passage(
            story, request.user, [int(pk) for pk in pairs], request.POST.get("verdict", ""),
            request.POST.get("category", ""), request.POST.get("note", ""),
        )
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _reviewed(request, story, edit, edit.payload["passage"][0])


def _reviewed(request, story: Story, edit: Edit, pair_id: int):
    """After a verdict: for htmx, the row (or the passage's block) of pair ``pair_id`` again, as the table shows
    it, and the "review-changed" event that the progress and the history follow. Without JavaScript, back to it."""
    if not request.htmx:
        messages.success(request, edit.summary + ".")
        return redirect(f"{story.get_absolute_url()}?filter={_filter(request)}#pair-{edit.payload['pair']}")
    results = load_results(story)
    passages = _story_passages(story, results)
    ids = next((p.pairs for p in passages if pair_id in p.pairs), (pair_id,))
    pairs = [pair for pair in results.pairs if pair.pk in ids]
    row = _as_blocks(_rows(pairs, results, _show_glosses(request)), passages)[0]
    template = "stories/_passage_row.html" if isinstance(row, Block) else "stories/_pair_row.html"
    response = render(request, template, {
        "story": story,
        "row": row,
        "filter": _filter(request),
        "here": urlencode({"filter": _filter(request), "pages": _pages(request)}),
        "categories": DivergenceCategory.choices,
    })
    trigger_client_event(response, "review-changed", {})
    return response


# ---------------------------------------------------------------------------------------------------- Run again


@login_required
@require_POST
def story_retry(request, code):
    """Queue a new run. While that would discard corrections or verdicts, only with ``confirm=1``: without
    it the answer is the page that asks (for htmx, by sending the browser there)."""
    story = _get_story_for_user(request, code)
    try:
        with transaction.atomic():  # the run and its audit entry together
            if review.rerun(story, request.user, confirmed=request.POST.get("confirm") == "1"):
                audit.record(AuditAction.RERUN, story, request.user, "page")
    except review.ConfirmationNeeded as exc:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("story_rerun", args=[story.code]))
        return render(request, "stories/story_rerun.html", {"story": story, "lost": exc.lost, "refused": True},
                      status=409)
    if _wants_fragment(request):
        return render(request, "stories/_story_state.html", _story_context(request, story))
    return redirect(story)


@login_required
def story_rerun(request, code):
    """The page that asks before running a story again, saying what that discards."""
    story = _get_story_for_user(request, code)
    return render(request, "stories/story_rerun.html", {"story": story, "lost": review.lost_work(story)})


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request, code):
    story = _get_story_for_user(request, code)
    if request.method == "POST":
        stories.delete_story(story, request.user, "page")
        messages.success(request, f"Deleted “{story.title}”.")
        return redirect("stories")
    return render(request, "stories/story_delete.html", {"story": story})
