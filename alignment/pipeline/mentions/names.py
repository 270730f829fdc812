"""Names in a sentence as keys that compare across the scripts: "Пескову" and "Peskov" are both ``psk``,
"Germany" and "немецкий" both ``=germany``, "FBI" the acronym ``#FBI``."""

from __future__ import annotations

import functools
import re

from .. import lexicon
from ..types import Sentence
from .capitals import is_title_case, opens, shouting_sentence
from .exonyms import exonyms
from .mention import CACHED_TEXTS, Mention, shifted
from .numbers import EN_NUMBER_WORDS, RU_NUMBER_WORDS
from .script import CYRILLIC_TO_LATIN, word_key_variants
from .words import FUNCTION_WORDS, NOT_NAMES, WORD, common_opener, generic_word

_ACRONYM = re.compile(r"[^\W\d_a-zа-яё]{2,5}s?")
_COMMON_ACRONYMS = lexicon.words("common_acronyms")
# Common English words that stand for a name Russian writes out: "she tweeted" is "написала в Твиттере".
_EN_NAMING_WORDS = ((re.compile(r"\btweet", re.I), "=twitter"),)
# Between two words of one name: a space, a hyphen, a plural possessive ("Magistrates' Court"); and small
# words that link two capitalised ones ("Institute for Policy Research", "Canal de Saint-Quentin").
_RUN_GAP = re.compile(r"\s*[-–]\s*|\s+|s?['’]\s+")
_RUN_LINKS = lexicon.words("run_links")
_NOT_IN_RUNS = FUNCTION_WORDS | _RUN_LINKS  # "The" opening a sentence is no part of a name


def name_mentions(sentence: Sentence, lang: str) -> tuple[Mention, ...]:
    return _names_at(sentence.text, str(lang), sentence.start)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _names_at(text: str, lang: str, offset: int) -> tuple[Mention, ...]:
    return shifted(_name_mentions(text, lang), offset)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def name_keys(text: str, lang: str) -> frozenset[str]:
    return frozenset(k for m in _name_mentions(text, str(lang)) for k in m.keys)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def word_keys(text: str, lang: str) -> frozenset[str]:
    """The keys under which ``text`` could mention a name from the other side.

    A superset of :func:`name_keys`: it adds every other word, because Russian writes "демократы",
    "курдские" and "комитет" where English writes Democrats, Kurdish and Committee. Only skeletons of
    three letters or more count for those, so that "Tom" is not found in "там".
    """
    keys = set(name_keys(text, lang))
    masked, _ = exonyms(text, str(lang))
    for word in WORD.findall(masked):
        keys.update(_word_keys_of(word))
    if str(lang) != "ru":
        keys.update(key for pattern, key in _EN_NAMING_WORDS if pattern.search(masked))
    return frozenset(keys)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _word_keys_of(word: str) -> tuple[str, ...]:
    """One word's part of :func:`word_keys`, remembered: a long story repeats its words many times over."""
    # A capitalised word may be a short name ("City" for "Сити"); a common word needs three letters.
    shortest = 2 if word[0].isupper() else 3
    return tuple(k for k in word_key_variants(word) if len(k) >= shortest)


def capitalised_run(text: str, start: int) -> tuple[str, ...]:
    """The capitalised words around the word at ``start``, itself included, through hyphens, possessives and
    small linking words: "Senate Judiciary Committee", "Federation of German Industries"."""
    words = [w for w in WORD.finditer(text) if w.group()[0].isupper() or w.group() in _RUN_LINKS]
    here = next((k for k, w in enumerate(words) if w.start() <= start < w.end()), None)
    if here is None:
        return ()
    first = last = here
    while first > 0 and _RUN_GAP.fullmatch(text, words[first - 1].end(), words[first].start()):
        first -= 1
    while last + 1 < len(words) and _RUN_GAP.fullmatch(text, words[last].end(), words[last + 1].start()):
        last += 1
    return tuple(w.group() for w in words[first : last + 1] if w.group().lower() not in _NOT_IN_RUNS)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _name_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    masked, exonyms_found = exonyms(text, lang)
    found = list(exonyms_found)
    shouting = shouting_sentence(masked)
    title_case = lang != "ru" and is_title_case(masked)
    for match in WORD.finditer(masked):
        word = match.group()
        if len(word) < 2 or not word[0].isupper() or _never_a_name(word):
            continue
        shouted = word.isupper() and (shouting or len(word) > 5)
        if _ACRONYM.fullmatch(word) and not shouted:
            if word.rstrip("s") not in _COMMON_ACRONYMS:
                key = "#" + word.rstrip("s").translate(CYRILLIC_TO_LATIN).upper()
                found.append((match.start(), match.end(), (key,)))
            continue
        if (title_case or shouted or opens(masked, match.start())) and common_opener(word):
            continue
        found.append((match.start(), match.end(), word_key_variants(word)))
    return tuple(Mention(key=keys[0], span=(s, e), text=text[s:e], aliases=keys[1:]) for s, e, keys in sorted(found))


def _never_a_name(word: str) -> bool:
    """Titles, the calendar, number words, function words and the generic words of institutions' names."""
    lower = word.lower()
    if lower in NOT_NAMES or lower in FUNCTION_WORDS or lower in EN_NUMBER_WORDS or lower in RU_NUMBER_WORDS:
        return True
    return generic_word(word)
