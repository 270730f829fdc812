"""Search every sentence of many stories (a collection's) in either language, and give back the pairs that hold
the sentences found, each with both sides' sentences and its divergences as the story page shows them.

On PostgreSQL, its full-text search: each sentence is read with the configuration of its language ("english",
"russian": stemmed, so that «санкциям» finds «санкции» and "talks" finds "talk"), the query in the syntax of a web
search ("a phrase", or, -word), and the pairs come most relevant first (ts_rank of their best sentence). Elsewhere
(SQLite), a sentence is found when it holds every word of the query in any case, Cyrillic capitals included, and
the pairs come in story order. Either way a page of hits costs the same few queries however many stories there
are, and a query is bounded in length and words before the database sees it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import (
    BooleanField, Case, Count, F, FloatField, Func, Max, Q, QuerySet, TextField, Value, When, Window,
)

from alignment.models import JobStatus, Language, Sentence, Story
from alignment.pipeline.types import Span
from alignment.results import StoredPair, load_pairs

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
MIN_WORD_CHARS = 2  # shorter words (a, в, и) say nothing in a word search: they are left out of it
MAX_LIMIT = 100  # hits on one page
CONFIGS = {Language.EN: "english", Language.RU: "russian"}  # PostgreSQL's text search configurations

ASK = "Type a word or two to search for, in English or Russian."
TOO_SHORT = f"Type a word of at least {MIN_WORD_CHARS} letters to search for."
TOO_COMMON = "Every word of this search is too common to be searched for (the, of, и, в …): add a rarer one."

# ts_headline wraps what it found in these (characters of Unicode's private use area, which no text of a story
# holds; if one does, the headline is not trusted): the spans are read off its answer.
_START, _STOP = "\ue000", "\ue001"
# Letters a reader takes for one another: a Russian text may print ё or leave it е.
_ALIKE = {"е": "еёЕЁ", "ё": "еёЕЁ"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    story: Story
    pair: StoredPair
    # The pair's sentences that matched, by (language, index), each with the spans of its text that did (offsets
    # into that sentence's own text, end exclusive; none when the database could not say where).
    matched: Mapping[tuple[str, int], tuple[Span, ...]]
    rank: float  # PostgreSQL's ts_rank of the best matching sentence; 0 elsewhere

    @property
    def number(self) -> int:
        return self.pair.number


@dataclass(frozen=True)
class SearchPage:
    query: str  # as searched: trimmed
    language: str  # "en" or "ru" to search one side only; "" for both
    hits: tuple[Hit, ...]
    total: int  # matching pairs over every page
    offset: int
    limit: int
    message: str = ""  # why nothing was searched (an empty, too short or too long query); "" when it was

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def first(self) -> int:
        """The 1-based place of the page's first hit among them all."""
        return self.offset + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.hits)


def search(stories: QuerySet[Story], query: str, language: str | None = None, limit: int = 50,
           offset: int = 0) -> SearchPage:
    """The pairs of ``stories`` (those with results: their latest job done) holding a sentence that matches
    ``query``, in ``language`` ("en", "ru") or either, ``limit`` from ``offset``."""
    query, language = query.strip(), language or ""
    if language and language not in CONFIGS:
        raise ValueError(f"Search English (en), Russian (ru) or both (None), not {language!r}.")
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    refused = _refusal(query)
    if refused:
        return SearchPage(query, language, (), 0, offset, limit, refused)
    languages = [language] if language else list(CONFIGS)
    matcher = _FullText(query, languages) if connection.vendor == "postgresql" else _Words(query, languages)
    ready = Story.objects.filter(pk__in=stories.values("pk")).with_latest_job().filter(latest_status=JobStatus.DONE)
    found = Sentence.objects.filter(pair__story__in=ready.values("pk")).filter(matcher.condition)
    # One pass over the sentences gives both the page and the total: the count runs over the grouped pairs.
    page = list(
        found.values("pair", "pair__story").annotate(rank=Max(matcher.rank), total=Window(Count("*")))
        .order_by("-rank", "pair__story", "pair__order")[offset : offset + limit]
    )
    total = page[0]["total"] if page else (found.values("pair").distinct().count() if offset else 0)
    if not total and matcher.only_common_words():
        return SearchPage(query, language, (), 0, offset, limit, TOO_COMMON)
    ids = [row["pair"] for row in page]
    pairs, matched = load_pairs(ids), matcher.matched(ids)
    stories_by_id = Story.objects.in_bulk({row["pair__story"] for row in page})
    hits = tuple(
        Hit(stories_by_id[row["pair__story"]], pairs[row["pair"]], matched.get(row["pair"], {}), row["rank"] or 0.0)
        for row in page if row["pair"] in pairs  # a pair that a correction removed just now is left out
    )
    return SearchPage(query, language, hits, total, offset, limit)


def _refusal(query: str) -> str:
    """Why the query cannot be searched, in words; "" when it can."""
    if not query:
        return ASK
    if len(query) > MAX_QUERY_CHARS:
        return f"A search is at most {MAX_QUERY_CHARS} characters long; this one has {len(query)}."
    words = _WORD.findall(query)
    if len(words) > MAX_WORDS:
        return f"A search is at most {MAX_WORDS} words; this one has {len(words)}."
    if not any(len(word) >= MIN_WORD_CHARS for word in words):
        return TOO_SHORT
    return ""


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The spans in order, those that overlap or touch made one."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------- PostgreSQL


class _FullText:
    """PostgreSQL's full-text search, each sentence in the configuration of its language."""

    def __init__(self, query: str, languages: list[str]):
        self.query, self.configs = query, [CONFIGS[language] for language in languages]
        conditions, ranks, headlines = [], [], []
        for language in languages:
            config = CONFIGS[language]
            vector = SearchVector("text", config=config)
            tsquery = SearchQuery(query, config=config, search_type="websearch")
            conditions.append(Q(language=language) & SearchVectorExact(vector, tsquery))
            ranks.append(When(language=language, then=SearchRank(vector, tsquery)))
            headlines.append(When(language=language, then=SearchHeadline(
                "text", tsquery, config=config, start_sel=_START, stop_sel=_STOP, highlight_all=True,
            )))
        self.condition = reduce(lambda a, b: a | b, conditions)
        self.rank = Case(*ranks, default=Value(0.0), output_field=FloatField())
        self.headline = Case(*headlines, default=Value(""), output_field=TextField())

    def only_common_words(self) -> bool:
        """Whether the query is nothing but stop words in each language (PostgreSQL then finds nothing)."""
        with connection.cursor() as cursor:
            for config in self.configs:
                cursor.execute("SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [config, self.query])
                if cursor.fetchone()[0]:
                    return False
        return True

    def matched(self, pair_ids: list[int]) -> dict[int, dict[tuple[str, int], tuple[Span, ...]]]:
        matched: dict[int, dict[tuple[str, int], tuple[Span, ...]]] = defaultdict(dict)
        rows = (Sentence.objects.filter(pair__in=pair_ids).filter(self.condition).annotate(headline=self.headline)
                .values_list("pair", "language", "index", "text", "headline"))
        for pair_id, language, index, text, headline in rows:
            matched[pair_id][language, index] = _headline_spans(text, headline)
        return matched


def _headline_spans(text: str, headline: str) -> tuple[Span, ...]:
    """Where ts_headline marked ``text``; none if its answer, markers taken out, is not the text itself."""
    spans, plain, start = [], [], 0
    for piece in re.split(f"([{_START}{_STOP}])", headline):
        if piece == _START:
            start = sum(map(len, plain))
        elif piece == _STOP:
            spans.append((start, sum(map(len, plain))))
        else:
            plain.append(piece)
    return _merged(s for s in spans if s[0] < s[1]) if "".join(plain) == text else ()


# ---------------------------------------------------------------------------------------------------- SQLite


class _Words:
    """Every word of the query in the sentence, in any case. SQLite's LIKE ignores the case of ASCII letters
    only, and its lower() too, so each word becomes a GLOB pattern with a class per letter ("[Мм][Ии][Рр]"):
    exact, done by SQLite itself, and no Python called per row as REGEXP would."""

    def __init__(self, query: str, languages: list[str]):
        words = [word for word in dict.fromkeys(_WORD.findall(query)) if len(word) >= MIN_WORD_CHARS]
        classes = [[_letters(char) for char in word] for word in words]
        globs = [
            Func(Value("*" + "".join(f"[{c}]" if len(c) > 1 else c for c in word) + "*"), F("text"),
                 function="glob", output_field=BooleanField())
            for word in classes
        ]
        # The same classes as regular expressions find the spans in a sentence GLOB has found.
        self.patterns = [
            re.compile("".join(f"[{re.escape(c)}]" if len(c) > 1 else re.escape(c) for c in word)) for word in classes
        ]
        self.condition = reduce(lambda a, b: a & b, globs, Q(language__in=languages))
        self.rank = Value(0.0, output_field=FloatField())

    def only_common_words(self) -> bool:
        return False  # every word of two letters or more is searched

    def matched(self, pair_ids: list[int]) -> dict[int, dict[tuple[str, int], tuple[Span, ...]]]:
        matched: dict[int, dict[tuple[str, int], tuple[Span, ...]]] = defaultdict(dict)
        rows = Sentence.objects.filter(pair__in=pair_ids).filter(self.condition).values_list(
            "pair", "language", "index", "text",
        )
        for pair_id, language, index, text in rows:
            spans = [m.span() for pattern in self.patterns for m in pattern.finditer(text)]
            matched[pair_id][language, index] = _merged(spans)
        return matched


def _letters(char: str) -> str:
    """The letters that count as ``char``: its lower and upper case (and е for ё), each one character."""
    forms = {char, char.lower(), char.upper(), *_ALIKE.get(char.lower(), "")}
    return "".join(sorted(form for form in forms if len(form) == 1))
