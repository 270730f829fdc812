"""Corrections as plans over a story's layout: which window of consecutive pairs a merge, a split, a move or a
detach replaces, and with what. Pure Python, no Django and no database (a test enforces it): the rows are
alignment.review.corrections' business.

A plan replaces a window of consecutive pairs with new pairs that hold the same sentences in the same order, so
that every sentence of the story stays in exactly one pair, in order. What cannot be done that way is refused
with a ReviewError that says why, in words for the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alignment.pipeline.types import NAMES, Lang


class ReviewError(Exception):
    """A change that cannot be made, with why, in words for the reviewer."""


@dataclass(frozen=True)
class Group:
    """The sentences of one pair: English and Russian indices, each run consecutive and ascending."""

    en: tuple[int, ...] = ()
    ru: tuple[int, ...] = ()

    def side(self, lang: str) -> tuple[int, ...]:
        return self.en if lang == Lang.EN else self.ru

    def with_side(self, lang: str, indices: tuple[int, ...]) -> Group:
        return replace(self, en=indices) if lang == Lang.EN else replace(self, ru=indices)

    @property
    def size(self) -> int:
        return len(self.en) + len(self.ru)

    def to_dict(self) -> dict:
        return {"en": list(self.en), "ru": list(self.ru)}


Layout = tuple[Group, ...]


@dataclass(frozen=True)
class Plan:
    """Replace ``layout[start:stop]`` with ``groups``; ``summary`` says so with the pair numbers of now."""

    start: int
    stop: int
    groups: tuple[Group, ...]
    summary: str


def plan_merge(layout: Layout, k: int) -> Plan:
    """Pair k and the next one become one pair."""
    if k + 1 >= len(layout):
        raise ReviewError(f"Pair {k + 1} is the last pair: there is no next pair to merge it with.")
    a, b = layout[k], layout[k + 1]
    return Plan(k, k + 2, (Group(a.en + b.en, a.ru + b.ru),), f"Merged pairs {k + 1} and {k + 2}")


def plan_split(layout: Layout, k: int, after: tuple[str, int] | None = None) -> Plan:
    """Pair k cut in two after one of its sentences, or with no sentence given, into its sentences' natural
    pieces: the first English with the first Russian, and so on, each sentence left over on its own.

    Cut after the n-th sentence of one side, the first piece keeps as many sentences of the other side as
    that side has, n at most: a 3-1 pair cut after its first English sentence gives a 1-1 and a 2-0."""
    group = layout[k]
    if after is None:
        if len(group.en) <= 1 and len(group.ru) <= 1:
            raise ReviewError(
                f"Pair {k + 1} holds no more than one sentence a side: there is nothing to split. To part its two "
                "sentences, mark one as having no counterpart."
            )
        n = min(len(group.en), len(group.ru))
        pieces = (
            *(Group((e,), (r,)) for e, r in zip(group.en, group.ru)),
            *(Group(en=(e,)) for e in group.en[n:]),
            *(Group(ru=(r,)) for r in group.ru[n:]),
        )
        return Plan(k, k + 1, pieces, f"Split pair {k + 1} into {len(pieces)} pairs")
    lang, index = after
    side, other_lang = group.side(lang), _other(lang)
    other = group.side(other_lang)
    _check_holds(group, k, lang, index)
    cut = side.index(index) + 1
    if cut == len(side):
        raise ReviewError(
            f"{_sentence_name(lang, index)} is the last {NAMES[lang]} sentence of pair {k + 1}: there is "
            "nothing after it to split off."
        )
    other_cut = min(cut, len(other))
    first = Group().with_side(lang, side[:cut]).with_side(other_lang, other[:other_cut])
    second = Group().with_side(lang, side[cut:]).with_side(other_lang, other[other_cut:])
    return Plan(k, k + 1, (first, second), f"Split pair {k + 1} after {_sentence_name(lang, index)}")


def plan_move(layout: Layout, k: int, lang: str, index: int, direction: str) -> Plan:
    """A sentence of pair k moves to the previous pair (the first of its side only) or to the next one (the
    last only): anything else would put it out of order. A pair left empty goes."""
    group = layout[k]
    _check_holds(group, k, lang, index)
    side, name = group.side(lang), _sentence_name(lang, index)
    if direction == "previous":
        if k == 0:
            raise ReviewError(f"{name} is in the first pair: there is no previous pair to move it to.")
        if side[0] != index:
            raise ReviewError(
                f"Only the first {NAMES[lang]} sentence of a pair can move to the previous pair: {name} "
                f"comes after sentence {side[0] + 1}, and moving it alone would break their order."
            )
        neighbour, at = layout[k - 1], k - 1
        moved = neighbour.with_side(lang, neighbour.side(lang) + (index,))
        rest = group.with_side(lang, side[1:])
        groups = (moved, rest)
    elif direction == "next":
        if k + 1 >= len(layout):
            raise ReviewError(f"{name} is in the last pair: there is no next pair to move it to.")
        if side[-1] != index:
            raise ReviewError(
                f"Only the last {NAMES[lang]} sentence of a pair can move to the next pair: {name} comes "
                f"before sentence {side[-1] + 1}, and moving it alone would break their order."
            )
        neighbour, at = layout[k + 1], k + 1
        moved = neighbour.with_side(lang, (index,) + neighbour.side(lang))
        rest = group.with_side(lang, side[:-1])
        groups = (rest, moved)
    else:
        raise ReviewError(f"A sentence moves to the previous or the next pair, not {direction!r}.")
    summary = f"Moved {_sentence_name(lang, index)} from pair {k + 1} to pair {at + 1}"
    return Plan(min(k, at), max(k, at) + 1, tuple(g for g in groups if g.size), summary)


def plan_detach(layout: Layout, k: int, lang: str, index: int) -> Plan:
    """A sentence of pair k has no counterpart: it becomes a pair of its own (1-0 or 0-1), before the rest of
    its pair if it was the first of its side, after it if it was the last."""
    group = layout[k]
    _check_holds(group, k, lang, index)
    side, name = group.side(lang), _sentence_name(lang, index)
    if group.size == 1:
        raise ReviewError(f"{name} already stands alone in pair {k + 1}.")
    alone = Group().with_side(lang, (index,))
    rest = group.with_side(lang, tuple(i for i in side if i != index))
    if side[0] == index:
        groups = (alone, rest)
    elif side[-1] == index:
        groups = (rest, alone)
    else:
        raise ReviewError(
            f"Only the first or the last {NAMES[lang]} sentence of a pair can be set apart: {name} sits "
            "between two others. Split the pair first."
        )
    summary = f"Marked {_sentence_name(lang, index)} (pair {k + 1}) as having no counterpart"
    return Plan(k, k + 1, groups, summary)


def _check_holds(group: Group, k: int, lang: str, index: int) -> None:
    if lang not in NAMES:
        raise ReviewError(f"There is no {lang!r} side.")
    if index not in group.side(lang):
        raise ReviewError(
            f"{_sentence_name(lang, index)} is no longer in pair {k + 1}: the alignment changed since this page "
            "was loaded. Reload the page."
        )


def _other(lang: str) -> str:
    return Lang.RU if lang == Lang.EN else Lang.EN


def _sentence_name(lang: str, index: int) -> str:
    return f"{NAMES[lang]} sentence {index + 1}"
