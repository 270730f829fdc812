"""What a regular expression's matches must hold, read off the pattern by the standard library's own parser:
a cheap test with ``in`` then passes over text the pattern cannot match, without a scan by the pattern."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from re import _parser as re_parser
from re._constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, RANGE, SUBPATTERN


def needles(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` holds, as the pattern writes them: the literal text
    each of its alternatives begins with. None where some alternative begins otherwise (a lookbehind, a
    class of characters such as ``\\w``, something optional)."""
    return _needles(re_parser.parse(pattern, flags))


def _needles(parsed) -> tuple[str, ...] | None:
    items = [item for item in parsed if item[0] is not AT]  # "^" and "\b" take no text
    if not items:
        return None
    op, av = items[0]
    if op is LITERAL:
        return ("".join(chr(v) for _, v in itertools.takewhile(lambda item: item[0] is LITERAL, items)),)
    if op is IN and all(o in (LITERAL, RANGE) for o, _ in av):
        return tuple(chr(c) for o, v in av for c in ((v,) if o is LITERAL else range(v[0], v[1] + 1)))
    if op is SUBPATTERN:
        return _needles(av[3])
    if op is BRANCH:
        each = [_needles(branch) for branch in av[1]]
        return None if None in each else tuple(n for found in each for n in found)
    if op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
        return _needles(av[2])
    return None


def by_first_letter(alternatives: Sequence[str]) -> str:
    """``"|".join(alternatives)`` with the alternatives that begin with the same letter grouped under it
    ("s(?:aid|ays)"): the same matches, found sooner, as at a place where none of a long list of words begins the
    engine tries one letter per group, not every word. Each alternative must begin with a letter or a digit."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        if not alternative[:1].isalnum():
            raise ValueError(f"{alternative!r} does not begin with a letter or a digit")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(first + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())
