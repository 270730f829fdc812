"""What reviewers do to a processed story: correct its alignment, undo a correction, give each divergence a
verdict, and run the story again knowing what that discards. Services only, no HTTP: the views call these and
turn a ReviewError into a message.

A correction replaces a window of consecutive pairs with new pairs that hold the same sentences in the same
order, so every sentence of the story stays in exactly one pair, in order. Which window, and what replaces it,
is a pure function of the story's layout (``plan_merge``, ``plan_split``, ``plan_move``, ``plan_detach``).
Applying a plan writes the new pairs, has the pipeline's own detector find their divergences, and records an
Edit holding the window as it was: an undo writes that back.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alignment import stories
from alignment.models import (
    CORRECTIONS, Divergence, DivergenceCategory, DivergenceKind, Edit, EditAction, Job, JobStatus, Language, Pair,
    Sentence, Story, Verdict,
)
from alignment.pipeline.diverge import find_divergences
from alignment.pipeline.furniture import furniture_label
from alignment.pipeline.types import Bead, Kind
from alignment.pipeline.types import Sentence as PipelineSentence
from alignment.results import StoredPair, load_results

from .plans import Group, Layout, Plan, ReviewError, plan_detach, plan_merge, plan_move, plan_split

# Orders are unique per story, so a block of pairs is parked this far up while it shifts (see _shift).
_PARKING = 1 << 30


class ConfirmationNeeded(ReviewError):
    def __init__(self, lost: LostWork):
        super().__init__(f"Running the story again discards {lost}. Confirm to go ahead.")
        self.lost = lost


# ---------------------------------------------------------------------------------------------------- The rows


@dataclass(frozen=True)
class _State:
    """A story's results as a correction sees them: its pairs in order, their layout, and both sides as the
    pipeline reads them, with the kind of furniture the run took each sentence for."""

    pairs: tuple[StoredPair, ...]
    layout: Layout
    en: tuple[PipelineSentence, ...]
    ru: tuple[PipelineSentence, ...]
    furniture: dict[str, dict[int, str]]  # language -> sentence index -> the kind of furniture the run saw

    def position(self, pair_id) -> int:
        for k, pair in enumerate(self.pairs):
            if str(pair.pk) == str(pair_id):
                return k
        raise ReviewError("That pair is no longer there: the alignment changed since this page was loaded. "
                          "Reload the page.")


def _load(story: Story) -> _State:
    results = load_results(story)
    layout = tuple(Group(tuple(s.index for s in p.en), tuple(s.index for s in p.ru)) for p in results.pairs)
    stored = results.alignment
    return _State(results.pairs, layout, stored.en, stored.ru, stored.furniture)


def _lock(story: Story) -> None:
    """Changes to one story go one at a time: PostgreSQL waits here; SQLite serialises writes anyway."""
    list(Story.objects.select_for_update().filter(pk=story.pk).values_list("pk"))


def _current_job(story: Story) -> Job:
    """The job whose results are on the page, once the story is locked."""
    _lock(story)
    job = story.latest_job()
    if not story.results_ready(job):
        raise ReviewError("This story has no results to change right now: wait until it is processed.")
    return job


# A pair as the Edit records it, and as it is written back: its sentences, measures and divergences, the
# divergences with their reviews. Plain JSON, so that an Edit's payload holds it as it is.
PairSpec = dict

REVIEW_FIELDS = ("verdict", "category", "note", "reviewed_by", "reviewed_at")


def _snapshot(pairs: Sequence[StoredPair], layout: Sequence[Group]) -> list[PairSpec]:
    return [
        {**group.to_dict(), "score": pair.score, "similarity": pair.similarity, "manual": pair.manual,
         "divergences": [
             {
                 "kind": d.kind, "severity": d.severity, "reason": d.reason,
                 "en_spans": [list(s) for s in d.en_spans], "ru_spans": [list(s) for s in d.ru_spans],
                 "verdict": d.verdict, "category": d.category, "note": d.note, "reviewed_by": d.reviewed_by,
                 "reviewed_at": d.reviewed_at.isoformat() if d.reviewed_at else None,
             }
             for d in pair.divergences
         ]}
        for pair, group in zip(pairs, layout)
    ]


def _replace(story: Story, state: _State, start: int, stop: int, specs: Sequence[PairSpec]) -> None:
    """Pairs start..stop-1 give way to ``specs``; the pairs after them shift to keep the orders consecutive."""
    Pair.objects.filter(pk__in=[p.pk for p in state.pairs[start:stop]]).delete()
    _shift(story, stop, len(specs) - (stop - start))
    pairs = Pair.objects.bulk_create(
        Pair(
            story=story, order=start + k, score=spec["score"], similarity=spec["similarity"], manual=spec["manual"],
            kinds=",".join(sorted({d["kind"] for d in spec["divergences"]})),
        )
        for k, spec in enumerate(specs)
    )
    for pair, spec in zip(pairs, specs):
        for lang in Language:
            if spec[lang]:
                Sentence.objects.filter(document__story=story, language=lang, index__in=spec[lang]).update(pair=pair)
    reviewers = _existing_users(d["reviewed_by"] for spec in specs for d in spec["divergences"])
    Divergence.objects.bulk_create(
        Divergence(
            pair=pair, kind=d["kind"], severity=d["severity"], reason=d["reason"], en_spans=d["en_spans"],
            ru_spans=d["ru_spans"], verdict=d["verdict"], category=d["category"], note=d["note"],
            reviewed_by_id=d["reviewed_by"] if d["reviewed_by"] in reviewers else None,
            reviewed_at=parse_datetime(d["reviewed_at"]) if d["reviewed_at"] else None,
        )
        for pair, spec in zip(pairs, specs)
        for d in spec["divergences"]
    )


def _shift(story: Story, first: int, by: int) -> None:
    """Add ``by`` to the order of every pair from ``first`` on. In two steps, through the parking range, so
    that no two pairs ever share an order on the way (the constraint is checked row by row)."""
    if by:
        Pair.objects.filter(story=story, order__gte=first).update(order=F("order") + _PARKING)
        Pair.objects.filter(story=story, order__gte=_PARKING).update(order=F("order") - _PARKING + by)


def _existing_users(ids) -> set[int]:
    wanted = {i for i in ids if i is not None}
    return set(get_user_model().objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()


def _refresh_stats(story: Story) -> None:
    """The story's statistics again, as the pipeline counts them, over the pairs as they are now."""
    story.stats = load_results(story).stats.to_dict()
    story.save(update_fields=["stats", "updated"])


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
        job = _current_job(story)
        state = _load(story)
        plan = plan_of(state.layout, state.position(pair_id))
        before = _snapshot(state.pairs[plan.start : plan.stop], state.layout[plan.start : plan.stop])
        specs = _carry_reviews(_diverged(state, plan), before)
        _replace(story, state, plan.start, plan.stop, specs)
        _refresh_stats(story)
        story.bump_version()
        payload = {"start": plan.start, "before": before, "after": [g.to_dict() for g in plan.groups]}
        return Edit.objects.create(story=story, job=job, user=user, action=action, summary=plan.summary,
                                   payload=payload)


def _furniture(state: _State) -> dict[str, dict[int, str]]:
    """The sentences the run took for furniture, with their kind, and any other whose grammar says it is."""
    return {
        lang: {s.index: label for s in sentences if (label := furniture_label(s.text))} | state.furniture[lang]
        for lang, sentences in ((Language.EN, state.en), (Language.RU, state.ru))
    }


def _diverged(state: _State, plan: Plan) -> list[PairSpec]:
    """The plan's new pairs with their divergences, found by the pipeline's detector over the whole story as
    it will be, so that it measures the story (its typical similarity, its length ratio, its names) as it
    did when it ran. A new pair's similarity was never measured: it stands at the story's typical level."""
    typical = _typical_similarity(state.pairs, state.layout)
    new = [
        Bead(g.en, g.ru, 1.0, typical) if g.en and g.ru else Bead(g.en, g.ru, 0.0, 0.0) for g in plan.groups
    ]
    kept = [Bead(g.en, g.ru, p.score, p.similarity) for p, g in zip(state.pairs, state.layout)]
    beads = find_divergences(kept[: plan.start] + new + kept[plan.stop :], state.en, state.ru, _furniture(state))
    return [
        {
            **Group(b.en, b.ru).to_dict(), "score": b.score, "similarity": b.similarity, "manual": True,
            "divergences": [
                {
                    "kind": d.kind.value, "severity": d.severity, "reason": d.reason[:500],
                    "en_spans": [list(s) for s in d.en_spans], "ru_spans": [list(s) for s in d.ru_spans],
                    "verdict": Verdict.PENDING, "category": "", "note": "", "reviewed_by": None, "reviewed_at": None,
                }
                for d in b.divergences
                # The meaning check reads the similarity, which a new pair does not have.
                if not (d.kind == Kind.MEANING and b.en and b.ru)
            ],
        }
        for b in beads[plan.start : plan.start + len(plan.groups)]
    ]


def _typical_similarity(pairs: Sequence[StoredPair], layout: Sequence[Group]) -> float:
    """The median similarity of the story's measured 1-1 pairs (of any measured pairs if it has none)."""
    measured = [(p.similarity, g) for p, g in zip(pairs, layout) if not p.manual and g.en and g.ru]
    one_to_one = [s for s, g in measured if len(g.en) == len(g.ru) == 1]
    values = one_to_one or [s for s, _ in measured]
    return statistics.median(values) if values else 1.0


def _carry_reviews(specs: list[PairSpec], reviewed: list[PairSpec]) -> list[PairSpec]:
    """``specs`` with the reviews of ``reviewed`` on the same divergences (the same kind over the same words),
    where those are the later ones: a correction keeps the verdicts of what it did not change."""
    latest = {_key(d): d for spec in reviewed for d in spec["divergences"] if d["reviewed_at"]}
    return [
        {**spec, "divergences": [_later_review(d, latest.get(_key(d))) for d in spec["divergences"]]}
        for spec in specs
    ]


def _later_review(divergence: dict, other: dict | None) -> dict:
    if other is None or (
        divergence["reviewed_at"] and parse_datetime(divergence["reviewed_at"]) >= parse_datetime(other["reviewed_at"])
    ):
        return divergence
    return {**divergence, **{field: other[field] for field in REVIEW_FIELDS}}


def _key(d: dict) -> tuple:
    return d["kind"], tuple(map(tuple, d["en_spans"])), tuple(map(tuple, d["ru_spans"]))


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
        job = _current_job(story)
        edit = _corrections(story, job).first()
        if edit is None:
            raise ReviewError("There is no correction to undo.")
        if edit_id is not None and str(edit.pk) != str(edit_id):
            raise ReviewError(
                f"That is no longer the latest correction: the latest is “{edit.summary}”. Reload the page to "
                "see the story as it is now."
            )
        state = _load(story)
        start, after = edit.payload["start"], edit.payload["after"]
        stop = start + len(after)
        if [g.to_dict() for g in state.layout[start:stop]] != after:
            raise ReviewError("The pairs this correction made have changed since: it can no longer be undone.")
        current = _snapshot(state.pairs[start:stop], state.layout[start:stop])
        _replace(story, state, start, stop, _carry_reviews(edit.payload["before"], current))
        _refresh_stats(story)
        story.bump_version()
        Edit.objects.filter(pk=edit.pk).update(undone=True)
        return Edit.objects.create(
            story=story, job=job, user=user, action=EditAction.UNDO, summary=f"Undid: {edit.summary}",
            payload={"edit": edit.pk, "start": start, "pairs": len(edit.payload["before"])},
        )


# ---------------------------------------------------------------------------------------------------- Verdicts


# What a verdict did, in the history: given, or taken back.
VERDICT_WORDS = {Verdict.CONFIRMED: "Confirmed", Verdict.DISMISSED: "Dismissed", Verdict.PENDING: "Reopened"}


def _check_review(verdict: str, category: str) -> None:
    if verdict not in Verdict.values:
        raise ReviewError(f"A verdict is one of {', '.join(Verdict.labels)}.")
    if category and category not in DivergenceCategory.values:
        raise ReviewError(f"A category is one of {', '.join(DivergenceCategory.labels)}.")


def review_divergence(story: Story, user, divergence_id, verdict: str, category: str = "", note: str = "") -> Edit:
    """Give a divergence a verdict (``Verdict.PENDING`` takes it back), with a category and a note."""
    _check_review(verdict, category)
    with transaction.atomic():
        job = _current_job(story)
        divergence = Divergence.objects.select_related("pair").filter(pk=divergence_id, pair__story=story).first()
        if divergence is None:
            raise ReviewError("That divergence is no longer there: the alignment changed since this page was "
                              "loaded. Reload the page.")
        before = {field: getattr(divergence, field) for field in ("verdict", "category", "note")}
        divergence.verdict, divergence.category, divergence.note = verdict, category, note.strip()
        divergence.reviewed_by, divergence.reviewed_at = user, timezone.now()
        divergence.save(update_fields=["verdict", "category", "note", "reviewed_by", "reviewed_at"])
        story.bump_version()
        after = {field: getattr(divergence, field) for field in ("verdict", "category", "note")}
        what = VERDICT_WORDS[verdict] if verdict != before["verdict"] else "Updated the review of"
        summary = (
            f"{what} “{divergence.get_kind_display()}” in pair {divergence.pair.order + 1}"
            + (f" as {divergence.get_category_display().lower()}" if category else "")
            + (" with a note" if after["note"] and after["note"] != before["note"] else "")
        )
        return Edit.objects.create(
            story=story, job=job, user=user, action=EditAction.VERDICT, summary=summary[:300],
            payload={"divergence": divergence.pk, "pair": divergence.pair.order + 1, "kind": divergence.kind,
                     "before": before, "after": after},
        )


def review_passage(story: Story, user, pair_ids: Sequence[int], verdict: str, category: str = "",
                   note: str = "") -> Edit:
    """One verdict (with a category and a note) for a whole passage: every divergence of its pairs, named by their
    ids in order, at once. One Edit in the history. Refused when those pairs no longer make one passage."""
    _check_review(verdict, category)
    with transaction.atomic():
        job = _current_job(story)
        results = load_results(story)
        found = next((p for p in results.passages if list(p.pairs) == list(pair_ids)), None)
        if found is None:
            raise ReviewError("That passage is no longer there: the alignment changed since this page was loaded. "
                              "Reload the page.")
        divergences = sorted((d for p in results.pairs if p.pk in found.pairs for d in p.divergences),
                             key=lambda d: d.pk)
        if not divergences:
            raise ReviewError("That passage has no divergence to review.")
        after = {"verdict": verdict, "category": category, "note": note.strip()}
        before = {str(d.pk): {field: getattr(d, field) for field in after} for d in divergences}
        Divergence.objects.filter(pk__in=[d.pk for d in divergences]).update(
            **after, reviewed_by=user, reviewed_at=timezone.now(),
        )
        story.bump_version()
        changed = any(b["verdict"] != verdict for b in before.values())
        first, last = found.orders[0] + 1, found.orders[-1] + 1
        kind = found.passage.kind
        summary = (
            f"{VERDICT_WORDS[verdict] if changed else 'Updated the review of'} the passage"
            + (f" “{DivergenceKind(kind).label}”" if kind else "")
            + (f" in pairs {first}–{last}" if last > first else f" in pair {first}")
            + f" ({found.passage.sentences} sentence{'s' if found.passage.sentences != 1 else ''})"
            + (f" as {DivergenceCategory(category).label.lower()}" if category else "")
            + (" with a note" if after["note"] and any(b["note"] != after["note"] for b in before.values()) else "")
        )
        return Edit.objects.create(
            story=story, job=job, user=user, action=EditAction.VERDICT, summary=summary[:300],
            payload={"passage": list(found.pairs), "pair": first, "pairs": [o + 1 for o in found.orders],
                     "divergences": [d.pk for d in divergences], "before": before, "after": after},
        )


@dataclass(frozen=True)
class Progress:
    by_verdict: dict[str, int]  # Verdict value -> divergences
    annotated: int  # divergences with a verdict or a note: what a new run would lose

    @property
    def total(self) -> int:
        return sum(self.by_verdict.values())

    @property
    def reviewed(self) -> int:
        """Divergences with a verdict."""
        return self.total - self.by_verdict[Verdict.PENDING]

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 100


def progress(story: Story) -> Progress:
    """How far the review of a story's divergences has come, in one query."""
    counts = Divergence.objects.filter(pair__story=story).aggregate(
        annotated=Count("pk", filter=~Q(verdict=Verdict.PENDING) | ~Q(note="")),
        **{value: Count("pk", filter=Q(verdict=value)) for value in Verdict.values},
    )
    return Progress({value: counts[value] for value in Verdict.values}, counts["annotated"])


# ---------------------------------------------------------------------------------------------------- Running again


@dataclass(frozen=True)
class LostWork:
    """What running a story again would discard: corrections to its results, and divergences reviewed."""

    corrections: int
    reviews: int  # divergences with a verdict or a note

    def __bool__(self) -> bool:
        return bool(self.corrections or self.reviews)

    def __str__(self) -> str:
        parts = [
            f"{n} {word if n == 1 else word + 's'}"
            for n, word in ((self.corrections, "correction"), (self.reviews, "reviewed divergence"))
            if n
        ]
        return " and ".join(parts) or "nothing"


def lost_work(story: Story) -> LostWork:
    # The run whose results are stored: the latest done one, even while a later run failed.
    job = story.jobs.filter(status=JobStatus.DONE).order_by(*Job.NEWEST_FIRST).first()
    return LostWork(len(undo_stack(story, job)), progress(story).annotated)


def rerun(story: Story, user, confirmed: bool = False) -> Job | None:
    """Queue a new run of the pipeline, which replaces the story's results. Refused with ConfirmationNeeded
    while that would discard reviewers' work and ``confirmed`` is not set. None if a run is already waiting."""
    with transaction.atomic():
        _lock(story)
        latest = story.latest_job()
        if latest is not None and latest.is_active:  # a second click must not queue a second job
            return None
        lost = lost_work(story)
        if lost and not confirmed:
            raise ConfirmationNeeded(lost)
        job = stories.rerun(story)
        Edit.objects.create(
            story=story, job=latest, user=user, action=EditAction.RERUN,
            summary="Ran the story again" + (f", discarding {lost}" if lost else ""),
            payload={"job": job.pk, "corrections": lost.corrections, "reviews": lost.reviews},
        )
        return job
