"""The words of a sentence that the machine translation of its counterpart leaves out, compared in one language.

A divergence is easier to read when the words to look at are marked. With translations, both are in one
language: the English sentence against the English translation of its Russian counterpart (or the other way
round), so the comparison is between words, not embeddings. Numbers and names are compared through their
keys (:mod:`mentions`: "1.5 million" is "1,500,000", "Peskov's" is "Peskov"); other words by stem, a shared
prefix long enough for the shorter word's ending alone to differ ("переговоры", "переговорах"; "talks",
"talk"). Function words are never marked.
"""

from __future__ import annotations

import re

from . import lexicon, mentions
from .types import Sentence, Span

# A word: letters, with inner hyphens and apostrophes ("so-called", "O'Brien"); digits are numbers' business.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
MIN_WORD = 3  # shorter words are function words or abbreviations; names among them come as name mentions
MIN_STEM = 3
MAX_STEM = 6  # a shared prefix this long is the same stem, whatever the endings
ENDING = 2  # letters an ending may change: "Кремль", "Кремля"; "rose", "rising" stay apart

_STOP_WORDS = {lang: lexicon.words(f"{lang}_stop_words") for lang in ("en", "ru")}


def unmatched_spans(sentence: Sentence, lang: str, counterpart_translation: str) -> tuple[Span, ...]:
    """The spans of ``sentence``'s content words, numbers and names that ``counterpart_translation`` lacks.

    ``lang`` is the sentence's language, and the translation is in that language too (the translation of the
    sentence's counterpart on the other side). Spans are in the side's original text (offset by
    ``sentence.start``), sorted. A blank translation tells nothing, so nothing is marked.
    """
    lang = str(lang)
    if not counterpart_translation.strip():
        return ()
    spans: list[Span] = []
    taken: list[Span] = []  # relative spans already judged as a number or a name

    numbers = mentions.number_keys(counterpart_translation, lang)
    for mention in mentions.number_mentions(sentence, lang):
        found = mentions.number_matches(mention, numbers)
        if mention.tentative and not found:
            continue  # "two" may still be found as a word below
        taken.append(_relative(mention.span, sentence))
        if not found:
            spans.append(mention.span)

    names = mentions.word_keys(counterpart_translation, lang)
    for mention in mentions.name_mentions(sentence, lang):
        span = _relative(mention.span, sentence)
        if _overlaps(span, taken):
            continue
        taken.append(span)
        if not any(k in names for k in mention.keys):
            spans.append(mention.span)

    stems = _stem_index(counterpart_translation, lang)
    stop = _STOP_WORDS.get(lang, frozenset())
    for match in _WORD.finditer(sentence.text):
        word = _normal(match.group())
        if len(word) < MIN_WORD or word in stop or _overlaps(match.span(), taken):
            continue
        if not any(_same_stem(word, other) for other in stems.get(word[:MIN_STEM], ())):
            spans.append((sentence.start + match.start(), sentence.start + match.end()))
    return tuple(sorted(set(spans)))


def _normal(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


def _stem_index(text: str, lang: str) -> dict[str, list[str]]:
    """The words of ``text`` by their first letters, for looking stems up."""
    index: dict[str, list[str]] = {}
    for match in _WORD.finditer(text):
        word = _normal(match.group())
        index.setdefault(word[:MIN_STEM], []).append(word)
    return index


def _same_stem(a: str, b: str) -> bool:
    """Whether two lowercase words share a stem: a common prefix that leaves only endings to differ."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b):
        if x != y:
            break
        shared += 1
    return shared >= MIN_STEM and shared >= min(MAX_STEM, min(len(a), len(b)) - ENDING)


def _relative(span: Span, sentence: Sentence) -> Span:
    return span[0] - sentence.start, span[1] - sentence.start


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)
