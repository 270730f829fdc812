"""The pure side of a collection's report: the words a divergence points at, read from its pair's sentences and
brought to one form; the periods of a time line; the bins of story coverage. No queries here: report.py feeds
these with rows it has already read."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# Dates within this many days of one another are laid out day by day, within this many months month by month;
# anything longer, year by year.
DAYS_SPAN = 31
MONTHS_SPAN = 36
COVERAGE_BINS = 10


@dataclass(frozen=True)
class Piece:
    """A sentence of a pair, as the report reads it: where it starts in its document, and its text."""

    language: str
    start: int
    text: str


def words(pieces: Sequence[Piece], language: str, spans: Iterable[Sequence[int]]) -> list[str]:
    """The words each span marks, as they read in the text: the story's report slices the document the same way
    (alignment.exports), here the slice comes from the pair's own sentences, so that no whole text is read. A
    span that lies in none of them (a bad span, or one across two sentences) gives nothing."""
    found = []
    for span in spans:
        if len(span) != 2:
            continue
        start, end = span
        for piece in pieces:
            if piece.language == language and piece.start <= start < end <= piece.start + len(piece.text):
                found.append(piece.text[start - piece.start:end - piece.start])
                break
    return found


@lru_cache(maxsize=4096)  # a collection names the same people and numbers again and again
def normal(text: str) -> str:
    """One form for the same name or number wherever it is written: case folded, punctuation dropped except
    between digits (1,5 and 10:30 keep theirs; "U.S." and «Газпром» lose it), spaces made single."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = [
        c for i, c in enumerate(text)
        if not unicodedata.category(c).startswith("P")
        or (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())
    ]
    return " ".join("".join(kept).split())


def usual_form(forms: Counter) -> str:
    """The spelling seen most often, the first in alphabetical order among equals: the same on every run."""
    return min(forms, key=lambda form: (-forms[form], form))


# ---------------------------------------------------------------------------------------------------- Time line


@dataclass(frozen=True)
class Period:
    start: date
    label: str  # "3 Mar 2025", "Mar 2025" or "2025"
    key: str  # ISO: "2025-03-03", "2025-03" or "2025"
    stories: int
    divergences: int

    @property
    def per_story(self) -> float:
        return self.divergences / self.stories if self.stories else 0.0


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def unit_for(first: date, last: date) -> str:
    """"day", "month" or "year": the finest unit that keeps the time line short enough to read."""
    if (last - first).days <= DAYS_SPAN:
        return "day"
    if (last.year - first.year) * 12 + last.month - first.month < MONTHS_SPAN:
        return "month"
    return "year"


def period_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    return date(day.year, day.month, 1) if unit == "month" else date(day.year, 1, 1)


def _next(start: date, unit: str) -> date:
    if unit == "day":
        return date.fromordinal(start.toordinal() + 1)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def _label(start: date, unit: str) -> tuple[str, str]:
    if unit == "day":
        return f"{start.day} {MONTHS[start.month - 1]} {start.year}", start.isoformat()
    if unit == "month":
        return f"{MONTHS[start.month - 1]} {start.year}", f"{start.year:04d}-{start.month:02d}"
    return str(start.year), f"{start.year:04d}"


def timeline(dated: Sequence[tuple[date, int]]) -> tuple[str, tuple[Period, ...]]:
    """The unit and the periods from the first date to the last, empty ones included (a gap shows as a gap),
    each with its number of stories and their divergences. ``dated`` holds (publication date, divergences)
    for each story that has a date."""
    if not dated:
        return "", ()
    unit = unit_for(min(d for d, _ in dated), max(d for d, _ in dated))
    stories, divergences = Counter(), Counter()
    for day, count in dated:
        start = period_start(day, unit)
        stories[start] += 1
        divergences[start] += count
    periods, start, last = [], min(stories), max(stories)
    while start <= last:
        label, key = _label(start, unit)
        periods.append(Period(start, label, key, stories[start], divergences[start]))
        start = _next(start, unit)
    return unit, tuple(periods)


# ---------------------------------------------------------------------------------------------------- Coverage


@dataclass(frozen=True)
class CoverageBin:
    low: float  # share of the side's text that has a counterpart, from (inclusive) ...
    high: float  # ... to (exclusive, but the last bin holds 1.0)
    en: int  # stories whose English side falls here
    ru: int

    @property
    def label(self) -> str:
        return f"{round(self.low * 100)}–{round(self.high * 100)}%"


def coverage_bins(coverages: Iterable[tuple[float | None, float | None]]) -> tuple[CoverageBin, ...]:
    """How many stories cover each tenth of their English and of their Russian text with a counterpart. A
    side whose coverage is unknown (no statistics kept) is left out."""
    en, ru = Counter(), Counter()
    for en_coverage, ru_coverage in coverages:
        for counts, value in ((en, en_coverage), (ru, ru_coverage)):
            if value is not None:
                # Rounded first, so that 0.7 is in 70–80% although 0.7 * 10 is a hair under or over 7.
                counts[min(COVERAGE_BINS - 1, max(0, int(round(value * COVERAGE_BINS, 6))))] += 1
    return tuple(
        CoverageBin(i / COVERAGE_BINS, (i + 1) / COVERAGE_BINS, en[i], ru[i]) for i in range(COVERAGE_BINS)
    )
