"""Where a moved passage went: the link from a row flagged `moved` to the row of its counterpart, for the table
and the similarity map alike. A divergence names its counterpart by sentence indices (they outlive corrections);
the link finds the pair that holds them now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from alignment.models import Language
from alignment.results import StoredDivergence, StoredPair

SentenceKey = tuple[str, int]  # (language, sentence index)


@dataclass(frozen=True)
class CounterpartLink:
    number: int  # the 1-based number of the pair holding the counterpart's first sentence: its row is pair-N
    language: str  # the counterpart's side
    sentences: tuple[int, ...]  # its sentence indices there

    @property
    def text(self) -> str:
        first, last = self.sentences[0] + 1, self.sentences[-1] + 1
        where = f"sentence {first}" if first == last else f"sentences {first}–{last}"
        return f"{Language(self.language).label} {where}, pair {self.number}"


def pair_numbers(pairs: Iterable[StoredPair]) -> dict[SentenceKey, int]:
    """(language, sentence index) -> the number of the pair that holds it."""
    return {(s.language, s.index): pair.number for pair in pairs for s in (*pair.en, *pair.ru)}


def counterpart_link(divergence: StoredDivergence, numbers: Mapping[SentenceKey, int]) -> CounterpartLink | None:
    """The link to the divergence's counterpart, or None for a divergence without one (or one no pair holds)."""
    for language, sentences in ((Language.EN, divergence.en_counterpart), (Language.RU, divergence.ru_counterpart)):
        if sentences and (language, sentences[0]) in numbers:
            return CounterpartLink(numbers[language, sentences[0]], language, tuple(sentences))
    return None
