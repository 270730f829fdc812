"""A number or a name as found in a sentence: its key, which compares across the languages, and its span."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..types import Span

# The aligner and the divergence detector ask about the same sentences several times over.
CACHED_TEXTS = 65_536  # two sides of a 10,000-sentence story fit: the detector asks about each text many times


@dataclass(frozen=True)
class Mention:
    key: str  # canonical, language-independent: equal keys mean "the same number/name"
    span: Span  # absolute offsets in the original document text
    text: str  # the surface text
    aliases: tuple[str, ...] = ()  # other keys the same mention may stand for
    # Numbers only. Tentative: written in words ("two", "трёх") or part of a name ("Radio 4"), so it can
    # confirm a number on the other side but its absence there proves nothing.
    tentative: bool = False
    unit: str = ""  # "imperial" or "metric" when a unit of measurement follows: a translator may convert it

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


def shifted(mentions: tuple[Mention, ...], offset: int) -> tuple[Mention, ...]:
    """Mentions found in a sentence's text, with spans in the document's text."""
    return tuple(replace(m, span=(m.span[0] + offset, m.span[1] + offset)) for m in mentions)
