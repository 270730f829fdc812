"""The names of both sides of a bead, read for the judgement of :mod:`.names`: which the other side has, in
some spelling, and why a translator may have left out those it lacks."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .. import lexicon
from ..mentions import (
    Mention,
    adjective_form,
    capital_by_position,
    capitalised_run,
    generic_word,
    in_vocabulary,
    initials_alike,
    known_proper_noun,
    name_mentions,
    names_alike,
    to_latin,
    translated_adjective,
    word_keys,
)
from ..types import Sentence
from .report import real_sentences


@dataclass(frozen=True)
class Name:
    mention: Mention
    found: bool  # the other side mentions it, in some spelling
    opener: bool  # capitalised by position (opening a sentence or quotation), so perhaps no name at all
    given: bool  # right before a name the other side has: a first name ("Jeremy Corbyn")
    # Why a translator may have left it out, when the other side lacks it; "" for no reason.
    excuse: str
    lang: str  # the side it is on


@dataclass(frozen=True)
class NameReading:
    en: tuple[Name, ...]
    ru: tuple[Name, ...]
    real: bool  # both sides long enough for a missing name to mean something
    # How often each side speaks of someone as "he" or "она": a name the other side gives may stand for one.
    en_pronouns: int
    ru_pronouns: int


def first_mentions(sentences: Sequence[Sentence], lang: str) -> dict[tuple[str, str], int]:
    """Where each name is first mentioned on a side: (side, key) -> sentence index."""
    first: dict[tuple[str, str], int] = {}
    for s in sentences:
        for m in name_mentions(s, lang):
            for key in m.keys:
                first.setdefault((lang, key), s.index)
    return first


def around(indices: Sequence[int], sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences just before and just after a bead's side."""
    return [sentences[i] for i in (indices[0] - 1, indices[-1] + 1) if 0 <= i < len(sentences)]


def read_names(
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    en_nearby: Sequence[Sentence],
    ru_nearby: Sequence[Sentence],
    first: Mapping[tuple[str, str], int],
) -> NameReading:
    """The names of both sides of a bead; ``*_nearby`` are the sentences just around it on each side, and
    ``first`` says where each name is first mentioned (see :func:`first_mentions`).

    Remembered per process: a correction on the review page reads every bead's names again to measure the
    story, and all but the corrected beads read as before. Of ``first``, only the bead's own names matter."""
    own = tuple(
        sorted(
            {((lang, k), first.get((lang, k), -1)) for lang, side in (("en", en), ("ru", ru))
             for s in side for m in name_mentions(s, lang) for k in m.keys}
        )
    )
    return _read_names_of(tuple(en), tuple(ru), tuple(en_nearby), tuple(ru_nearby), own)


_CACHED_BEADS = 16_384  # several long stories' beads


@functools.lru_cache(maxsize=_CACHED_BEADS)
def _read_names_of(
    en: tuple[Sentence, ...],
    ru: tuple[Sentence, ...],
    en_nearby: tuple[Sentence, ...],
    ru_nearby: tuple[Sentence, ...],
    own_first: tuple[tuple[tuple[str, str], int], ...],
) -> NameReading:
    first = dict(own_first)
    return NameReading(
        _side_names(en, "en", ru, "ru", ru_nearby, first),
        _side_names(ru, "ru", en, "en", en_nearby, first),
        real_sentences(en, ru),
        sum(len(_PRONOUN["en"].findall(s.text)) for s in en),
        sum(len(_PRONOUN["ru"].findall(s.text)) for s in ru),
    )


# Not "-он-" inside a name: "Ньюпорт-он-Ливи".
_PRONOUN = {
    "en": re.compile(r"\b(?:" + "|".join(lexicon.entries("en_pronouns")) + r")\b", re.I),
    "ru": re.compile(r"(?<![\w-])(?:" + "|".join(lexicon.entries("ru_pronouns")) + r")(?![\w-])", re.I),
}


@dataclass(frozen=True)
class _OtherSide:
    """What a side's names are looked for in: the other side of the bead, and the sentences around it.

    Its keys are read when first asked for: most names are found in the other side's own keys, and reading a
    sentence's keys (every word through the morphological analyser) is the dear part of the names pass."""

    lang: str
    sentences: Sequence[Sentence]
    nearby: Sequence[Sentence]  # the sentences around the other side
    own: Sequence[Sentence]  # the side whose names are looked for
    own_lang: str

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return _keys(self.sentences, self.lang)

    @functools.cached_property
    def nearby_keys(self) -> frozenset[str]:
        return _keys(self.nearby, self.lang)

    @functools.cached_property
    def own_keys(self) -> frozenset[str]:
        """The keys of the side whose names are looked for."""
        return _keys(self.own, self.own_lang)

    @functools.cached_property
    def acronyms(self) -> str:
        """The letters of its acronyms: "LSU" may spell out "Луизиана"."""
        return "".join(m.key[1:] for s in self.sentences for m in name_mentions(s, self.lang) if m.key[0] == "#")

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def _keys(sentences: Sequence[Sentence], lang: str) -> frozenset[str]:
    return frozenset().union(*(word_keys(s.text, lang) for s in sentences))


def _side_names(
    sentences: Sequence[Sentence],
    lang: str,
    others: Sequence[Sentence],
    other_lang: str,
    nearby: Sequence[Sentence],
    first: Mapping[tuple[str, str], int],
) -> tuple[Name, ...]:
    mentioned = [(sentence, name_mentions(sentence, lang)) for sentence in sentences]
    if not any(mentions for _, mentions in mentioned):
        return ()
    other = _OtherSide(other_lang, others, nearby, sentences, lang)
    prefixes = {k[:4] for k in other.keys if len(k) >= 4}  # "Olympics" and "Олимпиаде" share "Vlmp"
    # A shorter name in an adjective made of it: "Sabbath" in "субботние", "Canada" in "канадский".
    adjectives = {
        word_keys(w, other_lang) for s in others for w in re.findall(r"[^\W\d_]{6,}", s.text)
        if w[0].islower() and adjective_form(w, other_lang)
    }
    short_prefixes = {k[:3] for keys in adjectives for k in keys if len(k) >= 4}
    other_words = [w for s in others for w in re.findall(r"[^\W\d_]{3,}", s.text) if w[0].isupper()]
    names = []
    for sentence, mentions in mentioned:
        found = [
            any(k in other.keys or k[:4] in prefixes and len(k) >= 4 or len(k) == 3 and k in short_prefixes for k in m.keys)
            or any(names_alike(m.text, w) for w in other_words)
            for m in mentions
        ]
        for i, m in enumerate(mentions):
            # The name right after this one, when the other side has it: this is its first name, perhaps.
            after = mentions[i + 1] if i + 1 < len(mentions) and found[i + 1] else None
            surname = after if after and re.fullmatch(r"[\s-]", _between(sentence, m, after)) else None
            # A word the vocabulary knows only with a capital is a name wherever it stands ("Becker will").
            opener = capital_by_position(sentence.text, m.span[0] - sentence.start, lang) and not (
                m.text.isascii() and known_proper_noun(m.text)
            )
            # A person is named in full where the story first mentions them; later, by the surname alone.
            # (Not «Манчестер Сити», a club: quotation marks name teams and firms, whose names shorten at will.)
            # (Nor Donald Trump, whom all know as "Трамп": a surname the vocabulary holds is a famous one.)
            introduced = (
                surname is not None
                and all(first.get((lang, k), -1) == sentence.index for k in surname.keys)
                and not _quoted(sentence.text, m.span[0] - sentence.start)
                and not in_vocabulary(surname.text)
            )
            excuse = "" if found[i] else _excuse(sentence, lang, m, surname, introduced, other)
            if excuse == _NAMED_INSTITUTION and _stand_in(other):
                excuse = ""
            names.append(Name(m, found[i], opener, surname is not None, excuse, lang))
    return tuple(names)


def _stand_in(other: _OtherSide) -> bool:
    """Whether the other side has a capitalised word, not opening its sentence, that this side lacks: a name
    that may stand in for one of this side's."""
    for sentence in other.sentences:
        for word in re.finditer(r"[^\W\d_]{3,}", sentence.text):
            if (
                word.group()[0].isupper()
                and not capital_by_position(sentence.text, word.start(), other.lang)
                and not word_keys(word.group(), other.lang) & other.own_keys
            ):
                return True
    return False


def _quoted(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` is inside «guillemets» or “curly quotes”."""
    before = text[:at]
    return before.count("«") > before.count("»") or before.count("“") > before.count("”")


# A surname in an institution's name ("Hamilton Children's Hospital"): the other side may leave the name out
# ("детскую больницу"), but not put another in its place ("the Johnson Party" for "Демократической партии").
_NAMED_INSTITUTION = "named institution"


def _between(sentence: Sentence, first: Mention, second: Mention) -> str:
    return sentence.text[first.span[1] - sentence.start : second.span[0] - sentence.start]


def _excuse(
    sentence: Sentence, lang: str, mention: Mention, surname: Mention | None, introduced: bool, other: _OtherSide
) -> str:
    """Why the other side may lack a name and still say the same: "" when nothing explains it."""
    if any(k in other.nearby_keys for k in mention.keys):
        return "nearby"  # moved to the next sentence, or named there and "он" here; not a name both repeat
    if surname:
        # "Jeremy Corbyn" is "Корбин": a first name dropped. Unless the other side has a first name of its own.
        # Where the story introduces the person, the other side names them in full too, if in its own way.
        first = _other_first_name(surname, other)
        if (not first and not introduced) or (first and initials_alike(mention.text, first)):
            return "first name"
    start, end = mention.span[0] - sentence.start, mention.span[1] - sentence.start
    run = capitalised_run(sentence.text, start)
    if any(generic_word(w) for w in run if w != mention.text):
        # "Senate Judiciary Committee" is "Юридический комитет Сената". But a surname in an institution's
        # name is no common word to translate: see _NAMED_INSTITUTION.
        return _NAMED_INSTITUTION if known_proper_noun(mention.text) else "institution"
    if translated_adjective(sentence.text, start, end, other.text):
        return "adjective"
    initial = to_latin(mention.text)[:1].upper()
    if initial and initial in other.acronyms:
        return "acronym"
    return ""


def _other_first_name(surname: Mention, other: _OtherSide) -> str | None:
    """The capitalised word the other side puts right before ``surname``, if this side lacks it: a first name
    of its own (David Thompson, Паркер Томпсон)."""
    for s in other.sentences:
        words = list(re.finditer(r"[^\W\d_]+", s.text))
        for before, word in zip(words, words[1:]):
            if (
                set(surname.keys) & word_keys(word.group(), other.lang)
                and before.group()[0].isupper()
                and re.fullmatch(r"[\s-]", s.text[before.end() : word.start()])
                and not word_keys(before.group(), other.lang) & other.own_keys
            ):
                return before.group()
    return None


def exonym(name: Name) -> bool:
    """A country, city, people or party, which stands for another ("Madrid" for "Испания"), rather than a
    name that stands for itself, as a firm's does."""
    return name.mention.key.startswith("=") and name.mention.key not in _BRANDS


_BRANDS = lexicon.words("brands")  # exonyms that stand for themselves: Twitter, the BBC, the FBI


def shares_a_name(names: NameReading | None) -> bool:
    return names is not None and any(
        n.found and not exonym(n) and len(n.mention.key) >= 3 for n in names.en
    )
