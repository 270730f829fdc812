"""Furniture a collection of stories learns: a line that recurs across enough of an outlet's stories (a newsletter
box, a donation appeal, a "Read more" heading) is that outlet's furniture, whatever it says.

Lines are known by :func:`furniture_key`. The rule (:func:`recurring_lines`): count, for each key, the stories that
hold it, and keep the keys held by at least :func:`threshold` of them. The web app counts in SQL over the stored
keys (alignment.corpus.furniture); this is the same rule over lines in memory, for the benchmarks and the tests.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

Line = tuple[str, str]  # (language, text)
Key = tuple[str, str]  # (language, furniture_key(text))

_KEY_SPACE = re.compile(r"\s+")
_KEY_PUNCTUATION = re.compile(r"[^\w\s]+")


def furniture_key(text: str) -> str:
    """A sentence as a collection's furniture is known by: case, spacing and punctuation made alike, so that
    the same newsletter box in every story of an outlet has one key however it was typed.

    Stored with every sentence (alignment.models.Sentence.key): a change here needs a migration that computes
    them again."""
    folded = _KEY_PUNCTUATION.sub(" ", text.casefold())
    return hashlib.sha256(_KEY_SPACE.sub(" ", folded).strip().encode("utf-8")).hexdigest()


def threshold(stories: int, min_stories: int, min_share: float) -> int:
    """In how many of ``stories`` a line must occur to be furniture: at least ``min_stories``, and at least
    ``min_share`` of them (rounded up)."""
    share = min_share * stories
    return max(min_stories, int(share) + (share > int(share)))


@dataclass(frozen=True)
class Recurring:
    text: str  # the line where it first occurs
    stories: int  # how many stories hold it


def recurring_lines(stories: Iterable[Iterable[Line]], min_stories: int, min_share: float) -> dict[Key, Recurring]:
    """The lines that recur across enough of ``stories`` (each story's sentences as (language, text), in order),
    by key. A story without a sentence counts for nothing, as one not yet processed."""
    seen: dict[Key, int] = {}
    first: dict[Key, str] = {}
    counted = 0
    for lines in stories:
        keys: set[Key] = set()
        for language, text in lines:
            key = (language, furniture_key(text))
            keys.add(key)
            first.setdefault(key, text)
        counted += bool(keys)
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
    needed = threshold(counted, min_stories, min_share)
    return {key: Recurring(first[key], count) for key, count in seen.items() if count >= needed}
