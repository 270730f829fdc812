"""Names no transliteration can match: exonyms, translations, Russian adjectives and acronyms ("Germany",
"немецкий"; "the Kremlin", "Кремль"; "FBI", "ФБР"), each under one key for both languages (lexicon/exonyms.tsv)."""

from __future__ import annotations

import functools
import re

from .. import lexicon
from .capitals import shouting_sentence
from .mention import CACHED_TEXTS
from .script import word_key_variants

# (key, English pattern, Russian pattern)
EXONYMS = tuple((key, en, ru) for key, en, ru in lexicon.table("exonyms"))
_COMPASS = ("=north", "=south", "=east", "=west")


def _exonym_pattern(lang: str) -> re.Pattern:
    # A Russian text may quote the English form too: "Digital Awareness UK".
    alternatives = "|".join(
        f"(?P<g{i}>{ru}|{en})" if lang == "ru" else f"(?P<g{i}>{en})" for i, (_, en, ru) in enumerate(EXONYMS)
    )
    return re.compile(rf"(?<![\w.])(?=[A-ZА-ЯЁа-яё])(?:{alternatives})(?!\w)")


_EXONYM_PATTERNS = {"en": _exonym_pattern("en"), "ru": _exonym_pattern("ru")}


@functools.lru_cache(maxsize=CACHED_TEXTS)
def exonyms(text: str, lang: str) -> tuple[str, tuple[tuple[int, int, tuple[str, ...]], ...]]:
    """The text with exonyms blanked out, and the exonyms as (start, end, keys).

    Remembered: a sentence's names and its words are both read off the masked text, and the pattern, one
    alternative per exonym, is slow."""
    pattern = _EXONYM_PATTERNS["ru" if lang == "ru" else "en"]
    found, pieces, last = [], [], 0
    for match in pattern.finditer(text):
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
