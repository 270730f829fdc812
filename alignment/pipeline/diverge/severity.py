"""How serious each kind of divergence is: one scale per kind, and every severity read off it.

A judgement measures how strong its case is, from 0 to 1; the kind's scale turns that into a severity. The
scales rank the kinds against each other: a whole passage missing matters more than a longer sentence, and
furniture missing matters hardly at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Kind


@dataclass(frozen=True)
class Scale:
    low: float  # the severity of the weakest case
    high: float  # and of the strongest

    def at(self, strength: float) -> float:
        """The severity of a case of ``strength`` (clipped to 0..1), to three decimals."""
        return round(self.low + (self.high - self.low) * min(1.0, max(0.0, strength)), 3)


SEVERITY = {
    Kind.ONLY_EN: Scale(0.5, 1.0),  # strength: the length of the content only one side has
    Kind.ONLY_RU: Scale(0.5, 1.0),
    Kind.BOILERPLATE: Scale(0.1, 0.1),  # furniture: worth a glance, never a worry
    Kind.NUMBER: Scale(0.4, 1.0),  # strength: how far apart the two numbers are
    Kind.NAME: Scale(0.5, 0.7),  # strength: 0 for a name missing or a first name changed, 1 for another person
    Kind.MEANING: Scale(0.6, 1.0),  # strength: how far the similarity falls below the story's bar
    Kind.PARTIAL: Scale(0.3, 1.0),  # strength: how much longer one side is than the document's ratio allows
    # Nothing is missing, only told in another order: less than a cut, more than furniture. Strength: its length.
    Kind.MOVED: Scale(0.3, 0.5),
}


def severity(kind: Kind, strength: float = 0.0) -> float:
    return SEVERITY[kind].at(strength)
