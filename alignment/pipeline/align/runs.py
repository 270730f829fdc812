"""Runs: vectors for every run of 1..3 consecutive sentences, indexed by the prefix length where it ends, in
each space the cost model uses: 0 is the cross-lingual embedding, k + 1 the side's view k."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .beads import Side

MAX_RUN = 3  # the most sentences a bead holds on one side (see BEAD_TYPES)

RunEmbedder = Callable[[str, Sequence[tuple[int, int]]], np.ndarray]
"""embed_runs(side, [(start, stop), ...]) -> unit vectors of the concatenated sentences side[start:stop]."""
ViewRunEmbedder = Callable[[str, int, Sequence[tuple[int, int]]], np.ndarray]
"""embed_view_runs(side, view, [(start, stop), ...]) -> unit vectors of those runs in same-language view ``view``."""


def space_vecs(side: Side, space: int) -> np.ndarray:
    """(n, d) the side's sentence vectors in ``space``."""
    return side.vecs if space == 0 else side.views[space - 1]


class Runs:
    """A side's run vectors in each space, and which of them may be used."""

    def __init__(
        self, side: Side, spaces: dict[int, dict[int, np.ndarray]], avail: dict[int, np.ndarray],
        approximations: dict[int, dict[int, np.ndarray]] | None = None,
    ):
        self.side = side
        self.spaces = spaces  # space -> a -> (n + 1, d): row i is the run side[i - a:i]
        # The approximate run vectors, as spaces: made once per side, for every run embedded later.
        self.approximations = spaces if approximations is None else approximations
        # a -> (n + 1,) bool: which rows hold a usable vector (in every space); never a run with furniture.
        self.avail = avail if side.furniture is None else {a: v & _clean(side.furniture, a) for a, v in avail.items()}
        csum = np.concatenate([[0.0], np.cumsum(side.lengths, dtype=np.float64)])
        self.lengths = {a: _shifted_diff(csum, a) for a in range(1, MAX_RUN + 1)}

    @property
    def vecs(self) -> dict[int, np.ndarray]:
        """The cross-lingual run vectors."""
        return self.spaces[0]

    @classmethod
    def approximate(cls, side: Side, spaces: Sequence[int] = (0,)) -> Runs:
        n = side.n
        avail = {a: np.arange(n + 1) >= a for a in range(1, MAX_RUN + 1)}
        return cls(side, {space: _approximate_runs(space_vecs(side, space)) for space in spaces}, avail)

    def exact(self, spans: set[tuple[int, int]], embed: Callable) -> Runs:
        """Embed the given runs for real; every other merged run becomes unavailable.

        ``embed(space, spans)`` returns the vectors, or None to keep the approximate ones in that space.
        """
        avail = {1: self.avail[1]}
        for a in range(2, MAX_RUN + 1):
            avail[a] = np.zeros(self.side.n + 1, dtype=bool)
        ordered = sorted(spans)
        for start, stop in ordered:
            avail[stop - start][stop] = True
        spaces = {}
        for space, approximate in self.spaces.items():
            vecs = {1: approximate[1]}
            for a in range(2, MAX_RUN + 1):
                vecs[a] = np.zeros_like(approximate[a])
            embedded = embed(space, ordered) if ordered else None
            for k, (start, stop) in enumerate(ordered):
                size = stop - start
                vecs[size][stop] = approximate[size][stop] if embedded is None else embedded[k]
            spaces[space] = vecs
        return Runs(self.side, spaces, avail, self.approximations)

    def with_runs(self, spans: set[tuple[int, int]], embed_runs: RunEmbedder | None, side: str) -> Runs:
        """These runs too, in the cross-lingual space, embedded for real when an embedder is given (the
        views keep their approximate vectors)."""
        todo = sorted(span for span in spans if not self.avail[span[1] - span[0]][span[1]])
        if not todo:
            return self
        embedded = embed_runs(side, todo) if embed_runs is not None else None
        spaces = {space: {a: v.copy() for a, v in vecs.items()} for space, vecs in self.spaces.items()}
        avail = {a: v.copy() for a, v in self.avail.items()}
        for k, (start, stop) in enumerate(todo):
            size = stop - start
            avail[size][stop] = True
            for space, vecs in spaces.items():
                vecs[size][stop] = self.approximations[space][size][stop]
            if embedded is not None:
                spaces[0][size][stop] = embedded[k]
        return Runs(self.side, spaces, avail, self.approximations)


def _clean(furniture: np.ndarray, a: int) -> np.ndarray:
    """(n + 1,) bool: whether the run of a sentences ending at each prefix holds no furniture."""
    count = np.concatenate([[0], np.cumsum(furniture, dtype=np.int64)])
    return _shifted_diff(count, a) == 0


def _approximate_runs(vecs: np.ndarray) -> dict[int, np.ndarray]:
    """a -> (n + 1, d): the normalised sum of the vectors of each run of a sentences, by where it ends."""
    n, d = vecs.shape
    padded = np.zeros((n + 1, d), dtype=np.float32)
    padded[1:] = vecs
    csum = np.cumsum(padded, axis=0)
    runs = {}
    for a in range(1, MAX_RUN + 1):
        run = np.zeros_like(padded)
        run[a:] = csum[a:] - csum[:-a]
        runs[a] = unit_rows(run) if a > 1 else run
    return runs


def _shifted_diff(csum: np.ndarray, a: int) -> np.ndarray:
    out = np.zeros_like(csum)
    out[a:] = csum[a:] - csum[:-a]
    return out


def unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)
