"""A processed story's stored results, loaded once, in one frozen shape, for every reader: the story page and its
similarity map, the review's corrections, the exports, and the API's alignment (the command line's JSON).

``load_results`` reads them in three queries whatever the story's size. The statistics and the passages are
worked out from those rows by the pipeline's own rules, so they describe the results as they stand, corrections
included. Ask ``Story.results_ready()`` first: a story that is not ready loads as whatever rows it has, often none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet, TextChoices

from alignment.models import (
    Divergence, DivergenceCategory, DivergenceKind, Language, Pair, Sentence, Story, Verdict,
)
from alignment.pipeline.passages import Passage, passages
from alignment.pipeline.stats import document_stats
from alignment.pipeline.types import AlignmentResult, Bead, DocumentStats, Kind, Span
from alignment.pipeline.types import Divergence as PipelineDivergence
from alignment.pipeline.types import Sentence as PipelineSentence


@dataclass(frozen=True)
class StoredSentence:
    language: str
    index: int  # 0-based, within its side
    text: str
    start: int  # offsets into its document's text, end exclusive
    end: int
    paragraph: int
    translation: str  # the machine translation into the other language; "" when it has none


@dataclass(frozen=True)
class StoredDivergence:
    pk: int
    kind: str  # a DivergenceKind value
    severity: float
    reason: str
    en_spans: tuple[Span, ...]  # offsets into the English text
    ru_spans: tuple[Span, ...]
    verdict: str  # a Verdict value
    category: str  # a DivergenceCategory value, or ""
    note: str
    reviewed_by: int | None  # the reviewer's user id
    reviewer: str  # their user name; "" when none
    reviewed_at: datetime | None
    # A moved passage's counterpart: sentence indices on each side (see Divergence.counterpart).
    en_counterpart: tuple[int, ...] = ()
    ru_counterpart: tuple[int, ...] = ()

    @property
    def kind_label(self) -> str:
        return _label(DivergenceKind, self.kind)

    @property
    def verdict_label(self) -> str:
        return _label(Verdict, self.verdict)

    @property
    def category_label(self) -> str:
        return _label(DivergenceCategory, self.category) if self.category else ""

    def spans(self, language: str) -> tuple[Span, ...]:
        return self.en_spans if language == Language.EN else self.ru_spans


@dataclass(frozen=True)
class StoredPair:
    pk: int
    order: int  # 0-based place in the story
    score: float
    similarity: float
    manual: bool  # made by a reviewer's correction rather than by the aligner
    en: tuple[StoredSentence, ...]
    ru: tuple[StoredSentence, ...]
    divergences: tuple[StoredDivergence, ...]  # in the order the pipeline listed them
    locked: bool = False  # kept as it is when the story is aligned again

    @property
    def number(self) -> int:
        """1-based, as the story page numbers pairs."""
        return self.order + 1

    @property
    def en_text(self) -> str:
        return " ".join(s.text for s in self.en)

    @property
    def ru_text(self) -> str:
        return " ".join(s.text for s in self.ru)

    @property
    def by_severity(self) -> tuple[StoredDivergence, ...]:
        """The divergences most severe first (in the pipeline's order among equals), as the story page lists them."""
        return tuple(sorted(self.divergences, key=lambda d: -d.severity))

    @property
    def kind(self) -> str:
        """The kind of its most severe divergence, which colours its row; "" when it has none."""
        return self.by_severity[0].kind if self.divergences else ""

    def bead(self) -> Bead:
        return Bead(
            tuple(s.index for s in self.en), tuple(s.index for s in self.ru), self.score, self.similarity,
            tuple(PipelineDivergence(Kind(d.kind), d.severity, d.reason, d.en_spans, d.ru_spans, d.en_counterpart,
                                     d.ru_counterpart)
                  for d in self.divergences),
        )


@dataclass(frozen=True)
class StoredPassage:
    """A passage (see pipeline.passages) among the story's pairs, named by their ids."""

    pairs: tuple[int, ...]  # Pair ids, in order
    orders: tuple[int, ...]  # their Pair.order
    passage: Passage


@dataclass(frozen=True)
class StoryResults:
    pairs: tuple[StoredPair, ...]  # in order, each with its sentences and its divergences
    passages: tuple[StoredPassage, ...]
    # The same results as the pipeline's value, every sentence of both sides included: its to_dict() is the JSON
    # contract of the command line and the API, and a correction hands its sentences to the pipeline's detector.
    alignment: AlignmentResult

    @property
    def stats(self) -> DocumentStats:
        return self.alignment.stats


def load_results(story: Story) -> StoryResults:
    """The story's sentences, pairs and divergences with their reviews, in three queries whatever its size."""
    sides: dict[str, list[PipelineSentence]] = {Language.EN: [], Language.RU: []}
    furniture: dict[str, dict[int, str]] = {Language.EN: {}, Language.RU: {}}
    members: dict[tuple[int, str], list[StoredSentence]] = defaultdict(list)  # by pair and side
    sentences = Sentence.objects.filter(document__story=story).order_by("language", "index").values_list(
        "pair_id", "furniture", "language", "index", "text", "start", "end", "paragraph", "translation",
    )
    for pair_id, label, *fields in sentences:
        s = StoredSentence(*fields)
        # As the run saved them: a translated run gave every sentence a translation, an untranslated one none.
        gloss = s.translation if story.translator else None
        sides[s.language].append(PipelineSentence(s.index, s.text, s.start, s.end, s.paragraph, gloss))
        if label:
            furniture[s.language][s.index] = label
        if pair_id is not None:
            members[pair_id, s.language].append(s)
    divergences = _divergences(Divergence.objects.filter(pair__story=story))
    pairs = tuple(
        StoredPair(
            pk, order, score, similarity, manual, tuple(members[pk, Language.EN]), tuple(members[pk, Language.RU]),
            tuple(divergences[pk]), locked,
        )
        for pk, order, score, similarity, manual, locked in story.pairs.order_by("order").values_list(
            "pk", "order", "score", "similarity", "manual", "locked",
        )
    )
    en, ru = tuple(sides[Language.EN]), tuple(sides[Language.RU])
    beads = tuple(pair.bead() for pair in pairs)
    return StoryResults(
        pairs=pairs,
        passages=tuple(
            StoredPassage(tuple(pairs[k].pk for k in p.beads), tuple(pairs[k].order for k in p.beads), p)
            for p in passages(beads)
        ),
        alignment=AlignmentResult(en, ru, beads, document_stats(en, ru, beads), story.embedder, furniture=furniture),
    )


def load_pairs(pair_ids: Iterable[int]) -> dict[int, StoredPair]:
    """Some pairs of any stories (a search's hits), each with its sentences and divergences as load_results gives
    them, by id, in three queries however many. Ids of pairs that are gone are left out."""
    ids = set(pair_ids)
    members: dict[tuple[int, str], list[StoredSentence]] = defaultdict(list)
    sentences = Sentence.objects.filter(pair__in=ids).order_by("language", "index").values_list(
        "pair_id", "language", "index", "text", "start", "end", "paragraph", "translation",
    )
    for pair_id, *fields in sentences:
        s = StoredSentence(*fields)
        members[pair_id, s.language].append(s)
    divergences = _divergences(Divergence.objects.filter(pair__in=ids))
    return {
        pk: StoredPair(
            pk, order, score, similarity, manual, tuple(members[pk, Language.EN]), tuple(members[pk, Language.RU]),
            tuple(divergences[pk]), locked,
        )
        for pk, order, score, similarity, manual, locked in Pair.objects.filter(pk__in=ids).order_by().values_list(
            "pk", "order", "score", "similarity", "manual", "locked",
        )
    }


def _divergences(rows: QuerySet[Divergence]) -> dict[int, list[StoredDivergence]]:
    """The divergences, with their reviews, by pair id."""
    divergences: dict[int, list[StoredDivergence]] = defaultdict(list)
    # Primary key order is the order the pipeline listed them in (they are saved with bulk_create).
    reviews = rows.order_by("pk").values_list(
        "pair_id", "pk", "kind", "severity", "reason", "en_spans", "ru_spans", "verdict", "category", "note",
        "reviewed_by", f"reviewed_by__{get_user_model().USERNAME_FIELD}", "reviewed_at", "counterpart",
    )
    for pair_id, pk, kind, severity, reason, en_spans, ru_spans, verdict, category, note, *reviewed in reviews:
        reviewed_by, reviewer, reviewed_at, counterpart = reviewed
        divergences[pair_id].append(StoredDivergence(
            pk, kind, severity, reason, _spans(en_spans), _spans(ru_spans), verdict, category, note, reviewed_by,
            reviewer or "", reviewed_at, *counterpart_of(counterpart),
        ))
    return divergences


def stored_counterpart(en: Sequence[int], ru: Sequence[int]) -> dict:
    """A moved passage's counterpart as Divergence.counterpart keeps it; {} when it has none."""
    return {"en": list(en), "ru": list(ru)} if en or ru else {}


def counterpart_of(stored: dict | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(English, Russian) sentence indices of a Divergence.counterpart."""
    stored = stored or {}
    return tuple(stored.get("en", ())), tuple(stored.get("ru", ()))


def _label(choices: type[TextChoices], value: str) -> str:
    """As Django's get_FOO_display(): the value itself when it is none of the choices (a row edited by hand)."""
    return dict(choices.choices).get(value, value)


def _spans(stored: list) -> tuple[Span, ...]:
    return tuple((start, end) for start, end in stored)
