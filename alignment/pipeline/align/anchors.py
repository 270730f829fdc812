"""Locked beads: pairs a reviewer has fixed, which an alignment keeps as they are and never crosses.

A locked bead is (English indices, Russian indices), each a run of consecutive sentences (one side may be empty,
not both). In the grid of sentence prefixes it goes from cell (a, c) to cell (b, d), where a..b and c..d are its
runs. The search (search.dp) must pass through both cells and may not cross the bead: a path reaching row a
leaves it only from column c, row b is entered only by the bead itself, and no bead of the search jumps over
either row. Everything else is searched as before, in one pass over the same grid, so re-aligning around any
number of locked beads costs what a fresh alignment costs. The repairs that follow the search run on the
stretches between locked beads only, so none of them joins a sentence to a locked bead or takes one out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import PipelineError

Locked = Sequence[tuple[Sequence[int], Sequence[int]]]


@dataclass(frozen=True)
class Anchor:
    a: int  # the bead's English run is a..b (prefix lengths), its Russian run c..d
    b: int
    c: int
    d: int

    @property
    def step(self) -> tuple[int, int, int, int]:
        """The bead as the search's paths hold it: (English count, Russian count, end row, end column)."""
        return self.b - self.a, self.d - self.c, self.b, self.d


@dataclass(frozen=True)
class Locks:
    """A story's locked beads, as the search takes them: the paired ones as anchors, in order, and the sentences
    of the unpaired ones (with one side empty), which no bead with the other side may hold."""

    anchors: tuple[Anchor, ...] = ()
    null_en: frozenset[int] = frozenset()
    null_ru: frozenset[int] = frozenset()
    nulls: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()  # the unpaired beads, as they were locked

    def __bool__(self) -> bool:
        return bool(self.anchors or self.nulls)


def read_locked(locked: Locked, n: int, m: int) -> Locks:
    """The locked beads of a story of n English and m Russian sentences. Raises PipelineError (code
    "bad_locked") naming the first bead that is not a run of sentences of each side within the story, or that
    shares a sentence with another, or crosses another."""
    pairs, nulls, taken = [], [], {"English": set(), "Russian": set()}
    for number, bead in enumerate(locked, start=1):
        try:
            en, ru = ([int(k) for k in side] for side in bead)
        except (TypeError, ValueError):
            raise _bad(number, "is not a pair of lists of sentence numbers, [[English], [Russian]]") from None
        if not en and not ru:
            raise _bad(number, "holds no sentence")
        for side, indices, total in (("English", en, n), ("Russian", ru, m)):
            if indices and (indices != list(range(indices[0], indices[0] + len(indices)))):
                raise _bad(number, f"is not a run of consecutive {side} sentences: {indices}")
            if indices and not (0 <= indices[0] and indices[-1] < total):
                raise _bad(number, f"names {side} sentences {indices[0]}-{indices[-1]}; the story has {total}")
            if taken[side] & set(indices):
                raise _bad(number, f"shares {side} sentences with another locked pair")
            taken[side].update(indices)
        if en and ru:
            pairs.append((Anchor(en[0], en[-1] + 1, ru[0], ru[-1] + 1), number))
        else:
            nulls.append((tuple(en), tuple(ru)))
    pairs.sort(key=lambda p: p[0].a)
    for (before, _), (after, number) in zip(pairs, pairs[1:]):
        if after.c < before.d:
            raise _bad(number, "crosses another locked pair: its Russian sentences come before that pair's")
    return Locks(
        anchors=tuple(anchor for anchor, _ in pairs),
        null_en=frozenset(k for en, _ in nulls for k in en), null_ru=frozenset(k for _, ru in nulls for k in ru),
        nulls=tuple(nulls),
    )


def _bad(number: int, what: str) -> PipelineError:
    return PipelineError(f"Locked pair {number} {what}.", code="bad_locked")


def widen(lo: np.ndarray, hi: np.ndarray, fixed: Sequence[Anchor]) -> tuple[np.ndarray, np.ndarray]:
    """The band with every anchor's two cells in it (a reviewer may have fixed a pair far off the coarse path),
    kept monotone."""
    lo, hi = lo.copy(), hi.copy()
    for anchor in fixed:
        for row, column in ((anchor.a, anchor.c), (anchor.b, anchor.d)):
            lo[row], hi[row] = min(lo[row], column), max(hi[row], column)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


class Gates:
    """What search.dp asks of the locks, row by row."""

    def __init__(self, locks: Locks, n: int, m: int):
        self.starts: dict[int, Anchor] = {anchor.a: anchor for anchor in locks.anchors}
        self.ends: dict[int, Anchor] = {anchor.b: anchor for anchor in locks.anchors}
        self.gate = np.zeros(n + 1, dtype=bool)
        self.inside = np.zeros(n + 1, dtype=bool)
        for anchor in locks.anchors:
            self.gate[[anchor.a, anchor.b]] = True
            self.inside[anchor.a + 1 : anchor.b] = True
        self.null_en = np.concatenate([[0], np.cumsum([k in locks.null_en for k in range(n)])])
        self.null_ru = np.concatenate([[0], np.cumsum([k in locks.null_ru for k in range(m)])])

    def allowed(self, i: int, a: int, b: int) -> bool:
        """Whether a bead of a English and b Russian sentences may end in row i at all: it neither jumps over a
        gate row nor pairs an English sentence locked unpaired."""
        if a > 1 and self.gate[i - a + 1 : i].any():
            return False
        return not (a and b and self.null_en[i] - self.null_en[i - a])

    def blocked(self, js: np.ndarray, b: int) -> np.ndarray | None:
        """For a bead with both sides ending at columns js: where it would pair a Russian sentence locked
        unpaired (None when none is locked)."""
        if not self.null_ru[-1]:
            return None
        return self.null_ru[js] - self.null_ru[np.maximum(js - b, 0)] > 0


def segments(path: list, locks: Locks) -> list[tuple[bool, list]]:
    """The path cut at its locked beads: (locked, steps) in order, each locked bead a segment of its own (a
    sentence locked unpaired too)."""
    ends = {anchor.step for anchor in locks.anchors}
    out: list[tuple[bool, list]] = []
    for step in path:
        a, b, i, j = step
        if tuple(step) in ends or (a, b) == (1, 0) and i - 1 in locks.null_en or (a, b) == (0, 1) and j - 1 in locks.null_ru:
            out.append((True, [step]))
        elif out and not out[-1][0]:
            out[-1][1].append(step)
        else:
            out.append((False, [step]))
    return out
