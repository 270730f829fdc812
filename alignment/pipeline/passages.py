"""Passages: runs of consecutive unpaired sentences on one side, read as one thing.

A cut paragraph or a donation appeal comes out of the aligner as several null beads in a row (1-0 or 0-1), one
per sentence or so. A reader sees one passage, gives it one verdict and counts it once, so the JSON contract
and the story page name those runs. Pure: it reads only the beads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from itertools import groupby
from typing import Protocol

from alignment.pipeline.kinds import Kind, Lang

# The kinds a null bead carries: what it is, rather than how its words differ.
ONE_SIDED = (Kind.ONLY_EN, Kind.ONLY_RU, Kind.BOILERPLATE, Kind.MOVED)


class _HasKind(Protocol):
    kind: str


class BeadLike(Protocol):
    """What ``passages`` reads of a bead: a pipeline Bead, or a stored pair with its sentences and divergences."""

    en: Sized
    ru: Sized
    divergences: Iterable[_HasKind]


@dataclass(frozen=True)
class Passage:
    side: str  # "en" or "ru": the side that has the sentences
    kind: Kind | None  # the one-sided kind its beads carry (None if they carry none)
    beads: tuple[int, ...]  # indices into the beads, consecutive
    sentences: int  # of all its beads together

    def to_dict(self) -> dict:
        """Its part of the JSON contract: ``pairs`` are indices into the contract's ``"pairs"``."""
        return {
            "side": self.side,
            "kind": self.kind.value if self.kind else None,
            "pairs": list(self.beads),
            "sentences": self.sentences,
        }


def one_sided_kind(bead: BeadLike) -> Kind | None:
    """The first of only_en, only_ru, boilerplate and moved among the bead's divergences, in their order."""
    return next((Kind(d.kind) for d in bead.divergences if d.kind in ONE_SIDED), None)


def passages(beads: Sequence[BeadLike]) -> tuple[Passage, ...]:
    """Every null bead in exactly one passage: a maximal run of consecutive null beads on the same side whose
    one-sided kind is the same. A lone null bead is a passage of one."""

    def key(k: int) -> tuple[str, Kind | None] | None:
        bead = beads[k]
        if bool(len(bead.en)) == bool(len(bead.ru)):
            return None  # paired (or, which the pipeline never makes, empty)
        return (Lang.EN.value if len(bead.en) else Lang.RU.value), one_sided_kind(bead)

    found = []
    for run_key, run in groupby(range(len(beads)), key):
        if run_key is not None:
            members = tuple(run)
            side, kind = run_key
            found.append(Passage(side, kind, members, sum(len(beads[k].en) + len(beads[k].ru) for k in members)))
    return tuple(found)
