"""The search: the best monotone path of beads through the grid of sentence prefixes, over the full grid or a
band around a coarse path."""

from __future__ import annotations

import numpy as np

from ..types import AlignConfig
from .anchors import Gates
from .beads import BEAD_TYPES, Side
from .costs import CostModel, length_ratio
from .runs import Runs, unit_rows

COARSE_TYPES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))


ANCHORED = -2  # a cell's back pointer when a locked bead ends there


def dp(n: int, m: int, lo: np.ndarray, hi: np.ndarray, row_costs, skip: float,
       gates: Gates | None = None) -> list[tuple[int, int, int, int]]:
    """Best monotone path through cells (i, j) = (English prefix length, Russian prefix length).

    Row i holds columns lo[i]..hi[i]. lo and hi are non-decreasing, lo[0] = 0 and hi[n] = m, so the
    storage is O(sum of band widths). Returns beads as (a, b, i, j): a English and b Russian sentences
    ending at prefixes i and j. With ``gates`` (anchors.Gates), the path keeps every locked bead as it is and
    crosses none: it leaves a locked bead's first row only from its first column, enters its last row only
    through the bead, and no bead jumps over either row (see alignment.pipeline.align.anchors).
    """
    cost_rows: list[np.ndarray] = []
    back_rows: list[np.ndarray] = []
    skip_type = BEAD_TYPES.index((0, 1))
    for i in range(n + 1):
        L, H = int(lo[i]), int(hi[i])
        js = np.arange(L, H + 1)
        best = np.full(len(js), np.inf)
        arg = np.full(len(js), -1, dtype=np.int8)
        if i == 0:
            best[js == 0] = 0.0
        elif gates is not None and i in gates.ends:  # entered only through the locked bead
            anchor = gates.ends[i]
            best[anchor.d - L] = cost_rows[anchor.a][anchor.c - int(lo[anchor.a])]
            arg[anchor.d - L] = ANCHORED
        elif gates is None or not gates.inside[i]:
            for t, a, b, cost in row_costs(i):
                if a == 0 or cost is None or (gates is not None and not gates.allowed(i, a, b)):
                    continue
                prev = cost_rows[i - a]
                # Column j comes from column j - b of row i - a: stored at j - b - lo[i - a] there. The bands
                # are monotone, so the columns that have one are one slice [first, stop) of this row.
                shift = L - b - int(lo[i - a])
                first, stop = max(0, -shift), min(len(js), len(prev) - shift)
                if first >= stop:
                    continue
                cand = prev[first + shift:stop + shift] + (cost[first:stop] if isinstance(cost, np.ndarray) else cost)
                if gates is not None and b and (blocked := gates.blocked(js[first:stop], b)) is not None:
                    cand = np.where(blocked, np.inf, cand)
                better = cand < best[first:stop]
                best[first:stop][better] = cand[better]
                arg[first:stop][better] = t
        # 0-1 beads chain along the row: D[j] = min_k<=j (best[k] + (j - k) * skip)
        shifted = np.minimum.accumulate(best - js * skip) + js * skip
        from_left = shifted < best - 1e-12
        best = np.where(from_left, shifted, best)
        arg[from_left] = skip_type
        if gates is not None and i in gates.starts:  # left only from the locked bead's first column
            keep = gates.starts[i].c - L
            best = np.where(np.arange(len(js)) == keep, best, np.inf)
        cost_rows.append(best)
        back_rows.append(arg)
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back_rows[i][j - int(lo[i])])
        if t == ANCHORED:
            anchor = gates.ends[i]
            path.append(anchor.step)
            i, j = anchor.a, anchor.c
            continue
        if t < 0:
            raise RuntimeError(f"alignment search found no path through cell ({i}, {j})")
        a, b = BEAD_TYPES[t]
        path.append((a, b, i, j))
        i, j = i - a, j - b
    path.reverse()
    return path


def doubtful_runs(path, model: CostModel, runs_en: Runs, runs_ru: Runs, n: int, m: int):
    """The runs worth embedding for real, per side, as (start, stop) sentence spans.

    Only where the first pass had doubts: a merged bead's own runs and the same runs shifted by one
    sentence (so pass 2 can confirm or move the merge); the pairs that would absorb a skipped sentence
    into a neighbour; and the pairs around a weak 1-1 bead. On the hard development variant this embeds
    a third as many runs as taking every run near a doubt, with the same accuracy.
    """
    wanted_en: set[tuple[int, int]] = set()
    wanted_ru: set[tuple[int, int]] = set()
    doubtful_u = 0.5 * (model.u_good + model.skip)
    for a, b, i, j in path:
        if (a, b) == (1, 1):
            bead = model.bead(1, 1, i, j, runs_en, runs_ru)
            if model.u_rand - bead.score * (model.u_rand - model.u_good) > doubtful_u:
                _pairs_around(wanted_en, i - 1, n)
                _pairs_around(wanted_ru, j - 1, m)
            continue
        for size, stop, total, wanted, other in ((a, i, n, wanted_en, b), (b, j, m, wanted_ru, a)):
            if size > 1:
                for shift in (-1, 0, 1):
                    if 0 <= stop - size + shift and stop + shift <= total:
                        wanted.add((stop - size + shift, stop + shift))
            elif size == 1 and other == 0:
                _pairs_around(wanted, stop - 1, total)
    return wanted_en, wanted_ru


def _pairs_around(out: set, k: int, n: int) -> None:
    """The two runs of two sentences that contain sentence k."""
    for first in (k - 1, k):
        if 0 <= first and first + 2 <= n:
            out.add((first, first + 2))


# ---------------------------------------------------------------------------------------------------------
# Bands for long documents


def full_band(n: int, m: int):
    """(lo, hi), each (n + 1,): every column of every row, for the exact search."""
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def band(en: Side, ru: Side, params: AlignConfig):
    """(lo, hi), each (n + 1,): the columns of each row the search visits, all of them for a short document
    and a band around the coarse path for a long one."""
    n, m = en.n, ru.n
    if (n + 1) * (m + 1) <= params.full_dp_cells or n < 4 or m < 4:
        return full_band(n, m)
    coarse_en, coarse_ru = _halve(en), _halve(ru)
    path = _coarse_path(coarse_en, coarse_ru, params)
    return _project(path, n, m, params.band)


def _halve(side: Side) -> Side:
    n = side.n
    vecs = side.vecs[0::2].copy()
    lengths = side.lengths[0::2].astype(np.float64).copy()
    pairs = n // 2
    vecs[:pairs] += side.vecs[1::2][:pairs]
    lengths[:pairs] += side.lengths[1::2][:pairs]
    return Side(vecs=unit_rows(vecs), lengths=lengths)


def _coarse_path(en: Side, ru: Side, params: AlignConfig):
    lo, hi = band(en, ru, params)
    ratio = length_ratio(en, ru)
    model = CostModel.calibrate(en, ru, lo, hi, ratio, params)
    runs_en, runs_ru = Runs.approximate(en), Runs.approximate(ru)
    return dp(en.n, ru.n, lo, hi, model.row_costs(runs_en, runs_ru, lo, hi, COARSE_TYPES), model.skip)


def _project(coarse_path, n: int, m: int, band: int):
    """The coarse path's cells at twice the resolution, widened by ``band`` sentences either way."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    points = [(0, 0)] + [(i, j) for _, _, i, j in coarse_path]
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        r0, r1 = min(2 * i0, n), min(2 * i1, n)
        c0, c1 = min(2 * j0, m), min(2 * j1, m)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], c0)
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], c1)
    lo = np.maximum(lo - band, 0)
    hi = np.minimum(hi + band, m)
    # Monotone edges keep every transition inside the stored band.
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi
