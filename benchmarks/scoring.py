"""Strict and lax precision, recall and F1 of bead alignments, exactly as vecalign's score.py computes them.

Precision looks at every test bead, null beads included: it is a strict hit when the same bead is in the
gold, and a lax hit when it is a strict hit or links at least one (en, ru) pair that the gold links (so a
test null bead is a lax hit only if the gold has it too). Recall runs the same count the other way round
over non-null beads only: gold beads without null beads are scored against test beads without null beads.
Counts are summed over all documents before dividing (micro-average), and 0/0 counts as 0.

Beside them, per bead shape: the share of gold beads of each shape returned exactly, and the share of
predicted null beads that the gold has too (``shape_counts``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


# --- bead shapes -------------------------------------------------------------------------------------------

SHAPES = ("1-1", "2-1", "1-2", "2-2", "3-1")  # the gold shapes whose recall is reported
NULL_SHAPES = ("1-0", "0-1")


def shape(link: Link) -> str:
    return f"{len(link[0])}-{len(link[1])}"


@dataclass(frozen=True)
class ShapeCounts:
    """Gold beads per shape and how many came back exactly; predicted null beads and how many the gold has.

    A predicted null bead of k sentences counts as k 1-0 (or 0-1) beads, each right when the gold leaves that
    sentence unaligned too, so a method that lumps dropped sentences together is neither rewarded nor punished.
    """

    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted_null: Counter[str] = field(default_factory=Counter)
    correct_null: Counter[str] = field(default_factory=Counter)

    def __add__(self, other: ShapeCounts) -> ShapeCounts:
        return ShapeCounts(
            self.gold + other.gold,
            self.found + other.found,
            self.predicted_null + other.predicted_null,
            self.correct_null + other.correct_null,
        )

    def recall(self, bead_shape: str) -> float | None:
        """Share of gold beads of this shape returned exactly; None when the gold has none."""
        return self.found[bead_shape] / self.gold[bead_shape] if self.gold[bead_shape] else None

    def null_precision(self, bead_shape: str) -> float | None:
        """Share of predicted 1-0 (or 0-1) beads that are gold null beads; None when none was predicted."""
        predicted = self.predicted_null[bead_shape]
        return self.correct_null[bead_shape] / predicted if predicted else None


def _unaligned(links: Iterable[Sequence[Sequence[int]]]) -> set[tuple[str, int]]:
    """The (side, index) of every sentence in a null bead."""
    return {(side, i) for e, r in links for side, own, other in (("en", e, r), ("ru", r, e)) if not other for i in own}


def shape_counts(gold: Sequence[Sequence[Link]], test: Sequence[Sequence[Link]]) -> ShapeCounts:
    """Per-shape recall and null-bead precision counts, summed over documents (``gold[k]``, ``test[k]``)."""
    if len(gold) != len(test):
        raise ValueError(f"{len(gold)} gold documents but {len(test)} test documents")
    total = ShapeCounts()
    for gold_links, test_links in zip(gold, test):
        returned = _normalise(test_links)
        gold_shapes = Counter(shape(link) for link in _normalise(gold_links))
        found = Counter(shape(link) for link in _normalise(gold_links) if link in returned)
        gold_null = _unaligned(gold_links)
        predicted = Counter()
        correct = Counter()
        for side, i in _unaligned(test_links):
            null_shape = "1-0" if side == "en" else "0-1"
            predicted[null_shape] += 1
            correct[null_shape] += (side, i) in gold_null
        total += ShapeCounts(gold_shapes, found, predicted, correct)
    return total
