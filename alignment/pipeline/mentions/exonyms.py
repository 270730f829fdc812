"""Names no transliteration can match: exonyms, translations, Russian adjectives and acronyms ("Germany",
"немецкий"; "the Kremlin", "Кремль"; "FBI", "ФБР"), each under one key for both languages (lexicon/exonyms.tsv)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from re import _parser as re_parser  # the standard library's own reading of a pattern
from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, RANGE, SUBPATTERN

from .. import lexicon
from .capitals import shouting_sentence
from .mention import CACHED_TEXTS
from .script import word_key_variants

# (key, English pattern, Russian pattern)
EXONYMS = tuple((key, en, ru) for key, en, ru in lexicon.table("exonyms"))
_COMPASS = ("=north", "=south", "=east", "=west")


_START = "(?<![\\w.])(?=[A-ZА-ЯЁа-яё])"  # where an exonym may begin: a capital, or a lowercase Russian letter
_STARTS = re.compile(_START)
_FIRST = re.compile("[A-ZА-ЯЁа-яё]")


def _patterns_by_letter(lang: str) -> dict[str, re.Pattern]:
    """The pattern of the exonyms, one for each letter a match may begin with: it keeps, in the table's order,
    only the exonyms that can begin with that letter, so that it matches where the pattern of them all does
    and picks the same exonym. That one tried each of the table's hundred-odd alternatives (the Russian ones
    case-insensitive) at every word of a sentence."""
    alternatives = []
    for i, (_, en, ru) in enumerate(EXONYMS):
        body = f"{ru}|{en}" if lang == "ru" else en  # a Russian text may quote the English form too
        alternatives.append((f"(?P<g{i}>{body})", _first_letters(re_parser.parse(body))))
    patterns = {}
    for letter in filter(_FIRST.fullmatch, map(chr, range(ord("ё") + 1))):
        kept = [pattern for pattern, first in alternatives if first is None or letter in first]
        if kept:
            patterns[letter] = re.compile(rf"{_START}(?:{'|'.join(kept)})(?!\w)")
    return patterns


def _first_letters(parsed, ignore_case: bool = False) -> frozenset[str] | None:
    """The letters a match of a parsed pattern can begin with; None where that is not plain from its first
    element (the exonym is then tried at every letter)."""
    items = list(parsed)
    ignore_case = ignore_case or bool(getattr(parsed, "state", None) and parsed.state.flags & re.IGNORECASE)
    if not items:
        return None
    op, av = items[0]
    if op is LITERAL:
        letters = {chr(av)}
    elif op is IN and all(o in (LITERAL, RANGE) for o, _ in av):
        letters = {chr(c) for o, v in av for c in ((v,) if o is LITERAL else range(v[0], v[1] + 1))}
    elif op is SUBPATTERN:
        _, add, remove, inner = av
        return _first_letters(inner, (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
    elif op is BRANCH:
        branches = [_first_letters(b, ignore_case) for b in av[1]]
        return None if None in branches else frozenset().union(*branches)
    elif op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
        return _first_letters(av[2], ignore_case)
    else:
        return None
    return frozenset(c for letter in letters for c in ((letter.lower(), letter.upper()) if ignore_case else (letter,)))


_EXONYM_PATTERNS = {lang: _patterns_by_letter(lang) for lang in ("en", "ru")}


@functools.lru_cache(maxsize=CACHED_TEXTS)
def exonyms(text: str, lang: str) -> tuple[str, tuple[tuple[int, int, tuple[str, ...]], ...]]:
    """The text with exonyms blanked out, and the exonyms as (start, end, keys).

    Remembered: a sentence's names and its words are both read off the masked text, and the pattern, one
    alternative per exonym, is slow."""
    patterns = _EXONYM_PATTERNS["ru" if lang == "ru" else "en"]
    found, pieces, last = [], [], 0
    for match in _matches(text, patterns):
        surface = match.group()
        if surface == "US" and shouting_sentence(text):
            continue
        key = EXONYMS[int(match.lastgroup[1:])][0]
        variants = (key, *word_key_variants(surface)) if " " not in surface else (key,)
        if key in _COMPASS:  # "Southwest" is "юго-запад", both south and west
            variants += tuple(k for k in _COMPASS if k != key and k[1:] in surface.lower())
        found.append((match.start(), match.end(), tuple(dict.fromkeys(variants))))
        pieces += [text[last : match.start()], " " * len(surface)]
        last = match.end()
    return "".join(pieces) + text[last:], tuple(found)


def _matches(text: str, patterns: Mapping[str, re.Pattern]):
    """What the whole pattern's finditer finds: at each place an exonym may begin, past the last match, the
    pattern of the letter there."""
    last = 0
    for start in _STARTS.finditer(text):
        at = start.start()
        pattern = patterns.get(text[at])
        if at >= last and pattern and (match := pattern.match(text, at)):
            last = match.end()
            yield match
