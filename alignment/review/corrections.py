"""Corrections applied to the rows, and their undo. A plan (alignment.review.plans) becomes new pairs in one
transaction; the pipeline's own detector finds their divergences, and the reviews of those it finds again are
kept; an Edit records the window of pairs as it was, and an undo writes that back.

Every change to a story's results, a verdict's too, takes the story's lock and goes by the job whose results are
on the page (``current_job``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils.dateparse import parse_datetime

from alignment.glossary.entries import for_story
from alignment.models import CORRECTIONS, Divergence, Edit, EditAction, Job, Language, Pair, Sentence, Story, Verdict
from alignment.pipeline.diverge import Move, find_divergences
from alignment.pipeline.furniture import furniture_label
from alignment.pipeline.types import Bead, GlossaryPair, Kind, Span
from alignment.pipeline.types import Sentence as PipelineSentence
from alignment.results import StoredPair, counterpart_of, load_results, stored_counterpart

from .plans import Group, Layout, Plan, ReviewError, plan_detach, plan_merge, plan_move, plan_split

# Orders are unique per story, so a block of pairs is parked this far up while it shifts (see _shift).
_PARKING = 1 << 30


def current_job(story: Story) -> Job:
    """The job whose results are on the page, once the story is locked."""
    story.lock()
    job = story.latest_job()
    if not story.results_ready(job):
        raise ReviewError("This story has no results to change right now: wait until it is processed.")
    return job


# ---------------------------------------------------------------------------------------------------- The rows


@dataclass(frozen=True)
class _State:
    """A story's results as a correction sees them: its pairs in order, their layout, and both sides as the
    pipeline reads them, with the kind of furniture the run took each sentence for, and the glossary's pairs."""

    pairs: tuple[StoredPair, ...]
    layout: Layout
    en: tuple[PipelineSentence, ...]
    ru: tuple[PipelineSentence, ...]
    furniture: dict[str, dict[int, str]]  # language -> sentence index -> the kind of furniture the run saw
    glossary: tuple[GlossaryPair, ...] = ()  # of the story's owner and collections (alignment.glossary)

    def position(self, pair_id) -> int:
        for k, pair in enumerate(self.pairs):
            if str(pair.pk) == str(pair_id):
                return k
        raise ReviewError("That pair is no longer there: the alignment changed since this page was loaded. "
                          "Reload the page.")


def load_state(story: Story) -> _State:
    results = load_results(story)
    stored = results.alignment
    return _State(results.pairs, tuple(map(_group_of, results.pairs)), stored.en, stored.ru, stored.furniture,
                  for_story(story))


def _group_of(pair: StoredPair) -> Group:
    return Group(tuple(s.index for s in pair.en), tuple(s.index for s in pair.ru))


@dataclass(frozen=True)
class Review:
    """A reviewer's word on a divergence: what a correction or an undo carries over to the same divergence when
    the detector finds it again."""

    verdict: str = Verdict.PENDING
    category: str = ""  # a DivergenceCategory value, or ""
    note: str = ""
    reviewed_by: int | None = None  # the reviewer's user id
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class RecordedDivergence:
    kind: str  # a DivergenceKind value
    severity: float
    reason: str
    en_spans: tuple[Span, ...]
    ru_spans: tuple[Span, ...]
    review: Review = Review()
    en_counterpart: tuple[int, ...] = ()  # a moved passage's counterpart (sentence indices)
    ru_counterpart: tuple[int, ...] = ()

    @property
    def key(self) -> tuple:
        """The same kind over the same words: what makes a divergence found again the same divergence."""
        return self.kind, self.en_spans, self.ru_spans

    def to_dict(self) -> dict:
        r = self.review
        return {
            "kind": self.kind, "severity": self.severity, "reason": self.reason,
            "en_spans": [list(s) for s in self.en_spans], "ru_spans": [list(s) for s in self.ru_spans],
            "counterpart": stored_counterpart(self.en_counterpart, self.ru_counterpart),
            "verdict": r.verdict, "category": r.category, "note": r.note, "reviewed_by": r.reviewed_by,
            "reviewed_at": r.reviewed_at.isoformat() if r.reviewed_at else None,
        }

    @classmethod
    def from_dict(cls, d: dict) -> RecordedDivergence:
        reviewed_at = parse_datetime(d["reviewed_at"]) if d["reviewed_at"] else None
        return cls(
            d["kind"], d["severity"], d["reason"], tuple(map(tuple, d["en_spans"])), tuple(map(tuple, d["ru_spans"])),
            Review(d["verdict"], d["category"], d["note"], d["reviewed_by"], reviewed_at),
            *counterpart_of(d.get("counterpart")),  # edits recorded before moved passages have none
        )


@dataclass(frozen=True)
class RecordedPair:
    """A pair as an Edit records it and an undo writes it back: its sentences, measures and divergences, the
    divergences with their reviews. An Edit's payload holds it as ``to_dict()``, in JSON."""

    group: Group
    score: float
    similarity: float
    manual: bool
    divergences: tuple[RecordedDivergence, ...]
    locked: bool = False  # a pair made by a correction is locked whatever this says

    @classmethod
    def of(cls, pair: StoredPair) -> RecordedPair:
        return cls(_group_of(pair), pair.score, pair.similarity, pair.manual, tuple(
            RecordedDivergence(d.kind, d.severity, d.reason, d.en_spans, d.ru_spans,
                               Review(d.verdict, d.category, d.note, d.reviewed_by, d.reviewed_at),
                               d.en_counterpart, d.ru_counterpart)
            for d in pair.divergences
        ), pair.locked)

    def to_dict(self) -> dict:
        return {**self.group.to_dict(), "score": self.score, "similarity": self.similarity, "manual": self.manual,
                "locked": self.locked, "divergences": [d.to_dict() for d in self.divergences]}

    @classmethod
    def from_dict(cls, data: dict) -> RecordedPair:
        # Edits recorded before pairs could be locked have no "locked": their corrected pairs were locked since.
        return cls(Group(tuple(data["en"]), tuple(data["ru"])), data["score"], data["similarity"], data["manual"],
                   tuple(RecordedDivergence.from_dict(d) for d in data["divergences"]),
                   data.get("locked", data["manual"]))


def _replace(story: Story, state: _State, start: int, stop: int, pairs: Sequence[RecordedPair]) -> None:
    """Pairs start..stop-1 give way to ``pairs``; the pairs after them shift to keep the orders consecutive, and
    the story's statistics (as the pipeline counts them) and its version follow."""
    Pair.objects.filter(pk__in=[p.pk for p in state.pairs[start:stop]]).delete()
    _shift(story, stop, len(pairs) - (stop - start))
    rows = Pair.objects.bulk_create(
        Pair(
            story=story, order=start + k, score=pair.score, similarity=pair.similarity, manual=pair.manual,
            locked=pair.locked or pair.manual, kinds=",".join(sorted({d.kind for d in pair.divergences})),
        )
        for k, pair in enumerate(pairs)
    )
    for row, pair in zip(rows, pairs):
        for lang in Language:
            if indices := pair.group.side(lang):
                Sentence.objects.filter(document__story=story, language=lang, index__in=indices).update(pair=row)
    reviewers = _existing_users(d.review.reviewed_by for pair in pairs for d in pair.divergences)
    Divergence.objects.bulk_create(
        Divergence(
            pair=row, kind=d.kind, severity=d.severity, reason=d.reason, en_spans=[list(s) for s in d.en_spans],
            ru_spans=[list(s) for s in d.ru_spans], counterpart=stored_counterpart(d.en_counterpart, d.ru_counterpart),
            verdict=d.review.verdict, category=d.review.category,
            note=d.review.note, reviewed_at=d.review.reviewed_at,
            reviewed_by_id=d.review.reviewed_by if d.review.reviewed_by in reviewers else None,
        )
        for row, pair in zip(rows, pairs)
        for d in pair.divergences
    )
    story.stats = load_results(story).stats.to_dict()
    story.save(update_fields=["stats", "updated"])
    story.bump_version()


def _shift(story: Story, first: int, by: int) -> None:
    """Add ``by`` to the order of every pair from ``first`` on. In two steps, through the parking range, so
    that no two pairs ever share an order on the way (the constraint is checked row by row)."""
    if by:
        Pair.objects.filter(story=story, order__gte=first).update(order=F("order") + _PARKING)
        Pair.objects.filter(story=story, order__gte=_PARKING).update(order=F("order") - _PARKING + by)


def _existing_users(ids) -> set[int]:
    wanted = {i for i in ids if i is not None}
    return set(get_user_model().objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()


# ---------------------------------------------------------------------------------------------------- Corrections


def merge(story: Story, user, pair_id) -> Edit:
    return _correct(story, user, EditAction.MERGE, pair_id, plan_merge)


def split(story: Story, user, pair_id, after: tuple[str, int] | None = None) -> Edit:
    return _correct(story, user, EditAction.SPLIT, pair_id, lambda layout, k: plan_split(layout, k, after))


def move(story: Story, user, pair_id, lang: str, index: int, direction: str) -> Edit:
    return _correct(
        story, user, EditAction.MOVE, pair_id, lambda layout, k: plan_move(layout, k, lang, index, direction)
    )


def detach(story: Story, user, pair_id, lang: str, index: int) -> Edit:
    return _correct(story, user, EditAction.DETACH, pair_id, lambda layout, k: plan_detach(layout, k, lang, index))


def _correct(story: Story, user, action: str, pair_id, plan_of: Callable[[Layout, int], Plan]) -> Edit:
    with transaction.atomic():
        job = current_job(story)
        state = load_state(story)
        plan = plan_of(state.layout, state.position(pair_id))
        before = tuple(RecordedPair.of(p) for p in state.pairs[plan.start : plan.stop])
        _replace(story, state, plan.start, plan.stop, _carry_reviews(_rechecked(state, plan), before))
        payload = {
            "start": plan.start, "before": [p.to_dict() for p in before], "after": [g.to_dict() for g in plan.groups],
        }
        return Edit.objects.create(story=story, job=job, user=user, action=action, summary=plan.summary,
                                   payload=payload)


def detector_furniture(state: _State) -> dict[str, dict[int, str]]:
    """The sentences the run took for furniture, with their kind, and any other whose grammar says it is."""
    return {
        lang: {s.index: label for s in sentences if (label := furniture_label(s.text))} | state.furniture[lang]
        for lang, sentences in ((Language.EN, state.en), (Language.RU, state.ru))
    }


def _rechecked(state: _State, plan: Plan) -> tuple[RecordedPair, ...]:
    """The plan's new pairs with their divergences, found by the pipeline's detector over the whole story as
    it will be, so that it measures the story (its typical similarity, its length ratio, its names) as it
    did when it ran. A new pair's similarity was never measured: it stands at the story's typical level."""
    typical = _typical_similarity(state.pairs, state.layout)
    new = [
        Bead(g.en, g.ru, 1.0, typical) if g.en and g.ru else Bead(g.en, g.ru, 0.0, 0.0) for g in plan.groups
    ]
    kept = [Bead(g.en, g.ru, p.score, p.similarity) for p, g in zip(state.pairs, state.layout)]
    beads = find_divergences(
        kept[: plan.start] + new + kept[plan.stop :], state.en, state.ru, detector_furniture(state),
        moves=_moves(state), glossary=state.glossary,
    )
    return tuple(
        RecordedPair(Group(b.en, b.ru), b.score, b.similarity, True, tuple(
            RecordedDivergence(d.kind.value, d.severity, d.reason[:500], d.en_spans, d.ru_spans, Review(),
                               d.en_counterpart, d.ru_counterpart)
            for d in b.divergences
            # The meaning check reads the similarity, which a new pair does not have.
            if not (d.kind == Kind.MEANING and b.en and b.ru)
        ))
        for b in beads[plan.start : plan.start + len(plan.groups)]
    )


def _moves(state: _State) -> tuple[Move, ...]:
    """The moves the run found, as the story's rows record them: a correction cannot find them again (it has no
    embeddings), but it keeps those whose sentences it leaves unpaired (find_divergences checks)."""
    # Each row names the whole of its counterpart: the rows naming the same one are the rest of their move.
    sides: dict[tuple[str, tuple[int, ...]], set[int]] = {}
    for pair in state.pairs:
        for d in pair.divergences:
            if d.kind == Kind.MOVED:
                here = "en" if pair.en else "ru"
                counterpart = d.ru_counterpart if here == "en" else d.en_counterpart
                sides.setdefault((here, counterpart), set()).update(s.index for s in pair.en or pair.ru)
    return tuple(dict.fromkeys(
        Move(tuple(sorted(found)), there) if here == "en" else Move(there, tuple(sorted(found)))
        for (here, there), found in sides.items()
    ))


def _typical_similarity(pairs: Sequence[StoredPair], layout: Sequence[Group]) -> float:
    """The median similarity of the story's measured 1-1 pairs (of any measured pairs if it has none)."""
    measured = [(p.similarity, g) for p, g in zip(pairs, layout) if not p.manual and g.en and g.ru]
    one_to_one = [s for s, g in measured if len(g.en) == len(g.ru) == 1]
    values = one_to_one or [s for s, _ in measured]
    return statistics.median(values) if values else 1.0


def _carry_reviews(pairs: Sequence[RecordedPair], reviewed: Sequence[RecordedPair]) -> tuple[RecordedPair, ...]:
    """``pairs`` with the reviews of ``reviewed`` on the same divergences (the same kind over the same words),
    where those are the later ones: a correction keeps the verdicts of what it did not change."""
    latest = {d.key: d.review for pair in reviewed for d in pair.divergences if d.review.reviewed_at}
    return tuple(
        replace(pair, divergences=tuple(_later_review(d, latest.get(d.key)) for d in pair.divergences))
        for pair in pairs
    )


def _later_review(divergence: RecordedDivergence, other: Review | None) -> RecordedDivergence:
    mine = divergence.review.reviewed_at
    return divergence if other is None or (mine and mine >= other.reviewed_at) else replace(divergence, review=other)


def undo_stack(story: Story, job: Job | None) -> list[Edit]:
    """The corrections of the results ``job`` made that are not undone, the latest (the next to undo) first."""
    if job is None:
        return []
    return list(_corrections(story, job).only("pk", "summary"))


def _corrections(story: Story, job: Job):
    return story.edits.filter(job=job, action__in=CORRECTIONS, undone=False).order_by("-pk")


def undo(story: Story, user, edit_id=None) -> Edit:
    """Take back the story's latest correction (``edit_id``, if given, must be it), writing back the pairs it
    replaced. Reviews given since to the same divergences are kept."""
    with transaction.atomic():
        job = current_job(story)
        edit = _corrections(story, job).first()
        if edit is None:
            raise ReviewError("There is no correction to undo.")
        if edit_id is not None and str(edit.pk) != str(edit_id):
            raise ReviewError(
                f"That is no longer the latest correction: the latest is “{edit.summary}”. Reload the page to "
                "see the story as it is now."
            )
        state = load_state(story)
        start, after = edit.payload["start"], edit.payload["after"]
        stop = start + len(after)
        if [g.to_dict() for g in state.layout[start:stop]] != after:
            raise ReviewError("The pairs this correction made have changed since: it can no longer be undone.")
        current = tuple(RecordedPair.of(p) for p in state.pairs[start:stop])
        before = tuple(RecordedPair.from_dict(p) for p in edit.payload["before"])
        _replace(story, state, start, stop, _carry_reviews(before, current))
        Edit.objects.filter(pk=edit.pk).update(undone=True)
        return Edit.objects.create(
            story=story, job=job, user=user, action=EditAction.UNDO, summary=f"Undid: {edit.summary}",
            payload={"edit": edit.pk, "start": start, "pairs": len(edit.payload["before"])},
        )
