"""The document's own measure, which each bead is judged against: a similarity of 0.5 is alarming in a story
whose pairs sit around 0.85 and ordinary in one around 0.55, and Russian runs longer than English by a ratio
that differs from story to story."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..types import LENGTH_RATIO_BOUNDS, Bead, Sentence

if TYPE_CHECKING:
    from .reading import NameReading

_MIN_SPREAD = 0.05  # a floor on the robust deviation, for stories whose pairs are all alike
_MIN_PAIRS_FOR_PROFILE = 5  # fewer 1-1 pairs than this and the document's own median is not trusted
_TYPICAL_SIMILARITY = 0.72  # the median of faithful pairs across many stories, for short documents
_TYPICAL_SPREAD = 0.09
_TYPICAL_LENGTH_RATIO = 1.12  # Russian characters per English character, across many stories


@dataclass(frozen=True)
class Profile:
    similarity: float  # the median similarity of the document's 1-1 pairs
    spread: float  # their robust standard deviation (1.4826 x the median absolute deviation)
    length_ratio: float  # the median Russian/English character ratio of those pairs
    confirmed_names: frozenset[str]  # name keys seen where capitals are reliable (not opening a sentence)
    # Names the translator renders her own way throughout: seen in two beads or more, matched in none.
    habitual_names: frozenset[str]
    # Names matched in some bead: the translator renders these, so the keys can see them where they are.
    matched_names: frozenset[str]

    @classmethod
    def of(
        cls, beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence], names: Sequence[NameReading]
    ) -> Profile:
        pairs = [b for b in beads if len(b.en) == 1 and len(b.ru) == 1]
        similarities = [b.similarity for b in pairs]
        ratios = [len(ru[b.ru[0]].text) / len(en[b.en[0]].text) for b in pairs if en[b.en[0]].text]
        if len(similarities) >= _MIN_PAIRS_FOR_PROFILE:
            median = statistics.median(similarities)
            spread = 1.4826 * statistics.median(abs(s - median) for s in similarities)
            # A short document leans on the typical level, so that one odd pair cannot set the bar.
            weight = min(1.0, len(similarities) / 15)
            median = weight * median + (1 - weight) * _TYPICAL_SIMILARITY
            spread = weight * spread + (1 - weight) * _TYPICAL_SPREAD
        else:
            median, spread = _TYPICAL_SIMILARITY, _TYPICAL_SPREAD
        ratio = statistics.median(ratios) if len(ratios) >= _MIN_PAIRS_FOR_PROFILE else _TYPICAL_LENGTH_RATIO
        confirmed = frozenset(
            key for reading in names for name in reading.en + reading.ru if not name.opener for key in name.mention.keys
        )
        seen: Counter[str] = Counter()
        matched: set[str] = set()
        for reading in names:
            # Once per bead: a name said twice in one sentence is not a habit of the translator's.
            seen.update({name.mention.key for name in reading.en + reading.ru})
            matched.update(name.mention.key for name in reading.en + reading.ru if name.found)
        habitual = frozenset(k for k, n in seen.items() if n >= 2 and k not in matched)
        spread, ratio = max(spread, _MIN_SPREAD), min(max(ratio, LENGTH_RATIO_BOUNDS[0]), LENGTH_RATIO_BOUNDS[1])
        return cls(median, spread, ratio, confirmed, habitual, frozenset(matched))
