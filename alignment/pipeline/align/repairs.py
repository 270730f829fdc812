"""The repairs after the search: stretches left unaligned on both sides paired, sentences left unaligned joined
to a neighbouring bead, and sentences a merged bead is better without let go."""

from __future__ import annotations

import numpy as np

from .beads import BEAD_TYPES
from .costs import CostModel
from .runs import RunEmbedder, Runs

# A sentence left unaligned joins a neighbouring bead when that makes the bead more alike by more than this
# (margin-corrected similarity; see absorb_nulls).
ABSORB_GAIN = 0.01
# A sentence at either end of a merged bead is let go when that makes the bead more alike by more than this.
# Higher than ABSORB_GAIN: a run's embedding is a little vaguer than its parts', so letting a part go tends to
# look like a gain, and a translator's merge is the likelier story (see expel_strays).
EXPEL_GAIN = 0.06


def pair_replacements(path, model: CostModel, runs_en: Runs, runs_ru: Runs, embed_runs: RunEmbedder | None):
    """The path with each stretch of sentences left unaligned on both sides, at one place in the story, made one
    bead: what one version says there in place of what the other says.

    That is a sentence rewritten (or replaced) far more often than one dropped beside another added, and a
    reader reviews it once, as a pair that differs in meaning. A translation the costs priced too high (a
    headline, close to every sentence of its story, keeps little similarity after the margin correction)
    comes back as the pair it is. Furniture is never paired so: it has no counterpart, whatever stands beside
    it. Returns the new path and the runs, with the new beads' runs embedded for real.
    """
    out: list[tuple[int, int, int, int]] = []
    stretch: list[tuple[int, int, int, int]] = []
    for step in [*path, None]:
        if step is not None and (step[0] == 0 or step[1] == 0):
            stretch.append(step)
            continue
        a, b = sum(s[0] for s in stretch), sum(s[1] for s in stretch)
        if a and b and (a, b) in BEAD_TYPES and model.replaceable(stretch[-1][2], stretch[-1][3], a, b, runs_en, runs_ru):
            out.append((a, b, stretch[-1][2], stretch[-1][3]))
        else:
            out.extend(stretch)
        stretch = []
        if step is not None:
            out.append(step)
    wanted_en = {(i - a, i) for a, b, i, j in out if a > 1 and not runs_en.avail[a][i]}
    wanted_ru = {(j - b, j) for a, b, i, j in out if b > 1 and not runs_ru.avail[b][j]}
    return out, runs_en.with_runs(wanted_en, embed_runs, "en"), runs_ru.with_runs(wanted_ru, embed_runs, "ru")


def absorb_nulls(path, model: CostModel, runs_en: Runs, runs_ru: Runs, embed_runs: RunEmbedder | None):
    """The path with each sentence left unaligned joined to a neighbouring bead where the joined bead is at
    least as alike as the bead was alone: a translator's merge, which the priors priced too high.

    A sentence cut from one version makes its neighbour's bead less alike when joined to it (the other
    side lacks what it says); half of a sentence the translator merged makes it more alike. Returns the
    new path and the runs, with the joined runs embedded for real.
    """
    if not any(a == 0 or b == 0 for a, b, _, _ in path):
        return path, runs_en, runs_ru
    beads = [list(step) for step in path]
    candidates = []  # (null position, neighbour position, joined (a, b, i, j))
    for k, (a, b, i, j) in enumerate(beads):
        if (a, b) not in ((1, 0), (0, 1)):
            continue
        for q in (k - 1, k + 1):
            if not 0 <= q < len(beads):
                continue
            na, nb, ni, nj = beads[q]
            if na == 0 or nb == 0 or (na + a, nb + b) not in BEAD_TYPES:
                continue
            # The neighbour after the null ends where it ends; the one before now ends at the null's end.
            joined = (na + a, nb + b, max(i, ni), max(j, nj))
            if not model.clean(joined[2], joined[3], joined[0], joined[1]):
                continue
            candidates.append((k, q, joined))
    if not candidates:
        return path, runs_en, runs_ru
    wanted_en = {(i - a, i) for _, _, (a, b, i, j) in candidates if a > 1}
    wanted_ru = {(j - b, j) for _, _, (a, b, i, j) in candidates if b > 1}
    runs_en = runs_en.with_runs(wanted_en, embed_runs, "en")
    runs_ru = runs_ru.with_runs(wanted_ru, embed_runs, "ru")
    taken: set[int] = set()
    gains = [_gain(model, beads[q], joined, runs_en, runs_ru) for _, q, joined in candidates]
    for gain, (k, q, joined) in sorted(zip(gains, candidates), key=lambda c: -c[0]):
        if k in taken or q in taken or gain <= ABSORB_GAIN:
            continue
        beads[q] = list(joined)
        beads[k] = None
        taken.update((k, q))
    return [tuple(b) for b in beads if b is not None], runs_en, runs_ru


def expel_strays(path, model: CostModel, runs_en: Runs, runs_ru: Runs, embed_runs: RunEmbedder | None):
    """The path with a sentence at either end of a merged bead left unaligned where the bead is more alike
    without it: a sentence cut from the other version that the search merged into its neighbour's bead.

    The mirror of :func:`absorb_nulls`, by the same measure: half of a translator's merge makes its bead more
    alike; a sentence the other version lacks makes it less. Returns the new path and the runs.
    """
    options = []  # (position, shrunk bead, the sentence let go as a null bead, before or after)
    for k, (a, b, i, j) in enumerate(path):
        if a == 0 or b == 0 or a + b < 3:
            continue
        if a > 1:
            options += [(k, (a - 1, b, i, j), (1, 0, i - a + 1, j - b), True), (k, (a - 1, b, i - 1, j), (1, 0, i, j), False)]
        if b > 1:
            options += [(k, (a, b - 1, i, j), (0, 1, i - a, j - b + 1), True), (k, (a, b - 1, i, j - 1), (0, 1, i, j), False)]
    options = [o for o in options if o[1][:2] in BEAD_TYPES]
    if not options:
        return path, runs_en, runs_ru
    wanted_en = {(i - a, i) for _, (a, b, i, j), _, _ in options if a > 1}
    wanted_ru = {(j - b, j) for _, (a, b, i, j), _, _ in options if b > 1}
    runs_en = runs_en.with_runs(wanted_en, embed_runs, "en")
    runs_ru = runs_ru.with_runs(wanted_ru, embed_runs, "ru")
    best: dict[int, tuple[float, tuple, tuple, bool]] = {}
    for k, shrunk, stray, first in options:
        gain = _gain(model, path[k], shrunk, runs_en, runs_ru)
        if gain > EXPEL_GAIN and gain > best.get(k, (-np.inf,))[0]:
            best[k] = (gain, shrunk, stray, first)
    out = []
    for k, step in enumerate(path):
        if k not in best:
            out.append(step)
            continue
        _, shrunk, stray, first = best[k]
        out.extend((stray, shrunk) if first else (shrunk, stray))
    return out, runs_en, runs_ru


def _gain(model: CostModel, bead, joined, runs_en: Runs, runs_ru: Runs) -> float:
    """How much more alike the joined bead is than the bead alone (margin-corrected, per the cost model)."""
    return model.similarity(*joined, runs_en, runs_ru) - model.similarity(*bead, runs_en, runs_ru)
