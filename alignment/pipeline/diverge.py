"""Beads in, the same beads out with their divergences: what one version says and the other does not.

Each bead is judged against its own document: a similarity of 0.5 is alarming in a story whose pairs sit
around 0.85 and ordinary in one around 0.55, and Russian runs longer than English by a ratio that differs
from story to story. So the detector first takes the document's measure (:class:`_Profile`), then looks at
each bead. It only reads what the beads and sentences carry; it never embeds anything.
"""

from __future__ import annotations

import functools

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import features
from .spans import unmatched_spans
from .features import Mention
from .types import Bead, Divergence, Kind, Sentence, Span

_SIDE_NAMES = {"en": "English", "ru": "Russian"}

# Meaning: a 1-1 pair is flagged when its similarity is at once this many robust deviations below the
# document's median, below this share of that median, and below an absolute ceiling. With the USE
# multilingual embedder, 99% of faithful pairs score above 0.41 and 95% of pairs of unrelated sentences
# below 0.24.
_MEANING_DEVIATIONS = 3.5
_MEANING_SHARE = 0.5
_MEANING_CEILING = 0.32
_MEANING_FLOOR = 0.2  # below this, unrelated however scattered the story's pairs are
_MEANING_SHARED_NAME_BAR = 0.15  # the bar when both sides name the same person or place
_MIN_SPREAD = 0.05  # a floor on the robust deviation, for stories whose pairs are all alike
_MIN_PAIRS_FOR_PROFILE = 5  # fewer 1-1 pairs than this and the document's own median is not trusted
_TYPICAL_SIMILARITY = 0.72  # the median of faithful pairs across many stories, for short documents
_TYPICAL_SPREAD = 0.09

# Partial: one side longer than the other by this factor, after correcting for the document's own
# Russian-to-English length ratio, and by at least this many characters.
_PARTIAL_RATIO = 1.9
_PARTIAL_MIN_CHARS = 80
_TYPICAL_LENGTH_RATIO = 1.12  # Russian characters per English character, across many stories

# Names and numbers are only compared when the other side is a real sentence.
_MIN_OTHER_WORDS = 4


def find_divergences(beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence]) -> tuple[Bead, ...]:
    """The beads, in order, each with ``divergences`` filled in."""
    first = _first_mentions(en, "en") | _first_mentions(ru, "ru")
    names = [
        _read_names([en[i] for i in b.en], [ru[j] for j in b.ru], _around(b.en, en), _around(b.ru, ru), first)
        if b.en and b.ru
        else None
        for b in beads
    ]
    profile = _Profile.of(beads, en, ru, [n for n in names if n])
    swaps = _swapped_neighbours(beads, en, ru)
    return tuple(
        replace(b, divergences=swaps[k] if k in swaps else tuple(_bead_divergences(b, en, ru, n, profile)))
        for k, (b, n) in enumerate(zip(beads, names))
    )


def _first_mentions(sentences: Sequence[Sentence], lang: str) -> dict[tuple[str, str], int]:
    """Where each name is first mentioned on a side: (side, key) -> sentence index."""
    first: dict[tuple[str, str], int] = {}
    for s in sentences:
        for m in features.name_mentions(s, lang):
            for key in m.keys:
                first.setdefault((lang, key), s.index)
    return first


def _around(indices: Sequence[int], sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences just before and just after a bead's side."""
    return [sentences[i] for i in (indices[0] - 1, indices[-1] + 1) if 0 <= i < len(sentences)]


def _swapped_neighbours(
    beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence]
) -> dict[int, tuple[Divergence, ...]]:
    """Content only in English right beside content only in Russian: one passage put in place of another.

    The aligner leaves two unrelated sentences unpaired rather than pair them; at one place in the story,
    that is a change of meaning, not a sentence dropped and another added. The one divergence, spanning
    both passages, goes on the bead of the passage that has less in common with the rest of the story (the
    stranger to it), or on both when neither stands out.
    """
    swaps: dict[int, tuple[Divergence, ...]] = {}
    story: Counter[str] | None = None  # how many sentences of the story carry each content key; built once
    for k in range(len(beads) - 1):
        first, second = beads[k], beads[k + 1]
        if k in swaps or bool(first.en) == bool(second.en) or (first.en and first.ru) or (second.en and second.ru):
            continue
        en_part = [en[i] for i in first.en + second.en]
        ru_part = [ru[j] for j in first.ru + second.ru]
        if any(_boilerplate_label(s.text) for s in en_part + ru_part):
            continue
        divergence = Divergence(
            kind=Kind.MEANING,
            severity=0.8,
            reason="Meaning differs: at this point each version has a passage the other lacks",
            en_spans=_spans(en_part),
            ru_spans=_spans(ru_part),
        )
        en_bead, ru_bead = (k, k + 1) if first.en else (k + 1, k)
        if story is None:
            story = Counter(key for lang, side in (("en", en), ("ru", ru)) for s in side for key in _content_keys(s.text, lang))
        part = Counter(key for lang, side in (("en", en_part), ("ru", ru_part)) for s in side for key in _content_keys(s.text, lang))
        rest = frozenset(key for key, n in story.items() if n > part.get(key, 0))
        en_fit, ru_fit = _share_in(en_part, "en", rest), _share_in(ru_part, "ru", rest)
        swaps[en_bead] = (divergence,) if en_fit <= ru_fit else ()
        swaps[ru_bead] = (divergence,) if ru_fit <= en_fit else ()
    return swaps


@functools.lru_cache(maxsize=65_536)
def _content_keys(text: str, lang: str) -> frozenset[str]:
    """The words (as name keys, so that the two languages meet on names) and numbers of a sentence."""
    words = {k for k in features.word_keys(text, lang) if len(k) >= 3}
    return frozenset(words | {"#" + k for k in features.number_keys(text, lang)})


def _share_in(sentences: Sequence[Sentence], lang: str, keys: frozenset[str]) -> float:
    """How much of what the sentences say recurs in ``keys``: low for a passage from another story."""
    own = frozenset().union(*(_content_keys(s.text, lang) for s in sentences))
    return len(own & keys) / len(own) if own else 1.0


# --------------------------------------------------------------------------------------------------
# The document's measure


@dataclass(frozen=True)
class _Profile:
    similarity: float  # the median similarity of the document's 1-1 pairs
    spread: float  # their robust standard deviation (1.4826 x the median absolute deviation)
    length_ratio: float  # the median Russian/English character ratio of those pairs
    confirmed_names: frozenset[str]  # name keys seen where capitals are reliable (not opening a sentence)
    # Names the translator renders her own way throughout: seen in two beads or more, matched in none.
    habitual_names: frozenset[str]
    # Names matched in some bead: the translator renders these, so the keys can see them where they are.
    matched_names: frozenset[str]

    @classmethod
    def of(
        cls, beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence], names: Sequence[_NameReading]
    ) -> _Profile:
        pairs = [b for b in beads if len(b.en) == 1 and len(b.ru) == 1]
        similarities = [b.similarity for b in pairs]
        ratios = [len(ru[b.ru[0]].text) / len(en[b.en[0]].text) for b in pairs if en[b.en[0]].text]
        if len(similarities) >= _MIN_PAIRS_FOR_PROFILE:
            median = statistics.median(similarities)
            spread = 1.4826 * statistics.median(abs(s - median) for s in similarities)
            # A short document leans on the typical level, so that one odd pair cannot set the bar.
            weight = min(1.0, len(similarities) / 15)
            median = weight * median + (1 - weight) * _TYPICAL_SIMILARITY
            spread = weight * spread + (1 - weight) * _TYPICAL_SPREAD
        else:
            median, spread = _TYPICAL_SIMILARITY, _TYPICAL_SPREAD
        ratio = statistics.median(ratios) if len(ratios) >= _MIN_PAIRS_FOR_PROFILE else _TYPICAL_LENGTH_RATIO
        confirmed = frozenset(
            key for reading in names for name in reading.en + reading.ru if not name.opener for key in name.mention.keys
        )
        seen: Counter[str] = Counter()
        matched: set[str] = set()
        for reading in names:
            for name in reading.en + reading.ru:
                seen[name.mention.key] += 1
                if name.found:
                    matched.add(name.mention.key)
        habitual = frozenset(k for k, n in seen.items() if n >= 2 and k not in matched)
        spread, ratio = max(spread, _MIN_SPREAD), min(max(ratio, 0.7), 1.8)
        return cls(median, spread, ratio, confirmed, habitual, frozenset(matched))


# --------------------------------------------------------------------------------------------------
# One bead


def _bead_divergences(
    bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], names: _NameReading | None, profile: _Profile
):
    en_sentences = [en[i] for i in bead.en]
    ru_sentences = [ru[j] for j in bead.ru]
    if not en_sentences or not ru_sentences:
        side, sentences = ("en", en_sentences) if en_sentences else ("ru", ru_sentences)
        yield from _unpaired(side, sentences)
        return
    meaning = _meaning(bead, en_sentences, ru_sentences, profile, _shares_a_name(names))
    if meaning:
        yield meaning  # the two sides say different things: their numbers and names differ as a matter of course
        return
    for divergence in (
        _numbers(en_sentences, ru_sentences),
        _names(names, profile),
        _partial(en_sentences, ru_sentences, profile),
    ):
        if divergence:
            yield divergence


def _unpaired(side: str, sentences: Sequence[Sentence]):
    labels = [_boilerplate_label(s.text) for s in sentences]
    furniture = [s for s, label in zip(sentences, labels) if label]
    content = [s for s, label in zip(sentences, labels) if not label]
    where = "en_spans" if side == "en" else "ru_spans"
    if furniture:
        label = next(label for label in labels if label)
        yield Divergence(
            kind=Kind.BOILERPLATE,
            severity=0.1,
            reason=f"Boilerplate on the {_SIDE_NAMES[side]} side only: {label}",
            **{where: _spans(furniture)},
        )
    if content:
        chars = sum(len(s.text) for s in content)
        yield Divergence(
            kind=Kind.ONLY_EN if side == "en" else Kind.ONLY_RU,
            severity=round(0.5 + 0.5 * min(1.0, chars / 200), 3),
            reason=f"Only in {_SIDE_NAMES[side]}",
            **{where: _spans(content)},
        )


def _meaning(
    bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile, shared_name: bool
) -> Divergence | None:
    if len(en) != 1 or len(ru) != 1:
        return None
    similarity = bead.similarity
    relative = min(profile.similarity - _MEANING_DEVIATIONS * profile.spread, _MEANING_SHARE * profile.similarity)
    bar = min(max(relative, _MEANING_FLOOR), _MEANING_CEILING)
    if shared_name:
        # Both sides name the same person or place: a free translation ("Spieth has been lethal from tee to
        # green" for "Спит был непреклонен от ти до грина") rather than another sentence.
        bar = min(bar, _MEANING_SHARED_NAME_BAR)
    if similarity >= bar:
        return None
    severity = min(1.0, 0.6 + (bar - similarity) / max(bar, 1e-9))
    return Divergence(
        kind=Kind.MEANING,
        severity=round(severity, 3),
        reason=f"Meaning differs: similarity {similarity:.2f}, far below this story's typical {profile.similarity:.2f}",
        en_spans=_differing(en, "en", ru),
        ru_spans=_differing(ru, "ru", en),
    )


def _shares_a_name(names: _NameReading | None) -> bool:
    return names is not None and any(
        n.found and not _exonym(n) and len(n.mention.key) >= 3 for n in names.en
    )


def _partial(en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile) -> Divergence | None:
    en_chars = sum(len(s.text) for s in en)
    ru_chars = sum(len(s.text) for s in ru)
    expected_ru = en_chars * profile.length_ratio
    ratio = ru_chars / expected_ru if expected_ru else math.inf
    if ratio >= _PARTIAL_RATIO and ru_chars - expected_ru >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        longer, side = "Russian", "ru"
    elif ratio <= 1 / _PARTIAL_RATIO and expected_ru - ru_chars >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        longer, side = "English", "en"
    else:
        return None
    factor = ratio if side == "ru" else 1 / ratio
    return Divergence(
        kind=Kind.PARTIAL,
        severity=round(min(1.0, 0.3 + 0.2 * (factor - _PARTIAL_RATIO)), 3),
        reason=f"{longer} version is much longer: content added inside the sentence",
        en_spans=_differing(en, "en", ru) if side == "en" else (),
        ru_spans=_differing(ru, "ru", en) if side == "ru" else (),
    )


def _differing(sentences: Sequence[Sentence], lang: str, others: Sequence[Sentence]) -> tuple[Span, ...]:
    """The words of ``sentences`` that the translation of ``others`` lacks, when every one of ``others`` has a
    translation and some word differs; otherwise the sentences whole."""
    if others and all(o.translation for o in others):
        translation = " ".join(o.translation or "" for o in others)
        words = tuple(span for s in sentences for span in unmatched_spans(s, lang, translation))
        if words:
            return words
    return _spans(sentences)


# --------------------------------------------------------------------------------------------------
# Numbers


def _numbers(en: Sequence[Sentence], ru: Sequence[Sentence]) -> Divergence | None:
    """Numbers on one side with no equal on the other, once both are normalised ("1,5 млн" = "1.5 million")."""
    en_mentions = [m for s in en for m in features.number_mentions(s, "en")]
    ru_mentions = [m for s in ru for m in features.number_mentions(s, "ru")]
    if not en_mentions or not ru_mentions or not _real_sentences(en, ru):
        return None  # one side without numbers has rephrased them ("a dozen", "half"), not changed them
    en_keys = frozenset().union(*(features.number_keys(s.text, "en") for s in en))
    ru_keys = frozenset().union(*(features.number_keys(s.text, "ru") for s in ru))
    en_missing = _unmatched_numbers(en_mentions, ru_keys, ru_mentions)
    ru_missing = _unmatched_numbers(ru_mentions, en_keys, en_mentions)
    # A tentative number ("two", "Radio 4") counts only against an unmatched number in digits on the other
    # side: "Nord Stream 1" and "Северный поток-2" differ, but "No.1" and "первыми" do not, nor "three" and
    # "четыре мяча".
    en_missing, ru_missing = _answered(en_missing, ru_missing), _answered(ru_missing, en_missing)
    en_missing, ru_missing = _without_fahrenheit(en_missing, ru_missing, ru)
    if not en_missing and not ru_missing:
        return None
    if en_missing and ru_missing:
        reason = f"Number differs: {_listing(en_missing)} in English, {_listing(ru_missing)} in Russian"
    elif en_missing:
        reason = f"Number only in English: {_listing(en_missing)}"
    else:
        reason = f"Number only in Russian: {_listing(ru_missing)}"
    return Divergence(
        kind=Kind.NUMBER,
        severity=round(_number_severity(en_missing, ru_missing), 3),
        reason=reason,
        en_spans=tuple(m.span for m in en_missing),
        ru_spans=tuple(m.span for m in ru_missing),
    )


def _without_fahrenheit(
    en_missing: Sequence[Mention], ru_missing: Sequence[Mention], ru: Sequence[Sentence]
) -> tuple[list[Mention], list[Mention]]:
    """Both lists without the temperatures an American text gives in Fahrenheit ("highs in the 80s") and the
    Russian in degrees Celsius ("до 27 градусов"): each Celsius figure takes the Fahrenheit one it converts."""
    en_left, ru_left = list(en_missing), []
    for m in ru_missing:
        celsius = _value(m.key)
        sentence = next(s for s in ru if s.start <= m.span[0] < s.end)
        after = sentence.text[m.span[1] - sentence.start :][:12]
        match = None
        if celsius is not None and _DEGREES.match(after):
            # "the 80s" spans 80 to 89 degrees Fahrenheit: up to 5 degrees Celsius above 80's conversion.
            match = next(
                (e for e in en_left if (v := _value(e.key)) is not None and -1.5 <= celsius - (v - 32) * 5 / 9 <= 6),
                None,
            )
        if match is None:
            ru_left.append(m)
        else:
            en_left.remove(match)
    return en_left, ru_left


_DEGREES = re.compile(r"\s?(?:°|градус)", re.I)


def _answered(missing: Sequence[Mention], other_missing: Sequence[Mention]) -> list[Mention]:
    """The firm numbers among ``missing``, and the tentative ones too if the other side misses digits."""
    answered = any(re.search(r"\d", m.text) for m in other_missing)
    return [m for m in missing if not m.tentative or answered]


def _unmatched_numbers(mentions: Sequence[Mention], other_keys: frozenset[str], others: Sequence[Mention]):
    # A translator converts inches to centimetres and Fahrenheit to Celsius: a measure in one system is
    # not expected on a side that measures in the other.
    other_units = {m.unit for m in others if m.unit}
    return [
        m
        for m in mentions
        if not features.number_matches(m, other_keys) and not (m.unit and other_units - {m.unit})
    ]


def _number_severity(en_missing: Sequence[Mention], ru_missing: Sequence[Mention]) -> float:
    """Higher when the numbers that disagree are far apart; a lone unmatched number is middling."""
    if not en_missing or not ru_missing:
        return 0.5
    a, b = _value(en_missing[0].key), _value(ru_missing[0].key)
    if a is None or b is None:
        return 0.6
    difference = abs(a - b) / max(abs(a), abs(b), 1e-9)
    return min(1.0, 0.4 + 0.6 * min(1.0, 2 * difference))


def _value(key: str) -> float | None:
    try:
        return float(Decimal(key.rstrip("%")))
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------------------------------
# Names


@dataclass(frozen=True)
class _Name:
    mention: Mention
    found: bool  # the other side mentions it, in some spelling
    opener: bool  # capitalised by position (opening a sentence or quotation), so perhaps no name at all
    given: bool  # right before a name the other side has: a first name ("Jeremy Corbyn")
    # Why a translator may have left it out, when the other side lacks it; "" for no reason.
    excuse: str
    lang: str  # the side it is on


@dataclass(frozen=True)
class _NameReading:
    en: tuple[_Name, ...]
    ru: tuple[_Name, ...]
    real: bool  # both sides long enough for a missing name to mean something
    # How often each side speaks of someone as "he" or "она": a name the other side gives may stand for one.
    en_pronouns: int
    ru_pronouns: int


def _read_names(
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    en_nearby: Sequence[Sentence],
    ru_nearby: Sequence[Sentence],
    first: Mapping[tuple[str, str], int],
) -> _NameReading:
    """The names of both sides of a bead; ``*_nearby`` are the sentences just around it on each side, and
    ``first`` says where each name is first mentioned (see :func:`_first_mentions`).

    Remembered per process: a correction on the review page reads every bead's names again to measure the
    story, and all but the corrected beads read as before. Of ``first``, only the bead's own names matter."""
    own = tuple(
        sorted(
            {((lang, k), first.get((lang, k), -1)) for lang, side in (("en", en), ("ru", ru))
             for s in side for m in features.name_mentions(s, lang) for k in m.keys}
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
) -> _NameReading:
    first = dict(own_first)
    return _NameReading(
        _side_names(en, "en", ru, "ru", ru_nearby, en_nearby, first),
        _side_names(ru, "ru", en, "en", en_nearby, ru_nearby, first),
        _real_sentences(en, ru),
        sum(len(_PRONOUN["en"].findall(s.text)) for s in en),
        sum(len(_PRONOUN["ru"].findall(s.text)) for s in ru),
    )


# Not "-он-" inside a name: "Ньюпорт-он-Ливи".
_PRONOUN = {"en": re.compile(r"\b(?:he|she)\b", re.I), "ru": re.compile(r"(?<![\w-])(?:он|она)(?![\w-])", re.I)}


@dataclass(frozen=True)
class _OtherSide:
    """What a side's names are looked for in: the other side of the bead, and the sentences around it."""

    lang: str
    sentences: Sequence[Sentence]
    keys: frozenset[str]
    nearby_keys: frozenset[str]
    own_nearby_keys: frozenset[str]  # the keys of the sentences around the side whose names are looked for
    acronyms: str  # the letters of its acronyms: "LSU" may spell out "Луизиана"
    own_keys: frozenset[str]  # the keys of the side whose names are looked for

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def _side_names(
    sentences: Sequence[Sentence],
    lang: str,
    others: Sequence[Sentence],
    other_lang: str,
    nearby: Sequence[Sentence],
    own_nearby: Sequence[Sentence],
    first: Mapping[tuple[str, str], int],
) -> tuple[_Name, ...]:
    other = _OtherSide(
        other_lang,
        others,
        keys=frozenset().union(*(features.word_keys(s.text, other_lang) for s in others)),
        nearby_keys=frozenset().union(*(features.word_keys(s.text, other_lang) for s in nearby)),
        own_nearby_keys=frozenset().union(*(features.word_keys(s.text, lang) for s in own_nearby)),
        acronyms="".join(m.key[1:] for s in others for m in features.name_mentions(s, other_lang) if m.key[0] == "#"),
        own_keys=frozenset().union(*(features.word_keys(s.text, lang) for s in sentences)),
    )
    prefixes = {k[:4] for k in other.keys if len(k) >= 4}  # "Olympics" and "Олимпиаде" share "Vlmp"
    # A shorter name in an adjective made of it: "Sabbath" in "субботние", "Canada" in "канадский".
    adjectives = {
        features.word_keys(w, other_lang) for s in others for w in re.findall(r"[^\W\d_]{6,}", s.text)
        if w[0].islower() and features.adjective_form(w, other_lang)
    }
    short_prefixes = {k[:3] for keys in adjectives for k in keys if len(k) >= 4}
    other_words = [w for s in others for w in re.findall(r"[^\W\d_]{3,}", s.text) if w[0].isupper()]
    names = []
    for sentence in sentences:
        mentions = features.name_mentions(sentence, lang)
        found = [
            any(k in other.keys or k[:4] in prefixes and len(k) >= 4 or len(k) == 3 and k in short_prefixes for k in m.keys)
            or any(features.names_alike(m.text, w) for w in other_words)
            for m in mentions
        ]
        for i, m in enumerate(mentions):
            # The name right after this one, when the other side has it: this is its first name, perhaps.
            after = mentions[i + 1] if i + 1 < len(mentions) and found[i + 1] else None
            surname = after if after and re.fullmatch(r"[\s-]", _between(sentence, m, after)) else None
            # A word the vocabulary knows only with a capital is a name wherever it stands ("Becker will").
            opener = features.capital_by_position(sentence.text, m.span[0] - sentence.start, lang) and not (
                m.text.isascii() and features.known_proper_noun(m.text)
            )
            # A person is named in full where the story first mentions them; later, by the surname alone.
            # (Not «Манчестер Сити», a club: quotation marks name teams and firms, whose names shorten at will.)
            # (Nor Donald Trump, whom all know as "Трамп": a surname the vocabulary holds is a famous one.)
            introduced = (
                surname is not None
                and all(first.get((lang, k), -1) == sentence.index for k in surname.keys)
                and not _quoted(sentence.text, m.span[0] - sentence.start)
                and not features.in_vocabulary(surname.text)
            )
            excuse = "" if found[i] else _excuse(sentence, lang, m, surname, introduced, other)
            if excuse == _NAMED_INSTITUTION and _stand_in(other):
                excuse = ""
            names.append(_Name(m, found[i], opener, surname is not None, excuse, lang))
    return tuple(names)


def _stand_in(other: _OtherSide) -> bool:
    """Whether the other side has a capitalised word, not opening its sentence, that this side lacks: a name
    that may stand in for one of this side's."""
    for sentence in other.sentences:
        for word in re.finditer(r"[^\W\d_]{3,}", sentence.text):
            if (
                word.group()[0].isupper()
                and not features.capital_by_position(sentence.text, word.start(), other.lang)
                and not features.word_keys(word.group(), other.lang) & other.own_keys
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
        if (not first and not introduced) or (first and features.initials_alike(mention.text, first)):
            return "first name"
    start, end = mention.span[0] - sentence.start, mention.span[1] - sentence.start
    run = features.capitalised_run(sentence.text, start)
    if any(features.generic_word(w) for w in run if w != mention.text):
        # "Senate Judiciary Committee" is "Юридический комитет Сената". But a surname in an institution's
        # name is no common word to translate: see _NAMED_INSTITUTION.
        return _NAMED_INSTITUTION if features.known_proper_noun(mention.text) else "institution"
    if features.translated_adjective(sentence.text, start, end, other.text):
        return "adjective"
    initial = features.to_latin(mention.text)[:1].upper()
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
                set(surname.keys) & features.word_keys(word.group(), other.lang)
                and before.group()[0].isupper()
                and re.fullmatch(r"[\s-]", s.text[before.end() : word.start()])
                and not features.word_keys(before.group(), other.lang) & other.own_keys
            ):
                return before.group()
    return None


def _names(reading: _NameReading | None, profile: _Profile) -> Divergence | None:
    """A name put for another, or a name one side has and the other lacks.

    Translators drop first names (once the story has introduced the person), turn a repeated name into "он",
    spell out acronyms, translate the names of institutions and render some names their own way, so most
    names one side lacks on a faithful translation are explained by one of those (see :func:`_excuse`). What
    no excuse explains counts in four ways:

    - each side has a name the other lacks, the two not even loosely alike: one name was put for another;
    - one side has a name that nothing explains, and the other some capitalised word of its own: the same;
    - one side has a name the vocabulary knows only with a capital and the story gives nowhere else, and the
      other only a country, a people or a party: "the Johnson Party" for "Демократической партии";
    - one side alone has such a name, and the other side has no more "he" or "она" than this one to stand
      for it: it was dropped here, or added. Alone, a name must be one beyond doubt (:func:`_distinct`): the
      translator renders it elsewhere in the story, the encoder's vocabulary holds it only with a capital
      (Jakarta, Twitter), or the Russian side keeps it in Latin letters. Other capitalised words are as
      often common words the other side translates (Plaza, Variety).
    """
    if reading is None or not reading.real:
        return None
    en_left, ru_left = _left_over(reading.en, reading.ru, profile), _left_over(reading.ru, reading.en, profile)
    en_put, ru_put = _put_for_another(reading, en_left, ru_left)
    if en_put and ru_put:
        return _name_differs(en_put, ru_put)
    if en_left and ru_left:
        # A name where the other side has only a country, a people or a party: "the Johnson Party" for
        # "Демократической партии", "Russia and Coleman" for "Россией и Турцией". (Capitals are exonyms
        # too, so "Madrid" for "Испании", one place for another, is no stranger.)
        en_named, ru_named = _stranger(en_left, profile), _stranger(ru_left, profile)
        if en_named and all(_exonym(n) for n in ru_left):
            return _name_differs(en_named, ru_left)
        if ru_named and all(_exonym(n) for n in en_left):
            return _name_differs(en_left, ru_named)
        return None
    # A "he" the other side has more of than this side.
    pronoun = (reading.ru_pronouns > reading.en_pronouns) if en_left else (reading.en_pronouns > reading.ru_pronouns)
    # "Sims played" may be "он играл"; a name the story never renders elsewhere may be no name at all. A name
    # the Russian keeps in Latin letters is a title or a firm's ("Desert Island Discs"), which no "he" stands for.
    missing = [n for n in _distinct(en_left + ru_left, profile) if not pronoun or _latin_in_russian(n)]
    if not missing:
        return None
    side = "en" if en_left else "ru"
    spans = tuple(n.mention.span for n in missing)
    return Divergence(
        kind=Kind.NAME,
        severity=0.5,
        reason=f"Name only in {_SIDE_NAMES[side]}: {_listing([n.mention for n in missing])}",
        en_spans=spans if side == "en" else (),
        ru_spans=spans if side == "ru" else (),
    )


def _distinct(names: Sequence[_Name], profile: _Profile) -> list[_Name]:
    """The firm names that are names beyond doubt: the translator renders them elsewhere in the story, the
    vocabulary knows them only with a capital, or the Russian side keeps them in Latin letters (Uber)."""
    return [
        n
        for n in _firm(names)
        if n.mention.key in profile.matched_names
        or features.known_proper_noun(n.mention.text)
        or _latin_in_russian(n)
    ]


def _latin_in_russian(name: _Name) -> bool:
    return name.lang == "ru" and name.mention.text.isascii()


def _stranger(names: Sequence[_Name], profile: _Profile) -> list[_Name]:
    """Firm names the vocabulary knows only with a capital and the story renders nowhere else."""
    return [
        n
        for n in _firm(names)
        if n.mention.key not in profile.matched_names and features.known_proper_noun(n.mention.text)
    ]


def _put_for_another(
    reading: _NameReading, en_left: list[_Name], ru_left: list[_Name]
) -> tuple[list[_Name], list[_Name]]:
    """The names on each side that stand where the other side has a name of its own; empty lists if none."""
    # Countries and capitals stand for governments and peoples: "Madrid" may be "Испания".
    en, ru = [n for n in en_left if not _exonym(n)], [n for n in ru_left if not _exonym(n)]
    if en and ru:
        return en, ru
    # A name nothing explains, where the other side has a capitalised word too short or too common to be
    # taken for a name on its own: "Ураган Джонсон" for "Hurricane Rosa".
    if _firm(en) and not ru:
        return _firm(en), _capitalised(reading.ru, _firm(en))
    if _firm(ru) and not en:
        return _capitalised(reading.en, _firm(ru)), _firm(ru)
    return [], []


def _name_differs(en: Sequence[_Name], ru: Sequence[_Name]) -> Divergence:
    en_mentions, ru_mentions = [n.mention for n in en], [n.mention for n in ru]
    # A first name put for another, the surname the same, matters less than another person altogether.
    first_names = all(n.given for n in en) or all(n.given for n in ru)
    return Divergence(
        kind=Kind.NAME,
        severity=0.5 if first_names else 0.7,
        reason=f"Name differs: {_listing(en_mentions)} in English, {_listing(ru_mentions)} in Russian",
        en_spans=tuple(m.span for m in en_mentions),
        ru_spans=tuple(m.span for m in ru_mentions),
    )


def _left_over(names: Sequence[_Name], others: Sequence[_Name], profile: _Profile) -> list[_Name]:
    """The unexplained names not even loosely alike a name the other side lacks: Jong is Чен, Francois
    Франсуа."""
    lacking = [o.mention.text for o in others if not o.found]
    return [
        n
        for n in names
        if _unexplained(n, profile) and not any(features.names_alike(n.mention.text, w, loose=True) for w in lacking)
    ]


def _firm(names: Sequence[_Name]) -> list[_Name]:
    """The names nothing explains, whose capital says they are names."""
    return [n for n in names if not n.excuse and not n.opener and not _exonym(n)]


def _capitalised(names: Sequence[_Name], others: Sequence[_Name]) -> list[_Name]:
    """Capitalised words of a side that the other side lacks, short names ("Kim", "Roe") included."""
    return [
        n
        for n in names
        if not n.found
        and not n.opener
        and len(n.mention.text) >= 3
        and n.mention.text[0].isupper()
        and not n.mention.key.startswith(("=", "#"))
        and not any(features.names_alike(n.mention.text, o.mention.text, loose=True) for o in others)
    ]


def _exonym(name: _Name) -> bool:
    """A country, city, people or party, which stands for another ("Madrid" for "Испания"), rather than a
    name that stands for itself, as a firm's does."""
    return name.mention.key.startswith("=") and name.mention.key not in _BRANDS


def _people(name: _Name) -> bool:
    """An exonym in the form of an adjective: "Democratic", "британский"."""
    return _exonym(name) and features.adjective_form(name.mention.text, name.lang)


_BRANDS = frozenset({"=twitter", "=bbc", "=cnn", "=fbi", "=cia"})


def _unexplained(name: _Name, profile: _Profile) -> bool:
    """A name the other side lacks for no reason the document shows, and distinctive enough to notice."""
    key = name.mention.key
    return (
        not name.found
        and name.mention.text[:1].isupper()  # Russian lowercase adjectives ("российский") only confirm names
        and len(name.mention.text) >= 4  # "Ri", "Lee", "Ли": too short to tell one name from another
        and (len(key) >= 3 or len(name.mention.text) >= 6)
        and not key.startswith("#")  # acronyms come and go: LSU is "Университет штата Луизиана"
        and (not name.opener or any(k in profile.confirmed_names for k in name.mention.keys))
        and key not in profile.habitual_names
    )


# --------------------------------------------------------------------------------------------------
# Boilerplate


def is_boilerplate(text: str, lang: str) -> bool:
    """Whether a sentence is outlet furniture (a newsletter prompt, a photo credit) rather than news.

    ``lang`` is the side the sentence is on; the patterns of both languages apply to it all the same,
    since outlets often leave their furniture untranslated.
    """
    return _boilerplate_label(text) is not None


# (label, weight, pattern). A sentence is boilerplate when its weights, with a bonus for being short and a
# penalty for reading like reported news, reach 1.
_BOILERPLATE_PATTERNS = tuple(
    (label, weight, re.compile(pattern, re.I))
    for label, weight, pattern in (
        ("link to another story", 1.0,
         r"^\W*(?:read more|read also|also read|related|see also|more on this(?: story)?|more|recommended"
         r"|читайте(?: также)?|также читайте|подробнее|смотрите также|см\. также|по теме|новости по теме)\s*[:—–-]"),
        ("link to another story", 0.6, r"^\W*(?:read more|читать далее|читать полностью)\b"),
        ("newsletter prompt", 0.7, r"\b(?:sign up|subscribe|register)\b.{0,40}\b(?:our|free|daily|weekly)\b"),
        ("newsletter prompt", 0.5,
         r"\bour (?:daily |weekly |free |morning |evening )?(?:newsletters?|briefing|podcast|channel)\b"),
        ("newsletter prompt", 0.3, r"\b(?:newsletters?|inbox)\b"),
        ("newsletter prompt", 0.7, r"\bподпи(?:шитесь|сывайтесь|саться на наш|ска на наш)"),
        ("newsletter prompt", 0.3, r"\b(?:рассылк\w*|наш(?:у|ем)? (?:канал|telegram|телеграм))"),
        ("donation appeal", 0.8,
         r"\bsupport (?:independent|our|quality|free)\b.{0,20}\b(?:journalism|reporting|newsroom|work)\b"),
        ("donation appeal", 0.6,
         r"\b(?:make a donation|donate (?:now|today)|become a (?:member|supporter|patron)|contribute today)\b"),
        ("donation appeal", 0.8, r"\bподдержите\b"),
        ("donation appeal", 0.5, r"\bпожертвовани\w*|\bпомогите (?:нам|редакции)\b"),
        ("photo credit", 1.0,
         r"^\W*(?:photo(?:graph)?s?|image|picture|pictured|video|credit|illustration|source"
         r"|фото(?:графия)?|видео|иллюстрация|источник|кадр)\s*(?:credit)?\s*[:©|/]"),
        ("photo credit", 0.3,
         r"\b(?:getty images|reuters|ap photo|afp|epa|shutterstock|тасс|риа новости|интерфакс|рейтер)\b"),
        ("copyright notice", 0.9, r"©|\ball rights reserved\b|\bвсе права защищены\b"),
        ("social media prompt", 0.8,
         r"\b(?:follow|join|find|like) us on\b|\bследите за (?:нами|новостями)"
         r"|\bмы в (?:telegram|телеграм|вконтакте|vk|facebook|twitter|instagram)"),
        ("social media prompt", 0.2,
         r"\b(?:twitter|facebook|instagram|telegram|телеграм\w*|youtube|whatsapp|tiktok|вконтакте)\b"),
        ("sharing prompt", 0.8,
         r"\bshare (?:this|on)\b|\b(?:share|tweet|email) this (?:article|story)\b|\bподелит[ьеи]с[ья]\b"),
        ("advertisement", 1.0,
         r"^\W*(?:advertisement|advertising|sponsored(?: content)?|promoted|ad|реклама|на правах рекламы)\W*$"),
        ("cookie notice", 0.9,
         r"\bcookies?\b.{0,60}\b(?:use|accept|policy|consent|agree)\b|\bprivacy policy\b|\bfiles? cookie\b"
         r"|\bфайл\w* cookie|\bкуки\b|\bполитик\w* конфиденциальности"),
        ("cookie notice", 0.5,
         r"\b(?:we|this (?:site|website)) uses? cookies\b|\bcookie (?:policy|settings|preferences)\b"),
        ("call to action", 0.7,
         r"\b(?:click here|tap here|download (?:our|the) app|нажмите (?:здесь|сюда)|скачайте (?:наше )?приложение)\b"),
        ("article metadata", 0.7, r"^\W*(?:updated|published|posted|last updated|обновлено|опубликовано)\b\W*\d"),
    )
)  # fmt: skip
_REPORTED_NEWS = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|claimed|he|she|they|his|her|their|police|officials"
    r"|сказал\w*|заявил\w*|сообщил\w*|рассказал\w*|по словам|по данным|он|она|они|его|её|ее|их|полиция)\b",
    re.I,
)


def _boilerplate_label(text: str) -> str | None:
    """What kind of furniture the sentence is, or None for news."""
    scores: dict[str, float] = {}
    for label, weight, pattern in _BOILERPLATE_PATTERNS:
        if pattern.search(text):
            scores[label] = scores.get(label, 0.0) + weight
    if not scores:
        return None
    label, score = max(scores.items(), key=lambda item: item[1])
    score += sum(scores.values()) - score  # other signals count too, credited to the strongest
    length = len(text.strip())
    score += 0.3 if length <= 40 else 0.15 if length <= 90 else -0.3 if length > 200 else 0.0
    if _REPORTED_NEWS.search(text) and not re.match(r"^\W*\w+(?: \w+)?\s*:", text):
        score -= 0.4  # reads like reported news; a "Label:" opener is furniture whatever follows
    return label if score >= 1.0 else None


# --------------------------------------------------------------------------------------------------


def _real_sentences(en: Sequence[Sentence], ru: Sequence[Sentence]) -> bool:
    """Both sides long enough for a missing name or number to mean something."""
    return all(sum(len(s.text.split()) for s in side) >= _MIN_OTHER_WORDS for side in (en, ru))


def _spans(sentences: Iterable[Sentence]) -> tuple[Span, ...]:
    return tuple((s.start, s.end) for s in sentences)


def _listing(mentions: Sequence[Mention]) -> str:
    return ", ".join(dict.fromkeys(m.text for m in mentions))
