"""A story's names checked again, without aligning it again: after its glossary changed (alignment.glossary), the
pipeline's detector reads the story's pairs as they stand, with the glossary of its owner and its collections, and
the name divergences that changed are replaced.

Only the name divergences: the glossary feeds the name check alone, and the other kinds are left as the run found
them (some, such as two sides that say opposite things, need the embeddings a re-check does not have). A pair's
reviewed name divergences keep their verdicts and notes where it still has one: on the same words first, then in
order, as a new run keeps them (alignment.keeping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from alignment.models import Divergence, Edit, EditAction, Pair, Story
from alignment.pipeline.diverge import find_divergences
from alignment.pipeline.types import Bead, Kind
from alignment.pipeline.types import Divergence as PipelineDivergence
from alignment.results import StoredDivergence, StoredPair, load_results

from .corrections import current_job, detector_furniture, load_state
from .plans import ReviewError



@dataclass(frozen=True)
class Rechecked:
    """What a re-check changed: name divergences taken away and found anew, and on how many pairs."""

    removed: int
    added: int
    pairs: int

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def __str__(self) -> str:
        if not self.pairs:
            return "no name flag changed"
        parts = [f"{n} name flag{'' if n == 1 else 's'} {what}" for n, what in ((self.removed, "gone"),
                                                                                 (self.added, "new")) if n]
        return ", ".join(parts) or f"the name flags of {self.pairs} pair{'' if self.pairs == 1 else 's'} changed"


def recheck(story: Story, user=None) -> Rechecked | None:
    """Find the story's name divergences again and replace those that changed, in one transaction, with an entry
    in the story's history when any did. None when the story has no results to check (not processed yet, or
    running again)."""
    with transaction.atomic():
        try:
            job = current_job(story)
        except ReviewError:
            return None
        state = load_state(story)
        beads = [Bead(g.en, g.ru, p.score, p.similarity) for p, g in zip(state.pairs, state.layout)]
        found = find_divergences(beads, state.en, state.ru, detector_furniture(state), glossary=state.glossary)
        removed = added = pairs = 0
        for pair, bead in zip(state.pairs, found):
            old = [d for d in pair.divergences if d.kind == Kind.NAME]
            new = [d for d in bead.divergences if d.kind == Kind.NAME]
            if [_key(d) for d in old] == [_key(d) for d in new]:
                continue
            _replace_names(pair, old, new)
            removed, added, pairs = removed + len(old), added + len(new), pairs + 1
        outcome = Rechecked(removed, added, pairs)
        if outcome:
            story.stats = load_results(story).stats.to_dict()
            story.save(update_fields=["stats", "updated"])
            story.bump_version()
            Edit.objects.create(story=story, job=job, user=user, action=EditAction.RECHECK,
                                summary=f"Re-checked the names against the glossary: {outcome}",
                                payload={"removed": removed, "added": added, "pairs": pairs})
        return outcome


def _key(d: StoredDivergence | PipelineDivergence) -> tuple:
    return d.reason[:500], tuple(map(tuple, d.en_spans)), tuple(map(tuple, d.ru_spans))


def _replace_names(pair: StoredPair, old: Sequence[StoredDivergence], new: Sequence[PipelineDivergence]) -> None:
    """The pair's name divergences ``old`` give way to ``new``, which take over the reviews of the old ones: the
    one on the same words first, the rest in order."""
    reviewed = [d for d in old if d.verdict != "pending" or d.note or d.category]
    made = []
    for d in new:
        same = next((r for r in reviewed if _key(r)[1:] == _key(d)[1:]), None)
        made.append((d, same))
        if same is not None:
            reviewed.remove(same)
    made = [(d, review or (reviewed.pop(0) if reviewed else None)) for d, review in made]
    Divergence.objects.filter(pk__in=[d.pk for d in old]).delete()
    Divergence.objects.bulk_create(
        Divergence(
            pair_id=pair.pk, kind=d.kind.value, severity=d.severity, reason=d.reason[:500],
            en_spans=[list(s) for s in d.en_spans], ru_spans=[list(s) for s in d.ru_spans],
            **(_review(review) if review else {}),
        )
        for d, review in made
    )
    kinds = {d.kind for d in pair.divergences if d.kind != Kind.NAME} | {d.kind.value for d in new}
    Pair.objects.filter(pk=pair.pk).update(kinds=",".join(sorted(kinds)))


def _review(d: StoredDivergence) -> dict:
    return {"verdict": d.verdict, "category": d.category, "note": d.note, "reviewed_by_id": d.reviewed_by,
            "reviewed_at": d.reviewed_at}
