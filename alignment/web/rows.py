"""The alignment table's rows: the display model the templates draw (a pair as a Row of marked sentences and
flags, a passage as a Block of rows), and the rendered rows of one filter and page, kept in the cache."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from alignment.models import DivergenceCategory, DivergenceKind, Job, Language, Story, Verdict
from alignment.pipeline.types import Kind
from alignment.results import StoredDivergence, StoredPair, StoredPassage, StoredSentence, StoryResults, load_results
from alignment.web.cache import CSRF_PLACEHOLDER, cached, templates_digest, with_csrf_token
from alignment.web.filters import chosen_filter, filtered_pairs, pages_loaded, show_glosses
from alignment.web.links import CounterpartLink, SentenceKey, counterpart_link, pair_numbers

PAIRS_PER_PAGE = 100
ROWS_TEMPLATES = (
    "stories/_pair_rows.html", "stories/_pair_row.html", "stories/_passage_row.html", "stories/_row_menu.html",
    "stories/_verdict_form.html", "stories/_sentence_actions.html", "stories/_counterpart_link.html",
)


# ---------------------------------------------------------------------------------------------------- The display model


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
    link: CounterpartLink | None = None  # a moved passage's counterpart

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
    locked: bool = False  # kept as it is when the story is aligned again

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


def _flag(d: StoredDivergence, numbers: Mapping[SentenceKey, int]) -> Flag:
    return Flag(
        d.pk, d.kind, d.kind_label, d.reason, d.severity, _severity_level(d.severity), d.verdict, d.verdict_label,
        d.category, d.category_label, d.note, d.reviewer, d.reviewed_at, counterpart_link(d, numbers),
    )


def table_rows(pairs: Iterable[StoredPair], results: StoryResults, glosses: bool) -> list[Row]:
    """The table's rows of ``pairs``, which are among ``results``."""
    last = results.pairs[-1].pk if results.pairs else None
    numbers = pair_numbers(results.pairs)
    return [_row(pair, glosses, last=pair.pk == last, numbers=numbers) for pair in pairs]


def pair_row(pair: StoredPair, glosses: bool) -> Row:
    """One pair's row shown out of its story's table (a search's hit), marked as the table marks it."""
    return _row(pair, glosses, last=False, numbers={})


def _row(pair: StoredPair, glosses: bool, last: bool, numbers: Mapping[SentenceKey, int]) -> Row:
    divergences = pair.by_severity
    return Row(
        pk=pair.pk,
        order=pair.number,
        en=[_marked(s, divergences, glosses) for s in pair.en],
        ru=[_marked(s, divergences, glosses) for s in pair.ru],
        flags=[_flag(d, numbers) for d in divergences],
        manual=pair.manual,
        last=last,
        locked=pair.locked,
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

    @property
    def links(self) -> list[CounterpartLink]:
        """Where the passage's moved sentences went (one link per counterpart)."""
        return list(dict.fromkeys(f.link for f in self.flags if f.link))

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


def as_blocks(rows: list[Row], passages: tuple[StoredPassage, ...]) -> list[Row | Block]:
    """The rows with those of each passage shown as a block gathered into one."""
    block_of = {
        pk: p for p in passages if len(p.pairs) > 1 or p.passage.kind == Kind.BOILERPLATE for pk in p.pairs
    }
    shown: list[Row | Block] = []
    for passage, run in groupby(rows, lambda row: block_of.get(row.pk)):
        shown.extend([Block(tuple(run), passage)] if passage else run)
    return shown


# ---------------------------------------------------------------------------------------------------- The rendered rows


def story_passages(story: Story, results: StoryResults | None = None) -> tuple[StoredPassage, ...]:
    """The story's passages, kept per version of the story like its rows; from ``results`` when they are loaded
    already."""
    return cached(f"sverka.stored-passages.{story.code}.{story.version}",
                  lambda: (results or load_results(story)).passages)


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
    the cache keeps. Each form's CSRF token is a placeholder in ``markup`` (UTF-8), which ``html`` fills in."""

    markup: bytes
    count: int  # the pairs the filter shows
    number: int  # the page; after ?pages=N, the last of the N
    shown_from: int

    def html(self, request) -> SafeString:
        return mark_safe(with_csrf_token(request, self.markup).decode())


@dataclass(frozen=True)
class RowsChoice:
    """Which rows a request shows: its filter, the page shown (never the ``?page=`` asked for: a made-up value,
    "x" or "99999", shows the first or the last page), whether every page up to it (``?pages=N``, after a change
    in the table), and whether the machine translations show. Everything the rows' key names but the story."""

    filter: str
    number: int
    cumulative: bool
    glosses: bool


def rows_choice(request, story: Story, job: Job, results=None) -> RowsChoice:
    """What the request shows, from the count of the filter's pairs, which is kept per version of the story.
    ``results``: a function that loads the story's results, called only on a miss."""
    filter_, glosses = chosen_filter(request), show_glosses(request)
    pages = pages_loaded(request) if "page" not in request.GET else 1
    pairs = cached(f"sverka.rows-count.{story.code}.{story.version}.{job.pk}.{filter_}",
                   lambda: len(filtered_pairs((results or functools.partial(load_results, story))(), filter_)))
    asked = pages if pages > 1 else request.GET.get("page")
    return RowsChoice(filter_, Paginator(range(pairs), PAIRS_PER_PAGE).get_page(asked).number, pages > 1, glosses)


def rows_page(request, story: Story, job: Job, choice: RowsChoice | None = None, results=None) -> RowsPage:
    """The rows the request asks for. Rendering them is most of the page's cost, so they are rendered once and
    cached under everything they show: the story's version (every change to its results or reviews makes a new
    one, in the same transaction: Story.bump_version), its job, the filter, the page(s), the user's gloss
    choice, and the templates themselves. ``choice``: the request's rows_choice, when known already; ``results``:
    a function that loads the story's results, as rows_choice takes it."""
    results = results or functools.cache(lambda: load_results(story))  # read at most once, and only on a miss
    choice = choice or rows_choice(request, story, job, results)
    vary = hashlib.md5(repr((choice, templates_digest(ROWS_TEMPLATES))).encode()).hexdigest()
    return cached(f"sverka.rows-page.{story.code}.{story.version}.{job.pk}.{vary}",
                  lambda: _render_rows(story, results(), choice))


def _render_rows(story: Story, results: StoryResults, choice: RowsChoice) -> RowsPage:
    """The chosen page of the filtered pairs (with ``cumulative``, every page up to it) as the table's rows, in a
    fixed number of queries. Rendered without the request: nothing of the user's but the choices in the key."""
    filter_, number, cumulative, glosses = choice.filter, choice.number, choice.cumulative, choice.glosses
    passages = story_passages(story, results)
    pairs = filtered_pairs(results, filter_)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(number)
    shown = _whole_passages(
        list(pairs[: page.end_index()] if cumulative else page), pairs, passages, cumulative or page.number == 1
    )
    markup = render_to_string("stories/_pair_rows.html", {
        "story": story,
        "filter": filter_,
        "page": page,
        "rows": as_blocks(table_rows(shown, results, glosses), passages),
        "here": urlencode({"filter": filter_, "pages": page.number}),
        "categories": DivergenceCategory.choices,
        "csrf_token": CSRF_PLACEHOLDER,
    })
    return RowsPage(markup.encode(), page.paginator.count, page.number, 1 if cumulative else page.start_index())
