"""The names a glossary lists, judged bead by bead: a listed pair, a spelling of it on each side, counts as a match,
and a listed name that one side gives without its partner on the other is a name divergence, with the glossary as
the reason.

The glossary is its owner's word, so for the names it lists it replaces the loose reading of :mod:`.reading`: the
name check (:mod:`.names`) takes them as found, and judges only the others. It still grants a translator the two
licences the name check grants a name beyond doubt: the partner named in a sentence next door (moved there, not
dropped), and a "he" or "она" that stands for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..mentions.glossary import GlossaryIndex, Listed
from ..types import NAMES, Bead, Divergence, Kind, Sentence, Span
from .reading import NameReading, around
from .severity import severity


@dataclass(frozen=True)
class Listing:
    """The glossary's names in one bead, on each side, and the pairs named in the sentences around it."""

    en: tuple[Listed, ...]
    ru: tuple[Listed, ...]
    en_nearby: frozenset[int]  # glossary entries named in the English sentences just around the bead
    ru_nearby: frozenset[int]


def listing(bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], glossary: GlossaryIndex) -> Listing:
    def found(sentences: Sequence[Sentence]) -> tuple[Listed, ...]:
        return tuple(n for s in sentences for n in glossary.find(s.text, s.start))

    def entries(sentences: Sequence[Sentence]) -> frozenset[int]:
        return frozenset(n.entry for n in found(sentences))

    return Listing(
        found([en[i] for i in bead.en]), found([ru[j] for j in bead.ru]),
        entries(around(bead.en, en)), entries(around(bead.ru, ru)),
    )


def ruled(reading: NameReading, listing: Listing) -> NameReading:
    """The reading with every name inside a listed name taken as found: the glossary judges those."""
    def side(names, listed: tuple[Listed, ...]):
        return tuple(replace(n, found=True) if _inside(n.mention.span, listed) else n for n in names)

    return replace(reading, en=side(reading.en, listing.en), ru=side(reading.ru, listing.ru))


def _inside(span: Span, listed: tuple[Listed, ...]) -> bool:
    return any(n.span[0] <= span[0] and span[1] <= n.span[1] for n in listed)


def listed(listing: Listing, glossary: GlossaryIndex, reading: NameReading) -> Divergence | None:
    """A name the glossary lists on one side of the bead whose partner the other side lacks; on both sides, when
    each lacks the other's."""
    if not reading.real:
        return None
    en_pairs, ru_pairs = {n.entry for n in listing.en}, {n.entry for n in listing.ru}
    # More "он" in the Russian than "he" in the English: the Russian may say "он" for a name the English gives.
    en_missing = [
        n for n in listing.en
        if n.entry not in ru_pairs | listing.ru_nearby and not reading.ru_pronouns > reading.en_pronouns
    ]
    ru_missing = [
        n for n in listing.ru
        if n.entry not in en_pairs | listing.en_nearby and not reading.en_pronouns > reading.ru_pronouns
    ]
    if not en_missing and not ru_missing:
        return None
    if en_missing and ru_missing:
        head = f"Name differs: {_names(en_missing)} in English, {_names(ru_missing)} in Russian"
    else:
        head = f"Name only in {NAMES['en' if en_missing else 'ru']}: {_names(en_missing or ru_missing)}"
    pairs = [glossary.pairs[e] for e in dict.fromkeys(n.entry for n in en_missing + ru_missing)]
    return Divergence(
        kind=Kind.NAME,
        severity=severity(Kind.NAME, 1.0 if en_missing and ru_missing else 0.0),
        reason=f"{head} (the glossary pairs {', '.join(f'{p.en[0]} with {p.ru[0]}' for p in pairs)})",
        en_spans=tuple(n.span for n in en_missing),
        ru_spans=tuple(n.span for n in ru_missing),
    )


def _names(found: Sequence[Listed]) -> str:
    return ", ".join(dict.fromkeys(n.text for n in found))
