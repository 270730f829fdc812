"""A collection's search page: every sentence of its stories, in either language, and the pairs that hold what was
found, aligned and marked as on the story page, each linked to its place there. The form asks again as one types
(htmx), and the same URL serves the page and its results fragment."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from alignment.corpus.search import MAX_QUERY_CHARS, Hit, SearchPage, search
from alignment.models import Language, Story
from alignment.pipeline.types import Span
from alignment.web.access import get_collection_for_user, page_or_fragment
from alignment.web.filters import show_glosses
from alignment.web.rows import PAIRS_PER_PAGE, MarkedSentence, Row, pair_row

HITS_PER_PAGE = 20
LANGUAGES = {"": "Both languages", Language.EN: "English", Language.RU: "Russian"}


@dataclass(frozen=True)
class HitPiece:
    """A rows.Piece (a run of the sentence inside one kind of divergence, or outside every one) cut where what the
    search found starts and ends: one mark of its kind around them all, so that the kind's mark stays whole."""

    kind: str  # "" outside every divergent span
    label: str
    parts: list[tuple[str, bool]]  # (text, whether the search found it)


@dataclass(frozen=True)
class HitSentence:
    number: int  # 1-based, as on the story page
    pieces: list[HitPiece]
    gloss: str
    matched: bool


@dataclass(frozen=True)
class HitRow:
    """A hit as its results show it: the pair's row with what was found marked, and where it lives."""

    story: Story
    row: Row  # its flags and kind, as the story page's row
    en: list[HitSentence]
    ru: list[HitSentence]
    url: str  # the pair on its story's page


@login_required
def collection_search(request, code):
    collection = get_collection_for_user(request, code)
    query = request.GET.get("q", "")
    language = request.GET.get("lang", "")
    language = language if language in LANGUAGES else ""

    def page(number: int) -> SearchPage:
        return search(collection.stories.all(), query, language or None, HITS_PER_PAGE, (number - 1) * HITS_PER_PAGE)

    number = _page_number(request.GET.get("page", ""))
    found = page(number)
    if not found.hits and found.total:  # a page past the last (an old link): the last one
        number = (found.total - 1) // HITS_PER_PAGE + 1
        found = page(number)
    glosses = show_glosses(request)
    context = {
        "collection": collection,
        "found": found,
        "asked": bool(query.strip()),
        "hits": [_hit_row(hit, glosses) for hit in found.hits],
        "languages": LANGUAGES,
        "language": language,
        "language_label": LANGUAGES[language],
        "max_chars": MAX_QUERY_CHARS,
        "number": number,
        "previous": _here(found, number - 1) if number > 1 else "",
        "next": _here(found, number + 1) if found.has_next else "",
    }
    return page_or_fragment(request, "collections/search.html", "collections/_search_results.html", context)


def _page_number(value: str) -> int:
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


def _here(found: SearchPage, number: int) -> str:
    """The query string of page ``number`` of the same search."""
    return urlencode({"q": found.query, "lang": found.language, "page": number})


def _hit_row(hit: Hit, glosses: bool) -> HitRow:
    row = pair_row(hit.pair, glosses)
    sides = {
        language: [_found_in(s, hit.matched.get((language, s.index))) for s in sentences]
        for language, sentences in ((Language.EN, row.en), (Language.RU, row.ru))
    }
    return HitRow(hit.story, row, sides[Language.EN], sides[Language.RU], pair_url(hit.story, hit.number))


def pair_url(story: Story, number: int) -> str:
    """Pair ``number`` on its story's page: on the page of rows that holds it, scrolled to it."""
    page = (number - 1) // PAIRS_PER_PAGE + 1
    return f"{reverse('story', args=[story.code])}{f'?page={page}' if page > 1 else ''}#pair-{number}"


def _found_in(sentence: MarkedSentence, spans: tuple[Span, ...] | None) -> HitSentence:
    """The sentence's pieces cut again where what the search found starts and ends (``spans``, offsets into its
    text; None when the sentence did not match)."""
    matched, spans = spans is not None, spans or ()
    pieces: list[HitPiece] = []
    offset = 0
    for piece in sentence.pieces:
        end = offset + len(piece.text)
        cuts = sorted({offset, end, *(e for s in spans for e in s if offset < e < end)})
        parts = [
            (piece.text[a - offset : b - offset], any(start <= a and b <= stop for start, stop in spans))
            for a, b in pairwise(cuts)
        ]
        pieces.append(HitPiece(piece.kind, piece.label, parts))
        offset = end
    return HitSentence(sentence.number, pieces, sentence.gloss, matched)
