"""Moved passages: sentences left unpaired in one place whose counterparts are left unpaired in another.

The aligner keeps the order of both versions, so a paragraph moved down (or a quote moved up) comes out of it
twice: content only in English at one place and content only in Russian at another. Read as a pair instead,
it is one finding, a move, and nothing is missing.

Two unpaired sentences, one a side and at different places of the alignment, are taken for each other's
counterpart when, priced as the aligner prices a 1-1 bead (margin-corrected similarity, the length ratio and
the agreement of numbers and names), they are

- each other's best match on the whole of the other side (the hubness-corrected similarity), and
- about as good a pair as the story's own pairs: their cost lies within ``MAX_STRANGENESS`` of the way from the
  story's typical 1-1 bead (0) to a random pair of its sentences (1).

Both measures are the story's own, so that a loose translation is judged against its loose pairs. A sentence cut
on one side and another, on the same subject, added elsewhere on the other is the case to tell from a move: its
sentences are seldom each other's best match, and seldom as alike as the story's translations.

Consecutive sentences matched in order on both sides make one move. A sentence beside a move, matched to the
sentence beside its counterpart, joins it on looser terms (``BESIDE_A_MOVE``, and each other's best match among
the unpaired sentences only): a paragraph moved whole drags its loosest sentence along.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..types import NAMES, Bead, Divergence, Kind, Lang, Sentence
from .report import spans
from .severity import severity

# The furthest a match may sit from the story's typical pair, on the way to a random pair (0 .. 1). Tuned on
# the tuning part of benchmarks.moved (both planters, three plants a story, and three variants of each story with
# a sentence cut on each side at different places): of the unpaired pairs at different places that were each
# other's best match, 0.4 kept 820 of the 830 moved ones and one of the 11 that were not (at 0.23; the next
# stood at 0.46). 0.45 would keep 6 more moved pairs, too close to that next one. Neither the margin over the
# second-best match nor the similarity's distance from the story's pairs in robust deviations told the one apart.
MAX_STRANGENESS = 0.4
BESIDE_A_MOVE = 0.7  # the same, for a sentence whose neighbour's match is a move
# Words a sentence needs, on each side, to be taken for a move on its own: a line of a few words (an exclamation,
# a reply, a byline) is like many others of its kind in either language, too little to tell a translation from a
# likeness. Beside a move it may join it. (In the literary set, where nothing moved, such lines made most of the
# moves found: "Look!" against «Во!».)
MIN_WORDS = 4
# The aligner's weights, so that a moved pair is priced as it would be in place (align/costs.py).
LENGTH_WEIGHT, FEATURE_WEIGHT, LENGTH_SMOOTHING = 0.6, 0.15, 20.0
_FULL_PASSAGE = 200  # characters: a move this long is as serious as a move gets
RANDOM_PAIRS = 2000  # sampled to measure the cost of a random pair
MIN_SPREAD = 0.1  # between the typical pair and a random one, for stories where nothing stands out
_BLOCK = 512  # sentences whose best matches are looked for at once


@dataclass(frozen=True)
class Move:
    """Sentences moved: ``en`` (consecutive) is where the English version has them, ``ru`` the Russian."""

    en: tuple[int, ...]
    ru: tuple[int, ...]


@dataclass(frozen=True)
class SideView:
    """What the detector reads of one side: (n, d) unit sentence vectors, lengths in characters and in words,
    the number and name keys of each sentence, and the sentences that are furniture beyond doubt (two such
    lines, one a side, are each edition's own furniture, not a move)."""

    vecs: np.ndarray
    lengths: np.ndarray
    words: Sequence[int]
    keys: Sequence[frozenset[str]]
    furniture: frozenset[int] = frozenset()

    @classmethod
    def of(cls, vecs: np.ndarray, texts: Sequence[str], keys: Sequence[frozenset[str]],
           furniture: frozenset[int] = frozenset()) -> SideView:
        return cls(vecs, np.array([len(t) for t in texts], dtype=np.float64), [len(t.split()) for t in texts], keys,
                   furniture)


def find_moves(
    beads: Sequence[Bead], en: SideView, ru: SideView, seed: int = 0
) -> tuple[tuple[Bead, ...], tuple[Move, ...]]:
    """The beads, with each moved sentence that the aligner had put into a bead set apart (see :func:`_set_apart`),
    and the moves among their unpaired sentences, in the order of their English sentences."""
    beads = tuple(beads)
    if not any(not b.ru for b in beads) and not any(not b.en for b in beads):
        return beads, ()
    cost = _Costs(en, ru)
    typical = cost.typical(beads)
    spread = max(cost.random(seed) - typical, MIN_SPREAD)

    def strangeness(i: int, j: int) -> float:
        return (cost.unit(i, j) - typical) / spread

    def alone(i: int, j: int) -> bool:
        """Whether the pair may be taken for a move on its own (not only beside one)."""
        return en.words[i] >= MIN_WORDS and ru.words[j] >= MIN_WORDS and strangeness(i, j) <= MAX_STRANGENESS

    beads = _set_apart(beads, cost, alone)
    places = {side: _places(beads, side) for side in ("en", "ru")}
    lonely_en, lonely_ru = sorted(places["en"]), sorted(places["ru"])
    if not lonely_en or not lonely_ru:
        return beads, ()
    # Each unpaired sentence's best match on the whole of the other side, and among the unpaired sentences alone.
    best = _mutual(cost.best("en", lonely_en), cost.best("ru", lonely_ru), lonely_en, lonely_ru)
    among_unpaired = _mutual(
        cost.best("en", lonely_en, among=lonely_ru), cost.best("ru", lonely_ru, among=lonely_en), lonely_en, lonely_ru,
    )
    strange = {
        (i, j): strangeness(i, j)
        for i, j in among_unpaired
        if places["en"][i] != places["ru"][j] and not (i in en.furniture and j in ru.furniture)
    }
    found = {pair for pair in best if pair in strange and alone(*pair)}
    grown = True
    while grown:
        beside = {
            pair for pair, s in strange.items()
            if pair not in found and s <= BESIDE_A_MOVE and any(_next_to(pair, other, places) for other in found)
        }
        found |= beside
        grown = bool(beside)
    return beads, _runs(sorted(found), places)


def _set_apart(beads: tuple[Bead, ...], cost: _Costs, alone: Callable[[int, int], bool]) -> tuple[Bead, ...]:
    """The beads with each paired sentence set apart as a bead of its own where it and an unpaired sentence
    elsewhere are each other's best match on the whole of the other side, as good a pair as a move must be
    (``alone``).

    The aligner keeps the order, so it had to put a moved sentence somewhere: a neighbour's bead that grows a
    little more alike with it takes it in (a translator's merge, as far as it can tell), or a neighbour that
    lost its own counterpart is paired with it as a loose translation. Set apart, it is found as the move it is:
    from the end of a merged bead, which keeps the rest, if the rest is more alike without it (else it is part
    of a translator's merge); from a bead where it is its side's only sentence, whose other side is left
    unpaired as well, unless that side has it for its best match (two translations of one sentence, as a
    headline and a lead can be, are no move).
    """
    out = list(beads)
    for side, other in (("en", "ru"), ("ru", "en")):
        lonely = sorted(_places(out, side))
        if not lonely:
            continue
        holder = _holders(out, other)
        for s, t in zip(lonely, cost.best(side, lonely).tolist()):
            k = holder[t]
            bead = out[k]
            theirs = getattr(bead, other)
            # Cheapest first: the pair's cost, then whether s is t's best match too, and (when the bead would
            # come apart) whether t is no one's best match in it: then it is no translation of theirs.
            mine = bead.ru if other == "en" else bead.en
            if not (bead.en and bead.ru) or t not in (theirs[0], theirs[-1]) or not alone(
                *((s, t) if side == "en" else (t, s))
            ) or int(cost.best(other, [t])[0]) != s or (
                len(theirs) == 1 and t in cost.best(side, mine).tolist()
            ):
                continue
            apart = _apart(bead, other, t, cost)
            if len(theirs) > 1 and max(b.similarity for b in apart) <= cost.bead(bead.en, bead.ru, 0.0).similarity:
                continue
            # Not where s stands: then it is a translation the aligner put in the wrong bead, not a move.
            place = sum(1 for b in out[:k] if b.en and b.ru) + sum(
                1 for b in apart[: apart.index(_alone(other, t))] if b.en and b.ru
            )
            if place != _places(out, side)[s]:
                out[k : k + 1] = apart
                holder = _holders(out, other)
    return tuple(out)


def _holders(beads: Sequence[Bead], side: str) -> dict[int, int]:
    """Each of the side's sentences -> the position of the bead that holds it."""
    return {t: k for k, bead in enumerate(beads) for t in getattr(bead, side)}


def _alone(side: str, t: int) -> Bead:
    return Bead((t,), (), 0.0, 0.0) if side == "en" else Bead((), (t,), 0.0, 0.0)


def _apart(bead: Bead, side: str, t: int, cost: _Costs) -> list[Bead]:
    """What ``bead`` becomes with its sentence ``t`` (first or last on ``side``) set apart, in order."""
    theirs = getattr(bead, side)
    if len(theirs) == 1:
        mine = bead.ru if side == "en" else bead.en
        return [_alone(side, t), *(_alone("ru" if side == "en" else "en", x) for x in mine)]
    kept = tuple(x for x in theirs if x != t)
    shrunk = cost.bead(*((kept, bead.ru) if side == "en" else (bead.en, kept)), bead.score)
    return [_alone(side, t), shrunk] if t == theirs[0] else [shrunk, _alone(side, t)]


def _mutual(best_of_en, best_of_ru, lonely_en: Sequence[int], lonely_ru: Sequence[int]) -> set[tuple[int, int]]:
    """(i, j) of unpaired sentences each of which is the other's best match: ``best_of_en`` holds the best
    Russian sentence of each of ``lonely_en``, ``best_of_ru`` the best English one of each of ``lonely_ru``."""
    of_ru = dict(zip(lonely_ru, best_of_ru.tolist()))
    return {(i, j) for i, j in zip(lonely_en, best_of_en.tolist()) if of_ru.get(j) == i}


class _Costs:
    """A 1-1 bead's cost as the aligner prices it (align/costs.py, without its same-language views)."""

    def __init__(self, en: SideView, ru: SideView):
        self.en, self.ru = en, ru
        self.typ_en = en.vecs @ ru.vecs.mean(axis=0)  # each sentence's mean similarity to the other side
        self.typ_ru = ru.vecs @ en.vecs.mean(axis=0)
        total_en, total_ru = float(np.sum(en.lengths)), float(np.sum(ru.lengths))
        self.ratio = float(np.clip(total_ru / total_en, 0.7, 1.8)) if total_en > 0 and total_ru > 0 else 1.0

    def best(self, side: str, sentences: Sequence[int], among: Sequence[int] | None = None) -> np.ndarray:
        """For each of the side's ``sentences``, its best match on the other side (among ``among`` if given) by
        margin-corrected similarity: a sentence index there. A block of rows at a time, so that a long story's
        many unpaired sentences never hold a whole matrix."""
        mine, theirs = (self.en, self.ru) if side == "en" else (self.ru, self.en)
        typ_theirs = self.typ_ru if side == "en" else self.typ_en  # a row's own typicality ranks nothing
        columns = np.arange(len(theirs.vecs)) if among is None else np.asarray(among)
        out = np.empty(len(sentences), dtype=np.int64)
        for at in range(0, len(sentences), _BLOCK):
            rows = list(sentences[at : at + _BLOCK])
            sims = mine.vecs[rows] @ theirs.vecs[columns].T - 0.5 * typ_theirs[columns][None, :]
            out[at : at + len(rows)] = columns[np.argmax(sims, axis=1)]
        return out

    def unit(self, i: int, j: int) -> float:
        adjusted = float(self.en.vecs[i] @ self.ru.vecs[j]) - 0.5 * (self.typ_en[i] + self.typ_ru[j])
        length = (self.ru.lengths[j] + LENGTH_SMOOTHING) / (self.ratio * (self.en.lengths[i] + LENGTH_SMOOTHING))
        return 1.0 - adjusted + LENGTH_WEIGHT * min(abs(float(np.log(length))), 2.0) - FEATURE_WEIGHT * _agreement(
            self.en.keys[i], self.ru.keys[j]
        )

    def bead(self, en: tuple[int, ...], ru: tuple[int, ...], score: float) -> Bead:
        """A bead of these sentences, its similarity that of each side's summed vectors (the aligner's approximate
        run vector, exact for one sentence)."""
        x, y = self.en.vecs[list(en)].sum(axis=0), self.ru.vecs[list(ru)].sum(axis=0)
        similarity = float(x @ y) / max(float(np.linalg.norm(x) * np.linalg.norm(y)), 1e-9)
        return Bead(en, ru, score, similarity)

    def typical(self, beads: Sequence[Bead]) -> float:
        """The median cost of the story's 1-1 beads (of every sentence's best match when it has none)."""
        pairs = [(b.en[0], b.ru[0]) for b in beads if len(b.en) == 1 and len(b.ru) == 1]
        if not pairs:
            english = list(range(len(self.en.vecs)))
            pairs = list(zip(english, self.best("en", english).tolist()))
        return float(np.median([self.unit(i, j) for i, j in pairs]))

    def random(self, seed: int) -> float:
        """The median cost of a random pair of the story's sentences."""
        rng = np.random.default_rng(seed)
        n, m = len(self.en.vecs), len(self.ru.vecs)
        count = min(RANDOM_PAIRS, n * m)
        return float(np.median([self.unit(int(i), int(j)) for i, j in zip(rng.integers(0, n, count),
                                                                            rng.integers(0, m, count))]))


def _agreement(a: frozenset[str], b: frozenset[str]) -> float:
    """As the aligner's: in [-1, 1], positive when numbers and names agree, negative when they clash, 0 with none."""
    union = len(a | b)
    if not union:
        return 0.0
    return (2.0 * len(a & b) / union - 1.0) * min(union, 2) / 2.0


def _places(beads: Sequence[Bead], side: str) -> dict[int, int]:
    """Each of the side's unpaired sentences -> its place: how many paired beads come before it."""
    places, paired = {}, 0
    for bead in beads:
        if bead.en and bead.ru:
            paired += 1
        else:
            places.update((i, paired) for i in getattr(bead, side))
    return places


def _next_to(pair: tuple[int, int], other: tuple[int, int], places: Mapping[str, Mapping[int, int]]) -> bool:
    """Whether the two matches are neighbours in the same order on both sides, each side at one place."""
    (i, j), (k, l) = pair, other
    return abs(i - k) == 1 and j - l == i - k and places["en"][i] == places["en"][k] and (
        places["ru"][j] == places["ru"][l]
    )


def _runs(pairs: Sequence[tuple[int, int]], places: Mapping[str, Mapping[int, int]]) -> tuple[Move, ...]:
    """Matches (sorted) gathered into moves: a run of neighbours in the same order on both sides is one."""
    moves: list[list[tuple[int, int]]] = []
    for pair in pairs:
        if moves and _next_to(pair, moves[-1][-1], places):
            moves[-1].append(pair)
        else:
            moves.append([pair])
    return tuple(Move(tuple(i for i, _ in run), tuple(sorted(j for _, j in run))) for run in moves)


def moved(bead: Bead, move: Move, en: Sequence[Sentence], ru: Sequence[Sentence]) -> Divergence:
    """The divergence of an unpaired bead that is part of ``move``: its sentences, and where the other version
    has them."""
    side, other = ("en", "ru") if bead.en else ("ru", "en")
    sentences = [en[i] for i in bead.en] if bead.en else [ru[j] for j in bead.ru]
    counterpart = getattr(move, other)
    where = f"sentence {counterpart[0] + 1}" if len(counterpart) == 1 else (
        f"sentences {counterpart[0] + 1}–{counterpart[-1] + 1}"
    )
    return Divergence(
        kind=Kind.MOVED,
        severity=severity(Kind.MOVED, sum(len(s.text) for s in sentences) / _FULL_PASSAGE),
        reason=f"Moved: the {NAMES[Lang(other)]} version has this at {where}",
        **{f"{side}_spans": spans(sentences), f"{other}_counterpart": counterpart},
    )
