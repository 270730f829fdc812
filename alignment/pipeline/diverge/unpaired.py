"""Sentences one side has and the other lacks: outlet furniture, or content only in one language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..types import NAMES, Divergence, Kind, Sentence
from .report import spans
from .severity import severity

_FULL_PASSAGE = 200  # characters: content only on one side this long is as serious as it gets


def unpaired(side: str, sentences: Sequence[Sentence], furniture: Mapping[int, str]) -> Divergence:
    """The one divergence of a bead with sentences on one side only: furniture (``furniture`` says which
    sentences are, and what kind), or content only that side has. A bead is one or the other, by the most
    of its text, so a reader has one thing to judge."""
    where = "en_spans" if side == "en" else "ru_spans"
    labels = [furniture.get(s.index) for s in sentences]
    furniture_chars = sum(len(s.text) for s, label in zip(sentences, labels) if label)
    chars = sum(len(s.text) for s in sentences)
    if furniture_chars * 2 >= chars and any(labels):
        return Divergence(
            kind=Kind.BOILERPLATE,
            severity=severity(Kind.BOILERPLATE),
            reason=f"Boilerplate on the {NAMES[side]} side only: {next(label for label in labels if label)}",
            **{where: spans(sentences)},
        )
    kind = Kind.ONLY_EN if side == "en" else Kind.ONLY_RU
    return Divergence(
        kind=kind,
        severity=severity(kind, chars / _FULL_PASSAGE),
        reason=f"Only in {NAMES[side]}",
        **{where: spans(sentences)},
    )
