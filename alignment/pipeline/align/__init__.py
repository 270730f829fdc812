"""Monotone sentence alignment by dynamic programming over beads.

The search is a function over arrays: unit sentence vectors and lengths go in, beads come out.

Cost of a bead that has both sides, per sentence it covers (so a 2-1 bead competes fairly with a 1-1
plus a 1-0)::

    u = 1 - (cos(x, y) - (typ(x) + typ(y)) / 2)     # margin-corrected similarity
        + length_weight * |log(len_ru / (ratio * len_en))|
        - feature_weight * agreement of numbers and names

where ``x`` and ``y`` are the embeddings of the concatenated sentences on each side and ``typ(x)`` is x's
mean similarity to every sentence of the other side (the hubness correction: a vague sentence that is
close to everything earns less). The mean over all sentences is one dot product with the other side's
mean vector, so the correction costs O(n). A null bead costs ``skip`` per sentence, calibrated on the
document: halfway between the typical cost of a sentence's best match and the typical cost of a random
pair.

With machine translations, each side may also carry same-language *views*: a second set of vectors in which
English sentences meet the English translations of the Russian ones (and Russian sentences the Russian
translations of the English ones). A view's similarity is margin-corrected like the cross-lingual one,
brought to the same scale (its gap between a sentence's best match and a random pair made equal to the
cross-lingual gap) and mixed in with a weight measured on the document itself: how well the view tells each
English sentence's best cross-lingual match from a random pair, against how well the cross-lingual
similarity does (see ``costs.CostModel._weigh_views``). A view whose translations are gibberish separates
nothing and gets no weight; one as telling as the embeddings gets up to ``mono_weight``.

Runs of consecutive sentences are embedded only where the search needs them. Pass 1 prices merged beads
with an approximate run vector (the normalised sum of the sentence vectors, which costs nothing). Every
stretch where pass 1 is not a confident 1-1 bead is then flagged, the runs inside the flagged stretches
are embedded for real (in every view that has weight), and pass 2 searches again allowing merged beads
only there.

Last, two repairs. Sentences left unaligned on both sides at one place become one bead (a passage put
for another, reviewed once), and a sentence left unaligned joins a neighbouring bead when that makes the bead
more alike (a translator's merge the priors priced too high). Furniture beyond doubt joins no bead with the
other side at any stage.

Short documents get the exact DP over the full (n + 1) x (m + 1) grid. Longer ones are halved
recursively (neighbouring sentence vectors summed), aligned at the coarse level, and the coarse path
projected back as a band of ``band`` sentences either side, so memory and time grow about linearly.

The modules, each importing only those listed before it: beads (a side, the bead types), runs (run vectors
per space), features (numbers and names that agree), costs (the cost model and its calibration), search
(the DP, the runs pass 2 embeds for real, the bands), repairs (what follows the search); this one holds
:func:`align`, which puts them together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..types import AlignConfig, Bead
from . import repairs, search
from .anchors import Gates, Locked, Locks, read_locked, segments, widen
from .beads import BEAD_TYPES, Side
from .costs import CostModel, length_ratio
from .runs import RunEmbedder, Runs, ViewRunEmbedder

__all__ = ["BEAD_TYPES", "Side", "align"]


def align(
    en: Side,
    ru: Side,
    params: AlignConfig,
    embed_runs: RunEmbedder | None = None,
    embed_view_runs: ViewRunEmbedder | None = None,
    locked: Locked = (),
) -> list[Bead]:
    """Align two sides. Every sentence lands in exactly one bead, and the beads are in order. Each bead of
    ``locked`` ([English indices], [Russian indices]) comes out as it is, and no other bead crosses it
    (alignment.pipeline.align.anchors); PipelineError if they cannot be kept.

    ``embed_runs`` embeds concatenated runs for merged beads; without it merged beads are priced with the
    approximate run vectors throughout. ``embed_view_runs`` does the same in the same-language views (the
    two sides must carry as many views); without it their runs stay approximate.
    """
    n, m = en.n, ru.n
    if len(en.views) != len(ru.views):
        raise ValueError(f"the sides carry {len(en.views)} and {len(ru.views)} views; they must match")
    locks = read_locked(locked, n, m)
    if n == 0 or m == 0:
        return [Bead(en=(i,), ru=(), score=0.0, similarity=0.0) for i in range(n)] + [
            Bead(en=(), ru=(j,), score=0.0, similarity=0.0) for j in range(m)
        ]
    lo, hi = search.band(en, ru, params)
    ratio = length_ratio(en, ru)
    model = CostModel.calibrate(en, ru, lo, hi, ratio, params)
    gates = None
    if locks:
        lo, hi = widen(lo, hi, locks.anchors)
        gates = Gates(locks, n, m)
    runs_en, runs_ru = Runs.approximate(en, model.spaces), Runs.approximate(ru, model.spaces)
    path = search.dp(n, m, lo, hi, model.row_costs(runs_en, runs_ru, lo, hi), model.skip, gates)
    if embed_runs is not None:
        free = [step for is_locked, steps in segments(path, locks) if not is_locked for step in steps]
        wanted_en, wanted_ru = search.doubtful_runs(free, model, runs_en, runs_ru, n, m)

        def embedder(side: str) -> Callable[[int, Sequence[tuple[int, int]]], np.ndarray | None]:
            def embed(space: int, spans: Sequence[tuple[int, int]]) -> np.ndarray | None:
                if space == 0:
                    return embed_runs(side, spans)
                return embed_view_runs(side, space - 1, spans) if embed_view_runs is not None else None

            return embed

        runs_en = runs_en.exact(wanted_en, embedder("en"))
        runs_ru = runs_ru.exact(wanted_ru, embedder("ru"))
        path = search.dp(n, m, lo, hi, model.row_costs(runs_en, runs_ru, lo, hi), model.skip, gates)
    beads = []
    # The repairs work on the stretches between locked beads: none joins a sentence to one or takes one out.
    for is_locked, steps in segments(path, locks):
        if is_locked:
            beads.extend(_locked_bead(step, en, ru) for step in steps)
            continue
        steps, runs_en, runs_ru = repairs.pair_replacements(steps, model, runs_en, runs_ru, embed_runs)
        steps, runs_en, runs_ru = repairs.absorb_nulls(steps, model, runs_en, runs_ru, embed_runs)
        steps, runs_en, runs_ru = repairs.expel_strays(steps, model, runs_en, runs_ru, embed_runs)
        beads.extend(model.bead(a, b, i, j, runs_en, runs_ru) for a, b, i, j in steps)
    return _join_locked_nulls(beads, locks) if locks.nulls else beads


def _locked_bead(step: tuple[int, int, int, int], en: Side, ru: Side) -> Bead:
    """A locked bead as it is: certain, with the similarity of its two runs (sums of their sentence vectors)."""
    a, b, i, j = step
    en_idx, ru_idx = tuple(range(i - a, i)), tuple(range(j - b, j))
    similarity = 0.0
    if a and b:
        x, y = en.vecs[i - a : i].sum(axis=0), ru.vecs[j - b : j].sum(axis=0)
        similarity = float(x @ y / max(float(np.linalg.norm(x) * np.linalg.norm(y)), 1e-12))
    return Bead(en=en_idx, ru=ru_idx, score=1.0, similarity=similarity)


def _join_locked_nulls(beads: list[Bead], locks: Locks) -> list[Bead]:
    """Each unpaired bead locked with more than one sentence, as one bead where its first sentence came out."""
    locked = {}
    for en_idx, ru_idx in locks.nulls:
        locked[("en", en_idx[0]) if en_idx else ("ru", ru_idx[0])] = Bead(en=en_idx, ru=ru_idx, score=1.0,
                                                                            similarity=0.0)
    taken = {("en", k) for bead in locked.values() for k in bead.en}
    taken |= {("ru", k) for bead in locked.values() for k in bead.ru}
    out = []
    for bead in beads:
        key = None
        if bead.en and not bead.ru:
            key = ("en", bead.en[0])
        elif bead.ru and not bead.en:
            key = ("ru", bead.ru[0])
        if key in locked:
            out.append(locked[key])
        elif key not in taken:
            out.append(bead)
    return out
