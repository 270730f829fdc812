"""Strict and lax precision, recall and F1 of bead alignments, exactly as vecalign's score.py computes them.

Precision looks at every test bead, null beads included: it is a strict hit when the same bead is in the
gold, and a lax hit when it is a strict hit or links at least one (en, ru) pair that the gold links (so a
test null bead is a lax hit only if the gold has it too). Recall runs the same count the other way round
over non-null beads only: gold beads without null beads are scored against test beads without null beads.
Counts are summed over all documents before dividing (micro-average), and 0/0 counts as 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .data import Link


@dataclass(frozen=True)
class Counts:
    strict_hits: int = 0
    strict_misses: int = 0
    lax_hits: int = 0
    lax_misses: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.strict_hits + other.strict_hits,
            self.strict_misses + other.strict_misses,
            self.lax_hits + other.lax_hits,
            self.lax_misses + other.lax_misses,
        )

    @property
    def strict(self) -> float:
        return _ratio(self.strict_hits, self.strict_hits + self.strict_misses)

    @property
    def lax(self) -> float:
        return _ratio(self.lax_hits, self.lax_hits + self.lax_misses)


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return _ratio(2 * p * r, p + r)


def _normalise(links: Iterable[Sequence[Sequence[int]]]) -> set[Link]:
    return {(tuple(e), tuple(r)) for e, r in links if len(e) or len(r)}


def _counts(reference: Iterable[Sequence[Sequence[int]]], candidate: Iterable[Sequence[Sequence[int]]]) -> Counts:
    """vecalign's ``_precision``: how many ``candidate`` beads the ``reference`` confirms, strictly and laxly."""
    reference = _normalise(reference)
    linked: dict[int, set[int]] = defaultdict(set)
    for en, ru in reference:
        for i in en:
            linked[i].update(ru)
    strict_hits = strict_misses = lax_hits = lax_misses = 0
    for en, ru in _normalise(candidate):
        if (en, ru) in reference:
            strict_hits += 1
            lax_hits += 1
            continue
        strict_misses += 1
        if any(j in linked[i] for i in en for j in ru):
            lax_hits += 1
        else:
            lax_misses += 1
    return Counts(strict_hits, strict_misses, lax_hits, lax_misses)


def _without_null(links: Iterable[Sequence[Sequence[int]]]) -> list[Link]:
    return [(tuple(e), tuple(r)) for e, r in links if len(e) and len(r)]


def score(gold: Sequence[Sequence[Link]], test: Sequence[Sequence[Link]]) -> Scores:
    """Micro-averaged scores over documents; ``gold[k]`` and ``test[k]`` are the beads of document k."""
    if len(gold) != len(test):
        raise ValueError(f"{len(gold)} gold documents but {len(test)} test documents")
    precision = recall = Counts()
    for gold_links, test_links in zip(gold, test):
        precision += _counts(gold_links, test_links)
        recall += _counts(_without_null(test_links), _without_null(gold_links))
    return Scores(
        precision.strict,
        recall.strict,
        _f1(precision.strict, recall.strict),
        precision.lax,
        recall.lax,
        _f1(precision.lax, recall.lax),
    )


def bead_problems(links: Sequence[Link], n_en: int, n_ru: int) -> list[str]:
    """What makes ``links`` not a valid alignment: empty beads, gaps, repeats, disorder, out-of-range indices."""
    problems = []
    next_en = next_ru = 0
    for k, (en, ru) in enumerate(links):
        if not en and not ru:
            problems.append(f"bead {k} is empty")
        for side, indices, expected in (("en", en, next_en), ("ru", ru, next_ru)):
            if indices and list(indices) != list(range(expected, expected + len(indices))):
                problems.append(f"bead {k} has {side} {list(indices)}, expected to start at {expected}, consecutive")
        next_en = max(next_en, max(en, default=-1) + 1)
        next_ru = max(next_ru, max(ru, default=-1) + 1)
    if next_en != n_en or next_ru != n_ru:
        problems.append(f"beads cover {next_en} en and {next_ru} ru sentences of {n_en} and {n_ru}")
    return problems
