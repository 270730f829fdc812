"""A collection's report: what changes between the editions of its stories, how often and where.

``collection_report`` reads the stories whose latest run is done in six queries whatever their number (the page
of a 1,000-story collection must not make a query per story): the stories; their pairs with each side's sentences
counted; their divergences counted by story, and by kind and verdict; the names and numbers one side lacks, with
the sentences they stand in; and the pairs of the few stories listed as most divergent. ``as_json`` is the API's
contract.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import In

from alignment.corpus.tally import CoverageBin, Period, Piece, coverage_bins, normal, timeline, usual_form, words
from alignment.models import Collection, Divergence, DivergenceKind, JobStatus, Language, Pair, Story, Verdict

MOST_DIVERGENT = 10
MAX_IN_LIST = 10_000
LEFT_OUT = 30
# The kinds whose words are names and numbers one edition has and the other lacks.
LEFT_OUT_KINDS = (DivergenceKind.NAME, DivergenceKind.NUMBER)
# What a story's divergences are counted without, to rank the stories and draw the time line: outlet furniture
# differs between the editions without the story doing so.
NOT_CONTENT = (DivergenceKind.BOILERPLATE,)


@dataclass(frozen=True)
class StoryLine:
    """One story of the report."""

    pk: int
    code: uuid.UUID
    title: str
    published: date | None
    divergences: int  # those that count against it: neither furniture nor dismissed by a reviewer
    severity: float  # their severities, summed: breaks ties between equal counts
    en_coverage: float | None  # share of its English text with a Russian counterpart (the run's statistics)
    ru_coverage: float | None
    pairs: int | None = None  # known for the most divergent stories only, which the page lists with it


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int
    confirmed: int
    dismissed: int

    @property
    def pending(self) -> int:
        return self.count - self.confirmed - self.dismissed


@dataclass(frozen=True)
class LeftOut:
    """A name or a number one edition has and the other lacks, wherever in the collection it does."""

    text: str  # as it is usually written
    kind: str  # "name" or "number"
    language: str  # the side that has it: the other edition leaves it out
    count: int  # how many times, across the collection
    stories: tuple[StoryLine, ...]  # where, in the order of the report's stories


@dataclass(frozen=True)
class CollectionReport:
    stories: tuple[StoryLine, ...]  # the stories counted (latest run done), newest publication first
    pairs: int
    two_sided_pairs: int  # pairs with sentences on both sides
    sentences: dict[str, int]  # language -> sentences
    unpaired: dict[str, int]  # language -> sentences in a pair without the other side
    kinds: tuple[KindCount, ...]  # every kind, in the order of DivergenceKind, zeros included
    most_divergent: tuple[StoryLine, ...]
    left_out: tuple[LeftOut, ...]
    coverage: tuple[CoverageBin, ...]
    timeline_unit: str  # "day", "month", "year", or "" without dates
    timeline: tuple[Period, ...]
    undated: int  # stories without a publication date, which the time line leaves out

    def unpaired_share(self, language: str) -> float:
        total = self.sentences.get(language, 0)
        return self.unpaired.get(language, 0) / total if total else 0.0

    @property
    def en_unpaired_share(self) -> float:
        return self.unpaired_share(Language.EN)

    @property
    def ru_unpaired_share(self) -> float:
        return self.unpaired_share(Language.RU)

    @property
    def divergence_total(self) -> int:
        return sum(k.count for k in self.kinds)

    @property
    def reviewed(self) -> bool:
        """Whether reviewers have ruled on any divergence: the verdicts are worth showing."""
        return any(k.confirmed or k.dismissed for k in self.kinds)


def done_stories(collection: Collection) -> QuerySet:
    """The collection's stories whose latest job is done: the ones with results to count."""
    return Story.objects.filter(collections=collection).latest_job_done()


def state(collection: Collection) -> str:
    """What the report depends on, in a few numbers from one query: which stories the collection holds, their
    versions (one more with every change to a story's results, verdicts included: Story.bump_version), their
    latest jobs and how many of those are done, and the last time any of them was saved. A report kept under a
    key with this is never stale."""
    found = Story.objects.filter(collections=collection).with_latest_job().aggregate(
        stories=Count("pk"), done=Count("pk", filter=Q(latest_status=JobStatus.DONE)), ids=Sum("pk"),
        versions=Sum("version"), jobs=Sum("latest_job_id"), updated=Max("updated"),
    )
    updated = found["updated"].timestamp() if found["updated"] else 0
    return f"{found['stories']}.{found['done']}.{found['ids']}.{found['versions']}.{found['jobs']}.{updated}"


def collection_report(collection: Collection) -> CollectionReport:
    done = done_stories(collection)
    rows = list(
        done.order_by(F("published").desc(nulls_last=True), "title", "pk")
        .values("pk", "code", "title", "published", "stats")
    )
    # The stories' ids as a list, which tells the planner how many stories there are even before the tables'
    # statistics do (a collection just imported); on PostgreSQL as one array (Among). A list that long would pass
    # SQLite's limit of bound parameters, though: beyond MAX_IN_LIST, the subquery it is.
    ids = [row["pk"] for row in rows]
    if connection.vendor != "postgresql" and len(ids) > MAX_IN_LIST:
        ids = done.values("pk")
    by_story, kinds = _divergences(ids)
    stories = tuple(
        StoryLine(
            pk=s["pk"], code=s["code"], title=s["title"], published=s["published"],
            divergences=by_story[s["pk"]][0], severity=round(by_story[s["pk"]][1], 6),
            en_coverage=_share(s["stats"], "en_coverage"), ru_coverage=_share(s["stats"], "ru_coverage"),
        )
        for s in rows
    )
    sides = _sides(ids)
    unit, periods = timeline([(s.published, s.divergences) for s in stories if s.published])
    return CollectionReport(
        stories=stories,
        pairs=sides["pairs"],
        two_sided_pairs=sides["two_sided"],
        sentences={Language.EN: sides["en_sentences"] or 0, Language.RU: sides["ru_sentences"] or 0},
        unpaired={Language.EN: sides["en_alone"] or 0, Language.RU: sides["ru_alone"] or 0},
        kinds=kinds,
        most_divergent=_with_pairs(sorted(
            (s for s in stories if s.divergences), key=lambda s: (-s.divergences, -s.severity, s.title, s.pk)
        )[:MOST_DIVERGENT]),
        left_out=_left_out(ids, {s.pk: s for s in stories}),
        coverage=coverage_bins((s.en_coverage, s.ru_coverage) for s in stories),
        timeline_unit=unit,
        timeline=periods,
        undated=sum(1 for s in stories if s.published is None),
    )


class Among(In):
    """``story__among=ids``: ``story IN (ids)``, but on PostgreSQL a list of ids goes as one array parameter,
    ``story = ANY(%s)``. With a thousand ids, psycopg spends longer putting a thousand parameters into the query
    than PostgreSQL spends running it."""

    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


Pair._meta.get_field("story").register_lookup(Among)


def _share(stats: dict, key: str) -> float | None:
    value = (stats or {}).get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _sides(ids: list[int] | QuerySet) -> dict[str, int | None]:
    """The stories' ``pairs``, those with both sides (``two_sided``), each side's sentences (``en_sentences``)
    and those of them alone in their pair (``en_alone``). One pass: each pair's sentences counted by side in a
    join and a grouping, then summed; a subquery per sentence would cost several times more."""
    per_pair = Pair.objects.filter(story__among=ids).order_by().annotate(
        en=Count("sentences", filter=Q(sentences__language=Language.EN)),
        ru=Count("sentences", filter=Q(sentences__language=Language.RU)),
    )
    return per_pair.aggregate(
        pairs=Count("pk"), two_sided=Count("pk", filter=Q(en__gt=0, ru__gt=0)),
        en_sentences=Sum("en"), ru_sentences=Sum("ru"),
        en_alone=Sum("en", filter=Q(ru=0)), ru_alone=Sum("ru", filter=Q(en=0)),
    )


def _with_pairs(stories: list[StoryLine]) -> tuple[StoryLine, ...]:
    """The stories with their number of pairs, which the page shows for the few it lists."""
    counts = dict(
        Pair.objects.filter(story__in=[s.pk for s in stories]).order_by().values("story")
        .annotate(n=Count("pk")).values_list("story", "n")
    )
    return tuple(replace(s, pairs=counts.get(s.pk, 0)) for s in stories)


def _divergences(ids: list[int] | QuerySet) -> tuple[dict[int, tuple[int, float]], tuple[KindCount, ...]]:
    """Story -> (its divergences that count against it, their severity), and the counts of each kind with the
    reviewers' verdicts on them: each counted by the database, a row a story and a row a kind and verdict."""
    found = Divergence.objects.filter(pair__story__among=ids).order_by()
    against = found.exclude(kind__in=NOT_CONTENT).exclude(verdict=Verdict.DISMISSED)
    by_story = defaultdict(lambda: (0, 0.0), {
        story: (n, severity or 0.0) for story, n, severity in
        against.values("pair__story").annotate(n=Count("pk"), severity=Sum("severity"))
        .values_list("pair__story", "n", "severity")
    })
    counts = Counter({
        (kind, verdict): n for kind, verdict, n in
        found.values("kind", "verdict").annotate(n=Count("pk")).values_list("kind", "verdict", "n")
    })
    kinds = tuple(
        KindCount(
            kind, label, sum(counts[kind, v] for v in Verdict.values),
            counts[kind, Verdict.CONFIRMED], counts[kind, Verdict.DISMISSED],
        )
        for kind, label in DivergenceKind.choices
    )
    return by_story, kinds


def _left_out(ids: list[int] | QuerySet, stories: dict[int, StoryLine]) -> tuple[LeftOut, ...]:
    """The names and numbers one side has and the other lacks, from the divergences of those kinds that no
    reviewer dismissed, most frequent first. Their words are read from the sentences of their pairs alone, which
    come in the same query: a row for each sentence of a flagged divergence's pair (or one row, if it has none).
    The spans come as text, read once a divergence rather than once a row."""
    rows = (
        Divergence.objects.filter(pair__story__among=ids, kind__in=LEFT_OUT_KINDS).exclude(verdict=Verdict.DISMISSED)
        .annotate(en=Cast("en_spans", TextField()), ru=Cast("ru_spans", TextField()))
        .order_by("pk", "pair__sentences__language", "pair__sentences__start")
        .values_list("pk", "pair__story", "kind", "en", "ru",
                     "pair__sentences__language", "pair__sentences__start", "pair__sentences__text")
    )
    forms, counts, where = defaultdict(Counter), Counter(), defaultdict(dict)
    for _, group in groupby(rows, key=itemgetter(0)):
        group = list(group)
        _, story, kind, en_spans, ru_spans = group[0][:5]
        pieces = [Piece(language, start, text) for *_, language, start, text in group if language is not None]
        for language, spans in ((Language.EN, en_spans), (Language.RU, ru_spans)):
            for text in words(pieces, language, json.loads(spans) or ()):
                key = (kind, language, normal(text))
                if not key[2]:
                    continue
                forms[key][text.strip()] += 1
                counts[key] += 1
                where[key][story] = None
    order = {pk: i for i, pk in enumerate(stories)}
    ranked = sorted(counts, key=lambda key: (-counts[key], -len(where[key]), key))[:LEFT_OUT]
    return tuple(
        LeftOut(
            text=usual_form(forms[key]), kind=key[0], language=key[1], count=counts[key],
            stories=tuple(stories[pk] for pk in sorted(where[key], key=order.__getitem__)),
        )
        for key in ranked
    )


def as_json(report: CollectionReport) -> dict:
    """The report's numbers, as ``GET /api/collections/<id>/report/`` gives them.

    The contract: ``stories`` (stories counted: those whose latest run is done), ``pairs`` (all their pairs,
    one-sided ones included, as a story's page counts them), ``en_unpaired_share`` and ``ru_unpaired_share``
    (that side's sentences in a pair without the other side, over all that side's sentences), ``divergences``
    ({kind: count} for every kind), ``most_divergent`` (story ids, most first, at most 10: ranked by their
    divergences that are neither boilerplate nor dismissed, then by those divergences' severity; a story with none
    is not listed) and ``left_out`` ([{"text", "kind", "count",
    "stories"}], the names and numbers most often in one edition only, most first).

    Besides: ``two_sided_pairs`` (pairs with both sides); in ``left_out``, ``language`` (the side that has it);
    ``verdicts`` ({kind: {"confirmed", "dismissed", "pending"}}); ``coverage`` (stories by the share of each
    side with a counterpart, in tenths: [{"from", "to", "en", "ru"}]); ``timeline`` ([{"period", "stories",
    "divergences"}], ``period`` an ISO day, month or year) with ``undated`` (stories without a date).
    """
    return {
        "stories": len(report.stories),
        "pairs": report.pairs,
        "en_unpaired_share": round(report.en_unpaired_share, 4),
        "ru_unpaired_share": round(report.ru_unpaired_share, 4),
        "divergences": {k.kind: k.count for k in report.kinds},
        "most_divergent": [str(s.code) for s in report.most_divergent],
        "left_out": [
            {
                "text": item.text, "kind": item.kind, "count": item.count,
                "stories": [str(s.code) for s in item.stories], "language": item.language,
            }
            for item in report.left_out
        ],
        "two_sided_pairs": report.two_sided_pairs,
        "verdicts": {
            k.kind: {"confirmed": k.confirmed, "dismissed": k.dismissed, "pending": k.pending} for k in report.kinds
        },
        "coverage": [{"from": b.low, "to": b.high, "en": b.en, "ru": b.ru} for b in report.coverage],
        "timeline": [
            {"period": p.key, "stories": p.stories, "divergences": p.divergences} for p in report.timeline
        ],
        "undated": report.undated,
    }
