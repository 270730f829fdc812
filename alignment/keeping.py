"""What a story keeps when it is aligned again: its locked pairs, which the new run keeps as they are and
aligns the rest around (alignment.pipeline.align.anchors), and the reviews of every pair the new run makes of
the same sentences: the verdicts, categories and notes of its divergences of the same kind, and its lock.

The worker reads them before a run (``locked_beads``) and before its results replace the old ones (``snapshot``),
and puts them back on the new rows (``restore``), in the transaction that saves the results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alignment.models import Divergence, Language, Pair, Sentence, Story

# A pair by its sentences: their indices and texts on each side.
PairKey = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]
REVIEW_FIELDS = ("verdict", "category", "note", "reviewed_by_id", "reviewed_at")


def locked_beads(story: Story) -> tuple[list[list[list[int]]], dict[tuple[str, int], str]]:
    """The story's locked pairs as beads ([English indices], [Russian indices]), and the text of each of their
    sentences by (language, index), to check that the new run reads the same sentences there."""
    members: dict[int, dict[str, list[int]]] = defaultdict(lambda: {Language.EN: [], Language.RU: []})
    texts = {}
    rows = Sentence.objects.filter(pair__story=story, pair__locked=True).order_by("index")
    for pair_id, language, index, text in rows.values_list("pair_id", "language", "index", "text"):
        members[pair_id][language].append(index)
        texts[language, index] = text
    return [[sides[Language.EN], sides[Language.RU]] for sides in members.values()], texts


def same_sentences(result, texts: dict[tuple[str, int], str]) -> bool:
    """Whether a run read the locked pairs' sentences where they were (``texts`` from ``locked_beads``)."""
    sides = {Language.EN: result.en, Language.RU: result.ru}
    return all(index < len(sides[lang]) and sides[lang][index].text == text for (lang, index), text in texts.items())


@dataclass
class Snapshot:
    """The reviewed state of a story's pairs, by their sentences."""

    locked: set[PairKey] = field(default_factory=set)
    manual: set[PairKey] = field(default_factory=set)
    reviews: dict[tuple[PairKey, str], list[dict]] = field(default_factory=dict)  # by (pair, kind), in order


def _keys(pairs) -> dict[int, PairKey]:
    sides: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: {Language.EN: [], Language.RU: []})
    rows = Sentence.objects.filter(pair__in=pairs).order_by("index")
    for pair_id, language, index, text in rows.values_list("pair_id", "language", "index", "text"):
        sides[pair_id][language].append((index, text))
    return {
        pair_id: (tuple(i for i, _ in s[Language.EN]), tuple(i for i, _ in s[Language.RU]),
                  tuple(t for _, t in s[Language.EN]), tuple(t for _, t in s[Language.RU]))
        for pair_id, s in sides.items()
    }


def snapshot(story: Story) -> Snapshot:
    """What of the story's current pairs a new run keeps where it pairs the same sentences."""
    pairs = Pair.objects.filter(story=story)
    keys = _keys(pairs)
    kept = Snapshot()
    for pair_id, locked, manual in pairs.values_list("pk", "locked", "manual"):
        if pair_id in keys:
            if locked:
                kept.locked.add(keys[pair_id])
            if manual:
                kept.manual.add(keys[pair_id])
    reviewed = Divergence.objects.filter(pair__story=story).exclude(verdict="pending", note="", category="")
    for pair_id, kind, *review in reviewed.order_by("pair", "pk").values_list("pair_id", "kind", *REVIEW_FIELDS):
        if pair_id in keys:
            kept.reviews.setdefault((keys[pair_id], kind), []).append(dict(zip(REVIEW_FIELDS, review)))
    return kept


def restore(story: Story, kept: Snapshot) -> int:
    """Put ``kept`` back on the story's new pairs. Returns how many divergences got their review back."""
    if not (kept.locked or kept.manual or kept.reviews):
        return 0
    pairs = Pair.objects.filter(story=story)
    keys = _keys(pairs)
    for flag, found in (("locked", kept.locked), ("manual", kept.manual)):
        ids = [pair_id for pair_id, key in keys.items() if key in found]
        if ids:
            Pair.objects.filter(pk__in=ids).update(**{flag: True})
    restored = 0
    pending: dict[tuple[PairKey, str], list[dict]] = {k: list(v) for k, v in kept.reviews.items()}
    for divergence in Divergence.objects.filter(pair__story=story).order_by("pair", "pk"):
        reviews = pending.get((keys.get(divergence.pair_id), divergence.kind))
        if reviews:
            for name, value in reviews.pop(0).items():
                setattr(divergence, name, value)
            divergence.save(update_fields=[name.removesuffix("_id") for name in REVIEW_FIELDS])
            restored += 1
    return restored
