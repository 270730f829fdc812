"""What the aligner's modules share: the sides it aligns and the shapes of the beads it joins them with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# (English sentences, Russian sentences) per bead.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1))


@dataclass(frozen=True)
class Side:
    """One language's sentences as the aligner sees them."""

    vecs: np.ndarray  # (n, d) float32, unit rows
    lengths: np.ndarray  # (n,) characters per sentence
    keys: Sequence[frozenset[str]] | None = None  # numbers and names per sentence, language-independent
    # Same-language views, each (n, d_k) float32 unit rows: row i of view k is compared with the rows of the
    # other side's view k (e.g. English sentences here, the English translations of the Russian ones there).
    views: tuple[np.ndarray, ...] = ()
    # (n,) bool: sentences that are outlet furniture beyond doubt. They join no bead with the other side, so
    # that a newsletter box is never merged into the last paragraph nor a banner into the headline.
    furniture: np.ndarray | None = None
    # (n,) bool: sentences that may be furniture. Left unaligned, they are not paired as a replacement.
    maybe_furniture: np.ndarray | None = None
    # (n,) bool: sentences before the first or after the last one the other version translates, where pages
    # keep their furniture: no loose translation is taken there.
    outside: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.vecs)
