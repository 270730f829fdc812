"""Reviewers' verdicts on a story's divergences, one at a time or a whole passage at once, and how far the
review has come. Each verdict is an Edit in the story's history; a correction or an undo carries verdicts over
to the divergences it finds again (alignment.review.corrections)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from alignment.models import Divergence, DivergenceCategory, DivergenceKind, Edit, EditAction, Story, Verdict
from alignment.results import load_results

from .corrections import current_job
from .plans import ReviewError

# What a verdict did, in the history: given, or taken back.
VERDICT_WORDS = {Verdict.CONFIRMED: "Confirmed", Verdict.DISMISSED: "Dismissed", Verdict.PENDING: "Reopened"}
NOTE_MAX_CHARS = Divergence._meta.get_field("note").max_length


def _check_review(verdict: str, category: str, note: str) -> None:
    if verdict not in Verdict.values:
        raise ReviewError(f"A verdict is one of {', '.join(Verdict.labels)}.")
    if category and category not in DivergenceCategory.values:
        raise ReviewError(f"A category is one of {', '.join(DivergenceCategory.labels)}.")
    if len(note.strip()) > NOTE_MAX_CHARS:
        raise ReviewError(f"A note is at most {NOTE_MAX_CHARS:,} characters; this one has {len(note.strip()):,}. "
                          "Shorten it and save again.")


def review_divergence(story: Story, user, divergence_id, verdict: str, category: str = "", note: str = "") -> Edit:
    """Give a divergence a verdict (``Verdict.PENDING`` takes it back), with a category and a note."""
    _check_review(verdict, category, note)
    with transaction.atomic():
        job = current_job(story)
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
    _check_review(verdict, category, note)
    with transaction.atomic():
        job = current_job(story)
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
