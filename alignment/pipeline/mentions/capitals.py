"""Whether a capital letter marks a name, or only where the word stands: opening a sentence or a quotation,
in a headline in Title Case, or in a word shouted in capitals."""

from __future__ import annotations

import re

from .. import lexicon
from .vocabulary import common_word
from .words import WORD

_OPENERS = "«“„\"'‘(:—–-"  # after these, a capital letter may just start a quotation
_QUOTES = "«“„\"'‘"
# Up to three words and then the closing quote, with no sentence inside. Only a space parts two words: a hyphen
# is a letter of the word ("Jean-Pierre" is one), where "[\s-]" made a long hyphenated word split three ways in
# every possible place (cubic: a 1,600-character "Bob-b-b-b..." took seconds, inside a correction's request).
_SHORT_QUOTE = re.compile(r"[^\W\d_][^\s»”“\"'’.!?,:;]*(?:\s[^\W_][^\s»”“\"'’.!?,:;]*){0,2}[»”“\"'’]")
_TITLE_ABBREVIATION = re.compile(r"(?<![^\W\d_])(?:" + "|".join(lexicon.entries("title_abbreviations")) + r")\.$")


def capital_by_position(text: str, start: int, lang: str) -> bool:
    """Whether a capital at ``start`` in ``text`` comes from where the word stands, not from its being a name:
    it opens the sentence or a quotation, or the sentence is an English headline in Title Case."""
    if opens(text, start) or (str(lang) != "ru" and is_title_case(text)):
        return True
    word = WORD.match(text, start)
    return bool(word and word.group().isupper() and len(word.group()) >= 4 and shouting_sentence(text))


def shouting_sentence(text: str) -> bool:
    """Some words are in capitals for emphasis (a headline's "NIGEL FARAGE", "MOB"), not as acronyms."""
    return sum(len(w) >= 4 and w.isupper() for w in WORD.findall(text)) >= 2


def is_title_case(text: str) -> bool:
    """A headline in Title Case, where capitals say nothing about names."""
    words = [w for w in WORD.findall(text) if len(w) >= 4]
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.7 * len(words):
        return False
    # A list of names is capitalised too ("Dick Advocaat, David Moyes, Sam Allardyce"): a headline capitalises
    # its common words as well, where a sentence leaves them in lowercase ("include", "manager").
    common = [w for w in words if common_word(w)]
    return len(common) < 3 or sum(w[0].isupper() for w in common) >= 0.7 * len(common)


def opens(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the sentence or a quotation, where any word is capitalised."""
    before = text[:start].rstrip()
    if before and before[-1] in "-–" and len(before) == start:
        return False  # the second half of "Нью-Йорк"
    if before[-1:] in "\"'" and before[-2:-1] not in ("", *_OPENERS, *".!?…") and not before[-2].isspace():
        return False  # a straight quote closing a quotation: the name after '...," Zaev said' opens nothing
    if _TITLE_ABBREVIATION.search(before):
        return False  # "Mr. Merriweather", "Св. Мартина": the full stop ends a title, not a sentence
    if before and before[-1] in _QUOTES and _SHORT_QUOTE.match(text, start):
        # «Торнадо», "Hans": a short quotation of a name, not a quoted sentence; but «Сегодня» may be a title.
        return common_word(WORD.match(text, start).group())
    return not any(c.isalnum() for c in before) or before[-1] in _OPENERS or before[-1] in ".!?…"
