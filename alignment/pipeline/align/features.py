"""Agreement of numbers and names between an English run and Russian runs, for the cost model."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import numpy as np


class FeatureIndex:
    """Agreement of numbers and names between runs, from an inverted index of the Russian keys."""

    def __init__(self, en_keys: Sequence[frozenset[str]], ru_keys: Sequence[frozenset[str]]):
        self.en_keys, self.ru_keys = en_keys, ru_keys
        self.ru_sizes = np.array([len(k) for k in ru_keys] + [0], dtype=np.float64)
        self.ru_sizes_csum = np.concatenate([[0.0], np.cumsum(self.ru_sizes[:-1])])
        self._runs: dict[int, list[frozenset[str]]] = {}
        self._sizes: dict[int, np.ndarray] = {}
        self.index: dict[str, list[int]] = {}
        for j, keys in enumerate(ru_keys):
            for key in keys:
                self.index.setdefault(key, []).append(j)

    def agreement(self, i, js: np.ndarray, a: int, b: int) -> np.ndarray:
        """For the English run ending at prefix i (one row, or one per column, rows ascending) and Russian runs
        ending at each of js: a value in [-1, 1], positive when numbers and names agree, negative when they
        clash, 0 when there are none."""
        rows = np.broadcast_to(i, np.shape(js))
        run_keys = self._run_keys(a)
        en_size = self._run_sizes(a)[rows]
        ru_size = self.ru_sizes_csum[js] - self.ru_sizes_csum[js - b]
        inter = np.zeros(len(js))
        if len(js) and en_size.any():
            # Per row: how many of the run's keys each Russian sentence q holds, c(q), over the q that the row's
            # runs reach, laid out row after row in one flat array; a run ending at j holds c(j - b) .. c(j - 1),
            # a difference of the running sum. (Each row keeps one slot more, so no row's sum reaches the next.)
            hits: list[int] = []
            cols = js.tolist()
            one_row = np.ndim(i) == 0  # as the calibration and single beads ask
            bounds = [0, len(cols)] if one_row else [0, *(np.flatnonzero(np.diff(rows)) + 1).tolist(), len(cols)]
            origin = []  # per row: where its q = 0 would lie in the flat array
            at = 0
            for first, stop in zip(bounds, bounds[1:]):
                start, last = cols[first] - b, cols[stop - 1]  # the row's q run from start to last - 1
                origin.append(at - start)
                for key in run_keys[int(rows[first])]:
                    found = self.index.get(key, ())  # ascending
                    hits.extend(at - start + q for q in found[bisect_left(found, start):bisect_left(found, last)])
                at += last - start + 1
            if hits:
                total = np.concatenate([[0], np.cumsum(np.bincount(hits, minlength=at))])
                where = (origin[0] if one_row else np.repeat(origin, np.diff(bounds))) + js
                inter = (total[where] - total[where - b]).astype(np.float64)
        union = en_size + ru_size - inter
        jaccard = np.where(union > 0, inter / np.maximum(union, 1), 0.5)
        weight = np.minimum(union, 2) / 2.0
        return (2.0 * jaccard - 1.0) * weight

    def _run_keys(self, a: int) -> list[frozenset[str]]:
        """The keys of the English run of a sentences ending at each prefix (empty where there is none)."""
        if a not in self._runs:
            self._runs[a] = [
                frozenset().union(*self.en_keys[i - a:i]) if a and i >= a else frozenset()
                for i in range(len(self.en_keys) + 1)
            ]
            self._sizes[a] = np.array([len(k) for k in self._runs[a]], dtype=np.float64)
        return self._runs[a]

    def _run_sizes(self, a: int) -> np.ndarray:
        self._run_keys(a)
        return self._sizes[a]
