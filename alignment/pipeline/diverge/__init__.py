"""Beads in, the same beads out with their divergences: what one version says and the other does not.

Each bead is judged against its own document: a similarity of 0.5 is alarming in a story whose pairs sit
around 0.85 and ordinary in one around 0.55, and Russian runs longer than English by a ratio that differs
from story to story. So the detector first takes the document's measure (:class:`.profile.Profile`), then
looks at each bead, one module per kind of judgement; :mod:`.severity` says how serious each kind is. It
only reads what the beads and sentences carry, and the probes of opposite sense the caller had embedded
(:mod:`.polarity`); it never embeds anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..furniture import furniture_label

from ..mentions.glossary import GlossaryIndex
from ..types import Bead, GlossaryPair, Sentence
from .listed import Listing, listed, listing, ruled
from .meaning import meaning
from .moved import Move, SideView, find_moves, moved
from .names import names
from .numbers import numbers
from .partial import partial
from .polarity import Weighed, opposite, turns, weigh
from .profile import Profile
from .reading import NameReading, around, first_mentions, read_names, shares_a_name
from .unpaired import unpaired

__all__ = ["Move", "SideView", "find_divergences", "find_moves", "turns", "weigh"]


Furniture = Mapping[str, Mapping[int, str]]
"""side -> sentence index -> the kind of furniture it is, for the sentences judged furniture."""


def find_divergences(
    beads: Sequence[Bead],
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    furniture: Furniture | None = None,
    probes: Mapping[int, Weighed] | None = None,
    moves: Sequence[Move] = (),
    glossary: Sequence[GlossaryPair] = (),
) -> tuple[Bead, ...]:
    """The beads, in order, each with ``divergences`` filled in.

    ``furniture`` says which sentences are outlet furniture (see :func:`..furniture.furniture_in`); without it,
    only furniture's grammar tells (:func:`..furniture.furniture_label`). ``probes`` holds each bead's best
    probe of opposite sense, by position (``weigh(turns(beads, en, ru), ...)``); without them, sides that say
    opposite things go unseen. ``moves`` are passages moved (:func:`.moved.find_moves`): their unpaired beads
    are reported as moved, each naming its counterpart, rather than as content only one side has. ``glossary``
    lists name pairs the owner vouches for (:mod:`.listed`).
    """
    probes = probes or {}
    moved_to = _moved_to(beads, moves)
    if furniture is None:
        furniture = {
            side: {s.index: label for s in sentences if (label := furniture_label(s.text))}
            for side, sentences in (("en", en), ("ru", ru))
        }
    first = first_mentions(en, "en") | first_mentions(ru, "ru")
    readings = [
        read_names([en[i] for i in b.en], [ru[j] for j in b.ru], around(b.en, en), around(b.ru, ru), first)
        if b.en and b.ru
        else None
        for b in beads
    ]
    index = GlossaryIndex(glossary)
    listings = [listing(b, en, ru, index) if n and index else None for b, n in zip(beads, readings)]
    profile = Profile.of(beads, en, ru, [ruled(n, g) if g else n for n, g in zip(readings, listings) if n])
    return tuple(
        replace(b, divergences=(moved(b, moved_to[k], en, ru),) if k in moved_to else tuple(
            _bead_divergences(b, en, ru, n, profile, furniture, probes.get(k), (g, index) if g else None)
        ))
        for k, (b, n, g) in enumerate(zip(beads, readings, listings))
    )


def _moved_to(beads: Sequence[Bead], moves: Sequence[Move]) -> dict[int, Move]:
    """Bead position -> the move its sentences are part of, for unpaired beads wholly inside a move whose
    sentences are all still unpaired (a correction may have paired some since)."""
    unpaired = {("en", i): k for k, b in enumerate(beads) if not b.ru for i in b.en}
    unpaired |= {("ru", j): k for k, b in enumerate(beads) if not b.en for j in b.ru}
    found = {}
    for move in moves:
        sentences = [("en", i) for i in move.en] + [("ru", j) for j in move.ru]
        if move.en and move.ru and all(s in unpaired for s in sentences):
            found.update((unpaired[s], move) for s in sentences)
    return {
        k: move for k, move in found.items()
        if set(beads[k].en) <= set(move.en) and set(beads[k].ru) <= set(move.ru)
    }


def _bead_divergences(
    bead: Bead,
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    reading: NameReading | None,
    profile: Profile,
    furniture: Furniture,
    probe: Weighed | None,
    glossed: tuple[Listing, GlossaryIndex] | None = None,
):
    en_sentences = [en[i] for i in bead.en]
    ru_sentences = [ru[j] for j in bead.ru]
    if not en_sentences or not ru_sentences:
        side, sentences = ("en", en_sentences) if en_sentences else ("ru", ru_sentences)
        yield unpaired(side, sentences, furniture.get(side, {}))
        return
    different = meaning(bead, en_sentences, ru_sentences, profile, shares_a_name(reading))
    if different:
        yield different  # the two sides say different things: their numbers and names differ as a matter of course
        return
    # The glossary is not asked whether the two sides share a name, above: it judges names, not meaning.
    for divergence in (
        opposite(probe, en, ru),
        numbers(en_sentences, ru_sentences),
        listed(*glossed, reading) if glossed else None,
        names(ruled(reading, glossed[0]) if glossed else reading, profile),
        partial(en_sentences, ru_sentences, profile),
    ):
        if divergence:
            yield divergence
