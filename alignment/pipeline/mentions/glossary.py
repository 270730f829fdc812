"""Where a glossary's names occur in a text. Each word of a spelling is matched by its forms: a Russian word's
dictionary forms (:mod:`.morphology`), so that "Путина" and "Путину" are "Путин" and "Марии Захаровой" is "Мария
Захарова"; any other word as it is, case aside ("Putin's" is Putin). A capitalised word of a spelling matches only
a capitalised word: "Песков" is no "песков". A text is searched for the spellings of both sides, as a Russian
text may keep a name in Latin letters.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import GlossaryPair, Span
from .mention import CACHED_TEXTS
from .morphology import dictionary_form
from .script import is_cyrillic, russian_forms
from .words import WORD


@dataclass(frozen=True)
class Listed:
    """One of a glossary's names found in a text: which pair it is of (its place in the glossary), and where."""

    entry: int
    span: Span  # offsets in the text searched, shifted by the offset asked for
    text: str


@functools.lru_cache(maxsize=CACHED_TEXTS)
def word_forms(word: str) -> frozenset[str]:
    """The forms a word is matched by, in lowercase with е for ё: a Russian word's dictionary forms and the word
    itself, any other word itself."""
    lower = word.lower().replace("ё", "е")
    forms = russian_forms(lower) if is_cyrillic(lower) else (lower,)
    return frozenset(f.replace("ё", "е") for f in forms)


# A spelling's word: its forms, and whether it is capitalised.
_Word = tuple[frozenset[str], bool]


class GlossaryIndex:
    """A glossary's spellings by the forms of their first word, to find them in a text in one pass."""

    def __init__(self, pairs: Sequence[GlossaryPair]):
        self.pairs = tuple(pairs)
        starts: dict[str, dict[tuple[int, tuple[_Word, ...]], None]] = defaultdict(dict)
        for number, pair in enumerate(self.pairs):
            for spelling in dict.fromkeys((*pair.en, *pair.ru)):
                words = tuple((word_forms(w), w[0].isupper()) for w in WORD.findall(spelling))
                for form in words[0][0] if words else ():
                    starts[form][(number, words)] = None
        self._starts = {form: tuple(found) for form, found in starts.items()}
        self._found: dict[tuple[str, int], tuple[Listed, ...]] = {}  # a bead's sentences are its neighbours' too
        self._first: dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]] = {}

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def find(self, text: str, offset: int = 0) -> tuple[Listed, ...]:
        """Every occurrence of the glossary's names in ``text``, in order. Of two that overlap, the longer is
        kept: "Ivan the Terrible" rather than its "Terrible"."""
        if (text, offset) not in self._found:
            self._found[text, offset] = self._find(text, offset)
        return self._found[text, offset]

    def _find(self, text: str, offset: int) -> tuple[Listed, ...]:
        words = list(WORD.finditer(text))
        found = []
        for at, match in enumerate(words):
            for entry, spelling in self._starting(match.group()):
                if at + len(spelling) <= len(words) and all(
                    _fits(words[at + k].group(), word) for k, word in enumerate(spelling)
                ):
                    end = words[at + len(spelling) - 1].end()
                    found.append(Listed(entry, (match.start() + offset, end + offset), text[match.start() : end]))
        return tuple(sorted(_outermost(found), key=lambda n: (n.span, n.entry)))

    def _starting(self, word: str) -> tuple[tuple[int, tuple[_Word, ...]], ...]:
        """The spellings whose first word may be ``word``, remembered: most words begin none."""
        if word not in self._first:
            self._first[word] = tuple(dict.fromkeys(c for f in word_forms(word) for c in self._starts.get(f, ())))
        return self._first[word]

    def mentions(self, text: str) -> bool:
        """Whether ``text`` names any of the glossary's names."""
        return bool(self.find(text))


def _fits(token: str, word: _Word) -> bool:
    forms, capitalised = word
    return (not capitalised or token[0].isupper()) and bool(word_forms(token) & forms)


def _outermost(found: list[Listed]) -> list[Listed]:
    """The occurrences that no longer one contains."""
    def inside(a: Listed, b: Listed) -> bool:
        return b.span[0] <= a.span[0] and a.span[1] <= b.span[1] and (b.span[1] - b.span[0]) > (a.span[1] - a.span[0])

    return list(dict.fromkeys(n for n in found if not any(inside(n, other) for other in found)))


def headword(text: str) -> str:
    """A name as a glossary would list it: a Russian word the dictionary knows in its dictionary form, capitalised
    as found ("Иване Грозном" -> "Иван Грозный"); any other word as it is."""
    pieces, last = [], 0
    for match in WORD.finditer(text):
        word = match.group()
        form = dictionary_form(word) if is_cyrillic(word) else None
        if form and word[0].isupper():
            form = form[0].upper() + form[1:]
        pieces += [text[last : match.start()], form or word]
        last = match.end()
    return "".join(pieces) + text[last:]
