"""A pair whose two sides say opposite things: one version negates what the other affirms ("officers have not
been injured" for «были ранены»), or puts a word's opposite in its place ("fell" for «выросли»).

Sentence embedders read a sentence and its negation as nearly the same, so similarity alone misses this. The
probe asks the embedder a narrower question instead. Each side of a pair is *turned*: its negation taken out
(where the other side has none), or a word swapped for its opposite (where the other side holds the same
opposition only in the other sense), the Russian forms inflected by the morphological analyser. When the turned
side matches the other side clearly better than the side as written, the versions say opposite things. On a
faithful translation a turn never helps: it makes the sides less alike, or leaves them as they were.

The words come from data: ``lexicon/negation.tsv`` (the closed class of negators) and ``lexicon/contrasts.tsv``
(pairs of opposites common in news, in both languages). :func:`turns` finds the probes, :func:`weigh` has the
caller's embedder score them, and :func:`opposite` judges a pair from its best probe.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import lexicon
from ..mentions.morphology import forms_of, inflect_like, lemmas
from ..mentions.mention import CACHED_TEXTS
from ..types import NAMES, Bead, Divergence, Kind, Sentence
from .severity import severity

# The turned side must close this share of the distance (1 - cosine) between the sides as written. A share rather
# than a difference of cosines: a loose translation sits far from its original, and a turn moves it about
# more. Measured on the tuning part of the news set, against negations and opposites put into its pairs
# (benchmarks/planter_b.py's edits): taking out a negation closes more than 0.075 on 0.4% of faithful pairs
# and on 33% of the planted negations (0.06: 42% at 0.7%; a bar in plain cosine took 23% at 0.4%). An
# opposition turned on both sides closes more than 0.075 from both on none of the tuning part's faithful
# pairs and on 14% of the planted opposites. (A bar of 0.03 flagged 0.16% of them there, but 0.9% of the
# held-out part's: the table's words have senses nobody tuned on, so this bar keeps a wide margin.)
NEGATION_BAR = 0.075
OPPOSITION_BAR = 0.075
_FULL_GAIN = 0.3  # a turn that closes this share of the distance is as serious as it gets
MAX_TURNS_PER_SIDE = 6  # probes per side of a pair: a long merged bead holds many opposites, most idle

_WORD = {
    "en": re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*"),
    "ru": re.compile(r"[А-Яа-яЁё]+"),
}


@dataclass(frozen=True)
class Turn:
    """One probe: a bead's side with one word turned to the opposite sense."""

    bead: int  # position of the bead in the list
    side: str  # "en" or "ru": the side rewritten
    sentence: int  # the sentence (index on its side) holding the word
    start: int  # the word's characters within that sentence
    end: int
    word: str
    turned: str  # what the word became ("" when a negation is taken out)
    text: str  # the bead's side, all its sentences, with the word turned
    counterpart: tuple[int, int, int] | None = None  # (sentence, start, end) of the other side's opposite word
    opposition: int | None = None  # the line of the contrasts table the word was turned by; None for a negation


@dataclass(frozen=True)
class Weighed:
    """A bead's best probe and how much better the turned side matches the other side."""

    turn: Turn
    gain: float  # the share of the distance (1 - cosine) between the sides that the turn closes


# ---------------------------------------------------------------------------------------------------------
# The lexicon


@dataclass(frozen=True)
class _Negation:
    removable: Mapping[str, str]  # negator -> what it becomes taken out ("" for nothing)
    suffixes: Mapping[str, str]  # "n't" -> ""
    counted: frozenset[str]  # every negator, removable or not


@functools.cache
def _negation(lang: str) -> _Negation:
    removable, suffixes, counted = {}, {}, set()
    for row in lexicon.table("negation"):
        if row[0] != lang:
            continue
        word, becomes = row[1], row[2]
        replacement = "" if becomes == "-" else becomes
        if word.startswith("*"):
            suffixes[word[1:]] = replacement
            continue
        counted.add(word)
        if becomes != "keep":
            removable[word] = replacement
    return _Negation(removable, suffixes, frozenset(counted))


@functools.cache
def _opposites(lang: str) -> Mapping[str, tuple[str, int, int]]:
    """A word form (English) or lemma (Russian) -> (its opposite, the number of the opposition it belongs to,
    its sense there: 0 for the table's first column of the language, 1 for the second). The senses agree
    across languages: "rise" and «вырасти» are both 0."""
    column = 0 if lang == "en" else 2
    out: dict[str, tuple[str, int, int]] = {}
    for number, row in enumerate(lexicon.table("contrasts")):
        a, b = row[column], row[column + 1]
        if a == "-" or b == "-":
            continue
        for x, y in zip(_key(a).split("|"), _key(b).split("|")):
            # A word in two oppositions ("old": new, young) keeps the first.
            out.setdefault(x, (y, number, 0))
            out.setdefault(y, (x, number, 1))
    return out


# ---------------------------------------------------------------------------------------------------------
# Reading a sentence


class _Word(NamedTuple):
    start: int
    end: int
    text: str


def _words(text: str, lang: str) -> list[_Word]:
    return [_Word(m.start(), m.end(), m.group(0)) for m in _WORD[lang].finditer(text)]


def _key(word: str) -> str:
    return word.lower().replace("’", "'").replace("ё", "е")


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _negator(word: str, lang: str) -> tuple[bool, str | None]:
    """(whether the word negates, what it becomes taken out: "" for nothing, None where it is not taken out)."""
    negation = _negation(lang)
    key = _key(word)
    if key in negation.removable:
        return True, negation.removable[key]
    for suffix, becomes in negation.suffixes.items():
        if key.endswith(suffix) and len(key) > len(suffix):
            return True, word[: len(word) - len(suffix)] + becomes
    return key in negation.counted, None


@functools.cache
def _russian_forms() -> frozenset[str]:
    """Every form of every Russian word in the table: the words worth asking the analyser about."""
    return frozenset().union(*(forms_of(lemma) for lemma in _opposites("ru")))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _opposition(word: str, lang: str) -> tuple[str, int, int] | None:
    """(the word's dictionary form or, in English, the word itself; its opposition; its sense in it), or None
    for a word in no opposition (see :func:`_opposites`)."""
    table = _opposites(lang)
    key = _key(word)
    if lang == "en":
        hit = table.get(key)
        return (key, hit[1], hit[2]) if hit else None
    if key not in _russian_forms():
        return None
    for lemma in lemmas(word):
        if hit := table.get(lemma):
            return lemma, hit[1], hit[2]
    return None


def _opposite_form(word: str, lang: str) -> str | None:
    """The word's opposite, in the word's form (Russian inflected by the analyser)."""
    reading = _opposition(word, lang)
    if reading is None:
        return None
    opposite = _opposites(lang)[reading[0]][0]
    return opposite if lang == "en" else inflect_like(word, reading[0], opposite)


def _like(form: str, word: str) -> str:
    """``form`` written with ``word``'s capitals."""
    if word.isupper() and len(word) > 1:
        return form.upper()
    return form[:1].upper() + form[1:] if word[:1].isupper() else form


def _rewrite(text: str, word: _Word, becomes: str) -> str:
    if becomes:
        return text[: word.start] + _like(becomes, word.text) + text[word.end :]
    before, after = text[: word.start].rstrip(" "), text[word.end :].lstrip(" ")
    if not before:
        return after[:1].upper() + after[1:]
    return f"{before} {after}" if after[:1].isalnum() else before + after


# ---------------------------------------------------------------------------------------------------------
# Probes


@dataclass(frozen=True)
class _Side:
    """One side of a bead as the probes read it."""

    lang: str
    sentences: Sequence[Sentence]
    words: Sequence[Sequence[_Word]]  # per sentence
    negates: bool  # some word of it negates
    senses: Mapping[int, Mapping[int, tuple[int, _Word]]]  # opposition -> sense -> (sentence index, a word of it)

    @classmethod
    def read(cls, lang: str, sentences: Sequence[Sentence]) -> _Side:
        words = [_words(s.text, lang) for s in sentences]
        senses: dict[int, dict[int, tuple[int, _Word]]] = {}
        negates = False
        for s, ws in zip(sentences, words):
            for w in ws:
                negates = negates or _negator(w.text, lang)[0]
                if reading := _opposition(w.text, lang):
                    senses.setdefault(reading[1], {}).setdefault(reading[2], (s.index, w))
        return cls(lang, sentences, words, negates, senses)


def turns(beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence]) -> list[Turn]:
    """The probes for every bead with both sides."""
    out: list[Turn] = []
    for k, bead in enumerate(beads):
        if not bead.en or not bead.ru:
            continue
        english = _Side.read("en", [en[i] for i in bead.en])
        russian = _Side.read("ru", [ru[j] for j in bead.ru])
        out.extend(_side_turns(k, english, russian)[:MAX_TURNS_PER_SIDE])
        out.extend(_side_turns(k, russian, english)[:MAX_TURNS_PER_SIDE])
    return out


def _side_turns(k: int, here: _Side, there: _Side) -> list[Turn]:
    """A side's probes: its negations where the other side has none, and its words of an opposition where
    each side holds the opposition in one sense only, the two senses opposed ("fell" where the Russian says
    «выросли» and nowhere «упали»). Where a side holds both senses ("sales rose, takings fell"), the table
    cannot tell which word answers which, and nothing is asked."""
    found: list[Turn] = []
    if not here.senses and (there.negates or not here.negates):
        return found
    for at, (sentence, ws) in enumerate(zip(here.sentences, here.words)):
        for w in ws:
            becomes = None if there.negates else _negator(w.text, here.lang)[1]
            counterpart = opposition = None
            reading = _opposition(w.text, here.lang) if becomes is None else None
            if reading is not None:
                _, number, sense = reading
                opposed = there.senses.get(number, {})
                if opposed and sense not in opposed and len(here.senses[number]) == 1:
                    becomes, opposition = _opposite_form(w.text, here.lang), number
                    index, word = opposed[1 - sense]
                    counterpart = (index, word.start, word.end)
            if becomes is None:
                continue
            texts = [s.text for s in here.sentences]
            texts[at] = _rewrite(sentence.text, w, becomes)
            found.append(
                Turn(k, here.lang, sentence.index, w.start, w.end, w.text, becomes, " ".join(texts), counterpart, opposition)
            )
    return found


def weigh(
    found: Sequence[Turn],
    beads: Sequence[Bead],
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    embed: Callable[[Sequence[str]], np.ndarray],
) -> dict[int, Weighed]:
    """Each probed bead's best probe, scored through ``embed`` (texts -> unit vectors) in one call."""
    if not found:
        return {}
    texts: dict[str, int] = {}

    def slot(text: str) -> int:
        return texts.setdefault(text, len(texts))

    def side_text(k: int, side: str) -> str:
        bead = beads[k]
        return " ".join(en[i].text for i in bead.en) if side == "en" else " ".join(ru[j].text for j in bead.ru)

    rows = [
        (slot(t.text), slot(side_text(t.bead, t.side)), slot(side_text(t.bead, "ru" if t.side == "en" else "en")))
        for t in found
    ]
    vecs = embed(list(texts))
    gains = [
        float(vecs[turned] @ vecs[other] - vecs[written] @ vecs[other]) / max(1e-6, 1.0 - float(vecs[written] @ vecs[other]))
        for turned, written, other in rows
    ]
    # An opposition turned on both sides must help from both: a word and its counterpart that truly oppose
    # each other make the pair more alike whichever of them is turned, while a word in another sense than the
    # table's (a faithful "last" for «прошлый») helps from one side at most.
    both: dict[tuple[int, int], list[float]] = {}
    for t, gain in zip(found, gains):
        if t.opposition is not None:
            both.setdefault((t.bead, t.opposition), []).append(gain)
    best: dict[int, Weighed] = {}
    for t, gain in zip(found, gains):
        if t.opposition is not None:
            gain = min(both[(t.bead, t.opposition)])
        if t.bead not in best or gain - _bar(t) > best[t.bead].gain - _bar(best[t.bead].turn):
            best[t.bead] = Weighed(t, gain)
    return best


# ---------------------------------------------------------------------------------------------------------
# The judgement


def _bar(turn: Turn) -> float:
    return NEGATION_BAR if turn.opposition is None else OPPOSITION_BAR


def opposite(weighed: Weighed | None, en: Sequence[Sentence], ru: Sequence[Sentence]) -> Divergence | None:
    """A meaning divergence when the bead's best probe turns it clearly closer to the other side."""
    if weighed is None:
        return None
    t = weighed.turn
    if weighed.gain < _bar(t):
        return None
    here = (en if t.side == "en" else ru)[t.sentence]
    word_span = ((here.start + t.start, here.start + t.end),)
    other_span: tuple[tuple[int, int], ...] = ()
    if t.counterpart is not None:
        sentence, start, end = t.counterpart
        there = (ru if t.side == "en" else en)[sentence]
        other_span = ((there.start + start, there.start + end),)
    other = NAMES["ru" if t.side == "en" else "en"]
    if t.turned:
        reason = f'Opposite sense: the {NAMES[t.side]} says "{t.word}" where the {other} reads as "{t.turned}"'
    else:
        reason = f'Opposite sense: the {NAMES[t.side]} says "{t.word}"; the {other} has no negation here'
    spans = (word_span, other_span) if t.side == "en" else (other_span, word_span)
    return Divergence(
        kind=Kind.MEANING,
        severity=severity(Kind.MEANING, weighed.gain / _FULL_GAIN),
        reason=reason,
        en_spans=spans[0],
        ru_spans=spans[1],
    )
