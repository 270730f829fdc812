"""Outlet furniture: the lines a page carries around a story (newsletter prompts, donation appeals, photo
credits, "Read more" links, cookie notices, payment buttons) rather than the story itself.

Furniture is told by signals that carry from one outlet to the next rather than by a list of phrases:

- likeness to a multilingual bank of furniture from many outlets (``lexicon/furniture/``), through the same
  sentence embedder that aligns the story, so a donation appeal worded as no outlet in the bank words it
  still lands near the bank's donation appeals, in either language;
- how little the sentence has in common with the other version of the story: news is translated, furniture
  is each edition's own;
- a few patterns of the furniture's grammar (a "Label:" opener, an appeal to the reader), and length.

A logistic model weighs them (:data:`WEIGHTS`, fitted by ``python -m benchmarks.furniture_fit`` on the
development set's tuning part, with every bank line scored against the other outlets only).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import lexicon
from .lexicon.furniture_bank import load_bank
from .patterns import by_first_letter, needles
from .recurring import furniture_key


# Text whose every character the case-insensitive patterns fold as str.lower() does, one for one: ASCII,
# Latin-1 but for the micro sign (which they take for a Greek mu), the Russian alphabet, punctuation. In such
# text a pattern can match only where its lowercase text stands in the lowercased text, and the needles,
# tested with "in", pass over most patterns for most sentences; each search had scanned the whole sentence.
_FOLDS_AS_LOWER = re.compile(r"[\x00-\xb4\xb6-\xff\u0400-\u045f\u2000-\u206f]*")


def _plain_needles(pattern: str) -> tuple[str, ...] | None:
    found = needles(pattern, re.I)
    lowered = found and tuple(n.lower() for n in found)
    return lowered if lowered and all(_FOLDS_AS_LOWER.fullmatch(n) for n in lowered) else None


# The grammar of furniture (lexicon/furniture_patterns.tsv): (label, weight, pattern, its needles).
_BOILERPLATE_PATTERNS = tuple(
    (label, float(weight), re.compile(pattern, re.I), _plain_needles(pattern))
    for label, weight, pattern in lexicon.table("furniture_patterns")
)
_REPORTED_NEWS = re.compile(r"\b(?:" + by_first_letter(lexicon.entries("reported_speech")) + r")\b", re.I)


@functools.lru_cache(maxsize=65_536)
def furniture_label(text: str) -> str | None:
    """What kind of furniture the sentence is, or None for news."""
    scores: dict[str, float] = {}
    lowered = text.lower() if _FOLDS_AS_LOWER.fullmatch(text) else None
    for label, weight, pattern, needles in _BOILERPLATE_PATTERNS:
        if lowered is not None and needles and not any(needle in lowered for needle in needles):
            continue
        if pattern.search(text):
            scores[label] = scores.get(label, 0.0) + weight
    if not scores:
        return None
    label, score = max(scores.items(), key=lambda item: item[1])
    score += sum(scores.values()) - score  # other signals count too, credited to the strongest
    length = len(text.strip())
    score += 0.3 if length <= 40 else 0.15 if length <= 90 else -0.3 if length > 200 else 0.0
    if _REPORTED_NEWS.search(text) and not re.match(r"^\W*\w+(?: \w+)?\s*:", text):
        score -= 0.4  # reads like reported news; a "Label:" opener is furniture whatever follows
    return label if score >= 1.0 else None




# --------------------------------------------------------------------------------------------------
# The model

FEATURES = ("bank_top1", "bank_top3", "other_side", "other_side_top3", "pattern", "log_length")
# Fitted by benchmarks/furniture_fit.py (see its docstring for the data); intercept last.
WEIGHTS = (10.57, 12.23, -1.40, -6.60, 4.21, -1.33, -1.57)
# At this probability a sentence is furniture beyond doubt: it is never aligned with the story.
CERTAIN = 0.9
# At this probability an unaligned sentence is taken for furniture.
LIKELY = 0.5
# A sentence this alike its closest sentence of the other version has a translation there (with the USE
# multilingual encoder, 99% of faithful pairs score above 0.41).
TRANSLATED = 0.5


@dataclass(frozen=True)
class FurnitureReading:
    """One side's sentences as furniture: a probability and the kind of furniture each most resembles."""

    probability: np.ndarray  # (n,) in [0, 1]
    labels: tuple[str, ...]  # the nearest bank example's label, or the pattern's
    patterned: np.ndarray  # (n,) bool: the sentence has furniture's grammar (a "Photo:" opener, an appeal)
    alone: np.ndarray  # (n,) bool: the sentence is a paragraph of its own, in a text of several paragraphs
    outside: np.ndarray  # (n,) bool: before the first or after the last sentence the other version translates
    translated: np.ndarray  # (n,) bool: the other version has a translation of it

    def likely(self) -> np.ndarray:
        """(n,) bool: taken for furniture when the other version has nothing for it."""
        return self.probability >= LIKELY

    def possible(self) -> dict[int, str]:
        """Sentence index -> the kind of furniture, for the sentences that may be furniture."""
        return {int(k): self.labels[k] for k in np.flatnonzero(self.likely() | self.patterned)}

    def certain(self) -> np.ndarray:
        """(n,) bool: furniture beyond doubt, never to join a bead with the other side.

        Probability alone is not enough: a short line of dialogue ("No, no!") scores like a button label.
        Furniture beyond doubt also stands where furniture stands: among other furniture (a donation
        appeal's buttons), outside the story (a banner above the headline, an appeal below its last
        sentence: where the other version has no translation of anything), on a line of its own
        (a photo credit under the headline), or it has furniture's grammar. A short line inside a paragraph
        of the story is left to the alignment.
        """
        likely, sure = self.likely(), self.probability >= CERTAIN
        n = len(likely)
        neighbour = np.zeros(n, dtype=bool)
        neighbour[1:] |= sure[:-1]
        neighbour[:-1] |= sure[1:]
        # Where furniture stands by itself (a line of its own, outside the story), likely is enough. A sentence
        # the other version translates (a headline, which looks like a "Read more" link) is never certain.
        certain = ((sure & (neighbour | self.outside | self.patterned | self.alone)) | (
            likely & (self.outside | self.alone)
        )) & ~self.translated
        # A block holds lines the model is less sure of ("We are facing unprecedented challenges."): a likely
        # line beside certain furniture is part of it.
        while True:
            beside = np.zeros(n, dtype=bool)
            beside[1:] |= certain[:-1]
            beside[:-1] |= certain[1:]
            grown = certain | (likely & beside & ~self.translated)
            if (grown == certain).all():
                return certain
            certain = grown


def read_furniture(
    texts: Mapping[str, Sequence[str]],
    vecs: Mapping[str, np.ndarray],
    embedder,
    holdout: Sequence[str] = (),
    paragraphs: Mapping[str, Sequence[int]] | None = None,
    known: frozenset[str] = frozenset(),
    not_furniture: frozenset[str] = frozenset(),
) -> dict[str, FurnitureReading]:
    """How much each sentence of each side (``texts``, ``vecs`` as unit rows, by side "en" and "ru") looks
    like furniture, by the bank less the ``holdout`` outlets, embedded by ``embedder``. ``paragraphs``
    numbers each sentence's paragraph, where the texts have them.

    ``known`` and ``not_furniture`` are what a collection of stories knows of its outlet, by ``furniture_key``:
    a sentence that recurs across its stories is furniture beyond doubt (probability 1, and it counts as having
    furniture's grammar); one its owner struck off is not furniture at all (probability 0).
    """
    bank_vecs, bank_labels = bank_vectors(embedder, tuple(sorted(holdout)))
    sides = {"en": "ru", "ru": "en"}
    # Each side against the bank and against the other side, once: the features and the readings below
    # both look at them.
    to_bank = {side: _similarities(vecs[side], bank_vecs) for side in sides}
    to_other = {side: _similarities(vecs[side], vecs[other]) for side, other in sides.items()}
    probability = {side: _probability(_features(texts[side], to_bank[side], to_other[side])) for side in sides}
    ruled = {}  # side -> (learned, struck): what the collection knows, which overrules the model
    if known or not_furniture:
        for side in sides:
            keys = [furniture_key(t) for t in texts[side]]
            learned = np.array([k in known for k in keys], dtype=bool)
            struck = np.array([k in not_furniture for k in keys], dtype=bool)
            probability[side] = np.where(learned, 1.0, np.where(struck, 0.0, probability[side]))
            ruled[side] = learned, struck
    readings = {}
    for side, other in sides.items():
        n = len(texts[side])
        # A translation: the closest sentence of the other version is alike, and either no furniture itself
        # (two outlets' donation appeals look alike) or this sentence's closest in turn (two headlines, which
        # look like "Read more" links, are each other's).
        similarity = to_other[side]
        translated = np.zeros(n, dtype=bool)
        if similarity.size:
            closest, back = similarity.argmax(axis=1), similarity.argmax(axis=0)
            mutual = back[closest] == np.arange(n)
            translated = (similarity.max(axis=1) >= TRANSLATED) & ((probability[other][closest] < LIKELY) | mutual)
        if side in ruled:
            # A line the collection learned is furniture whatever the other version holds: the two editions'
            # furniture often translates each other (an app prompt, a donation appeal's buttons), and would pair.
            translated &= ~ruled[side][0]
        story = np.flatnonzero(translated & (probability[side] < LIKELY))
        at = np.arange(n)
        outside = (at < story[0]) | (at > story[-1]) if len(story) else np.zeros(n, dtype=bool)
        nearest = np.argmax(to_bank[side], axis=1) if to_bank[side].size else ()
        patterns = [furniture_label(t) for t in texts[side]]
        if side in ruled:
            learned, struck = ruled[side]
            patterns = [None if off else ("recurring" if on else p) for p, on, off in zip(patterns, learned, struck)]
        labels = tuple(p or bank_labels[k] for p, k in zip(patterns, nearest))
        numbers = (paragraphs or {}).get(side) or [0] * n
        sizes = Counter(numbers)
        alone = np.array([len(sizes) > 1 and sizes[p] == 1 for p in numbers], dtype=bool)
        patterned = np.array([p is not None for p in patterns], dtype=bool)
        readings[side] = FurnitureReading(probability[side], labels, patterned, alone, outside, translated)
    return readings


def _probability(x: np.ndarray) -> np.ndarray:
    w = np.asarray(WEIGHTS)
    return 1.0 / (1.0 + np.exp(-(x @ w[:-1] + w[-1])))


def features(texts: Sequence[str], vecs: np.ndarray, other_vecs: np.ndarray, bank_vecs: np.ndarray) -> np.ndarray:
    """(n, len(FEATURES)): the signals the model weighs, per sentence."""
    return _features(texts, _similarities(vecs, bank_vecs), _similarities(vecs, other_vecs))


def _similarities(vecs: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(n, len(others)): every row of ``vecs`` against every row of ``others``; (n, 0) when either is empty."""
    if len(vecs) and len(others):
        return vecs @ others.T
    return np.zeros((len(vecs), 0), dtype=np.float32)


def _features(texts: Sequence[str], to_bank: np.ndarray, to_other: np.ndarray) -> np.ndarray:
    """:func:`features` from each sentence's similarities to the bank and to the other side."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    to_bank = _top(to_bank, 3) if to_bank.shape[1] else np.zeros((n, 3))
    to_other = _top(to_other, 3) if to_other.shape[1] else np.zeros((n, 1))
    return np.column_stack([
        to_bank[:, -1],
        to_bank[:, -3:].mean(axis=1),
        to_other[:, -1],
        to_other[:, -3:].mean(axis=1),  # what the story is about: a cut paragraph still shares its topic
        [1.0 if furniture_label(t) else 0.0 for t in texts],
        np.log1p([len(t) for t in texts]),
    ])


def _top(x: np.ndarray, k: int) -> np.ndarray:
    """(n, min(k, columns)): the k largest values of each row, in ascending order (as the end of a sorted row,
    without sorting the whole row)."""
    k = min(k, x.shape[1])
    return np.sort(np.partition(x, -k, axis=1)[:, -k:], axis=1)


@functools.lru_cache(maxsize=8)
def bank_vectors(embedder, holdout: tuple[str, ...] = ()) -> tuple[np.ndarray, tuple[str, ...]]:
    """The bank's lines embedded (once per process, embedder and holdout), and their labels."""
    examples = [e for e in load_bank() if e.outlet not in holdout]
    return embedder.embed([e.text for e in examples]), tuple(e.label for e in examples)


# --------------------------------------------------------------------------------------------------
# Blocks

# A line this short (in words) beside furniture, with nothing in the other version, is part of it: a
# donation appeal's "Once", "Monthly", "Continue".
SHORT_LINE = 4
# Beside furniture, a line this likely to be furniture is taken for it.
BESIDE = 0.1


def furniture_in(
    beads: Sequence, readings: Mapping[str, FurnitureReading], texts: Mapping[str, Sequence[str]]
) -> dict[str, dict[int, str]]:
    """Each side's sentences left unaligned that are furniture, with the kind of furniture: side -> sentence
    index -> label.

    A run of unaligned sentences is judged as a block: a sentence the model takes for furniture makes its
    neighbours in the run furniture too when they are short (buttons) or themselves look a little like it,
    and so on outward, and a sentence with furniture on both sides is part of it; so a donation appeal
    comes out whole while a cut paragraph beside it does not. Where a block stands counts too (see below).
    """
    found: dict[str, dict[int, str]] = {}
    paired = [k for k, b in enumerate(beads) if b.en and b.ru]
    for side, other in (("en", "ru"), ("ru", "en")):
        reading, lines = readings[side], texts[side]
        likely = reading.likely() | reading.patterned
        # Before the first pair and after the last, where pages keep their bylines, tags and appeals, a
        # sentence that looks a little like furniture is taken for it.
        first = getattr(beads[paired[0]], side)[0] if paired else len(lines)
        last = getattr(beads[paired[-1]], side)[-1] if paired else -1
        edge = reading.probability >= BESIDE
        found[side] = {}
        for run in _unaligned_runs(beads, side, other):
            furniture = [bool(likely[k] or (edge[k] and not first <= k <= last)) for k in run]
            grown = True
            while grown:
                grown = False
                for t, k in enumerate(run):
                    before, after = t > 0 and furniture[t - 1], t + 1 < len(run) and furniture[t + 1]
                    if not furniture[t] and (before or after) and (
                        (before and after) or len(lines[k].split()) <= SHORT_LINE or reading.probability[k] >= BESIDE
                    ):
                        furniture[t] = grown = True
            found[side].update((k, reading.labels[k]) for k, f in zip(run, furniture) if f)
    return found


def _unaligned_runs(beads: Sequence, side: str, other: str) -> list[list[int]]:
    """The side's sentences in beads without the other side, in runs of consecutive ones."""
    runs: list[list[int]] = []
    last = None
    for bead in beads:
        here, there = getattr(bead, side), getattr(bead, other)
        if there or not here:
            last = None if here else last  # a bead of the other side alone leaves this side's run open
            continue
        if last is not None and here[0] == last + 1:
            runs[-1].extend(here)
        else:
            runs.append(list(here))
        last = here[-1]
    return runs
