"""Numbers in a sentence as keys that compare across the languages: "1,5 млн" and "$1.5m" are both
``1500000``, "19:30" and "7.30pm" both ``time:19:30``, "forty-eight" and "сорока восьми" both ``48``."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from .. import lexicon
from ..types import Sentence
from .dates import EN_MONTHS, RU_MONTH, date_parts, dates
from .mention import CACHED_TEXTS, Mention, shifted
from .words import STARTERS


def _number(value: str) -> int | Decimal:
    return Decimal(value) if "." in value else int(value)


EN_NUMBER_WORDS = {word: _number(value) for word, value in lexicon.table("en_number_words")}
RU_NUMBER_WORDS = {word: _number(value) for word, value in lexicon.table("ru_number_words")}
# Words that are a number only before a scale word: "one million", "a billion", "один миллион".
_SCALE_ONLY = dict.fromkeys(lexicon.entries("one_before_scale"), 1)
# The units of "forty-eight" and "сорока восьми"
_UNITS = {**{w: v for w, v in EN_NUMBER_WORDS.items() if v < 10},
          **{w: v for w, v in RU_NUMBER_WORDS.items() if isinstance(v, int) and v < 10},
          **dict.fromkeys(lexicon.entries("one_as_unit"), 1)}  # fmt: skip
_SCALES = {word: int(exponent) for word, exponent in lexicon.table("number_scales")}
_RU_SCALE_STEMS = tuple((stem, int(exponent)) for stem, exponent in lexicon.table("ru_scale_stems"))
_RU_SCALE_ABBREVIATIONS = lexicon.words("ru_scale_abbreviations")  # written with a full stop

_SPACES = "\u00a0\u202f\u2009 "
# Addresses, whose digits are no quantities: a web address, an e-mail address (tried at a word's start only), and a
# domain (tried at the start of a run of letters and hyphens, or at a hyphen right after a domain). Each is tried once
# per word or run, possessively: "\S+@" and "\b[\w-]+\." tried from every place of a long word scanned it to its end
# again each time, quadratic on "a-a-a-...". Each alternative checks its first character before its lookarounds.
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<!\S)\S[^\s@]*+@\S+\.\w+"
    r"|(?:(?=[\w-])(?<![\w-])-*+(?!www\.|https?://)\w|-(?:(?<=\.com-|\.org-|\.net-|\.gov-|\.edu-)|(?<=\.ru-|\.uk-)))"
    r"[\w-]*+\.(?:com|org|net|ru|uk|gov|edu)(?:/\S*)?",
    re.I,
)

# A number not glued to a letter before it: G7 and HER2 are names, not quantities.
_NUMBER = re.compile(
    r"(?<![^\W_])"
    rf"(?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d)|\d+)"
    r"(?:(?P<sep>[.,])(?P<frac>\d+))?"
)
_AFTER = re.compile(r"(?P<space>[\s\u00a0\u202f-]?)(?P<word>[^\W\d_]+)(?P<dot>\.)?")
_PERCENT = re.compile(
    r"[\s-]?(?:%|per\s?cent\b|percent(?:age)?\b(?:\s+points?\b)?|pct\b|процент\w*|проц\.|п\.\s?п\.)", re.I
)
_CURRENCY_BEFORE = re.compile(r"(?:[$£€¥₽]|US\$|A\$|C\$|HK\$)\s?$")
_AMPM = re.compile(r"\s?(?P<ap>[ap])\.?\s?m\.?(?![^\W\d_])", re.I)
# "3 часа дня" is 15:00 but "3 дня" is three days, so "дня" and "ночи" need "час" before them.
_RU_CLOCK = re.compile(r"\s(?:час(?:а|ов)?\s(?P<part>утра|дня|вечера|ночи)|(?P<bare>утра|вечера))\b", re.I)
# Letters glued to a number that leave it a quantity: 17th, 80s, 6ft, 20km, 11million.
_GLUED_UNIT = re.compile(r"(?:st|nd|rd|th|s|km|kg|cm|mm|m|ft|lb|lbs|mph|kph|g|in|h|hr|hrs)(?![^\W\d_])", re.I)


def _unit_pattern() -> re.Pattern:
    """A unit after a number, or after the second number of a range ("2 to 4 inches", "от 5 до 10 см")."""
    units = lexicon.table("units")
    imperial = "|".join(pattern for system, pattern in units if system == "imperial")
    metric = "|".join(pattern for system, pattern in units if system == "metric")
    return re.compile(
        r"(?:\s?(?:to|or|and|до|или|и|-|–|—)\s?\d[\d.,]*)?[\s-]?"
        rf"(?:(?P<imperial>{imperial})|(?P<metric>{metric}))(?![^\W\d_])"
    )


_UNIT = _unit_pattern()
_LONE_WORD = re.compile(r"(?<![^\W_-])[^\W\d_]+(?![^\W_-])")


def number_mentions(sentence: Sentence, lang: str) -> tuple[Mention, ...]:
    return _numbers_at(sentence.text, str(lang), sentence.start)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _numbers_at(text: str, lang: str, offset: int) -> tuple[Mention, ...]:
    return shifted(_number_mentions(text, lang), offset)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def number_keys(text: str, lang: str) -> frozenset[str]:
    """Every key of every number in ``text``, with the parts of dates ("2019", "month:09") as well."""
    keys: set[str] = set()
    for m in _number_mentions(text, str(lang)):
        keys.update(m.keys)
        keys.update(date_parts(m.key))
    return frozenset(keys)


def number_matches(mention: Mention, other_keys: frozenset[str]) -> bool:
    """Whether a side with ``other_keys`` (from :func:`number_keys`) states the same number."""
    if any(k in other_keys for k in mention.keys):
        return True
    parts = date_parts(mention.key)
    # "September 5, 2019" is stated by "5 сентября ... в 2019 году": the day and the year are both there.
    return len(parts) == 3 and parts[0] in other_keys and parts[1] in other_keys


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _number_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    masked = _URL.sub(lambda m: " " * len(m.group()), text)
    taken = [False] * len(text)
    mentions = []
    candidates = [
        *((start, end, keys, False) for start, end, keys in dates(masked, lang)),
        *(q for m in _NUMBER.finditer(masked) if (q := _quantity(masked, m, lang))),
        *((start, end, keys, True) for start, end, keys in _spelled_numbers(masked, lang)),
    ]
    for start, end, keys, tentative in candidates:  # dates first: "5" in "September 5" belongs to the date
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            mentions.append(
                Mention(
                    key=keys[0], span=(start, end), text=text[start:end], aliases=keys[1:],
                    tentative=tentative, unit=_unit_after(masked, end),
                )
            )
    return tuple(sorted(mentions, key=lambda m: m.span))


def _unit_after(text: str, end: int) -> str:
    match = _UNIT.match(text, end)
    return "" if not match else "imperial" if match.group("imperial") else "metric"
def _quantity(text: str, match: re.Match, lang: str) -> tuple[int, int, tuple[str, ...], bool] | None:
    """(start, end, keys, tentative) for the number at ``match`` with its scale, percent sign or clock time."""
    clock = _clock(text, match, lang)
    if clock:
        return (*clock, False)
    int_part, sep, frac = match.group("int", "sep", "frac")
    integer = re.sub(rf"[,{_SPACES}]", "", int_part)
    if lang == "ru" and re.fullmatch(r"\d{1,3},\d{3}", int_part):
        readings = [Decimal(int_part.replace(",", ".")), Decimal(integer)]  # Russian "1,500": 1.5 or 1500
    else:
        readings = [Decimal(f"{integer}.{frac}" if sep else integer)]
    end = match.end()
    exponent, consumed = _scale_after(text, match.start(), end, bool(sep))
    end += consumed
    percent = _PERCENT.match(text, end)
    if percent:
        end = percent.end()
    elif not consumed and re.match(r"[^\W\d_]", text[end : end + 1]) and not _GLUED_UNIT.match(text, end):
        return None  # "3D", "4G": an identifier, not a quantity
    suffix = "%" if percent else ""
    keys = [_normal(v.scaleb(exponent)) + suffix for v in readings]
    if sep == "." and not suffix and not exponent and len(frac) == 2 and int(integer) < 24 and int(frac) < 60:
        keys.append(f"time:{int(integer):02d}:{frac}")  # British "10.30" is a clock time
    if re.fullmatch(r"1[89]\d0|20\d0", integer) and text[end : end + 1] == "s":
        keys.append(integer[2:])  # "the 1930s" are "30-е годы"
    return match.start(), end, tuple(dict.fromkeys(keys)), _in_a_name(text, match.start(), integer)


def _in_a_name(text: str, start: int, digits: str) -> bool:
    """A short number right after a hyphen or a capitalised word is probably part of a name: "Radio 4",
    "Nord Stream 2", "Boeing 737", "Формула-1"."""
    if len(digits) > 3:
        return False
    if re.search(r"(?:[^\W\d_]-|\bNo\.\s?|№\s?)$", text[:start]):
        return True  # "поток-2", and ranks: "No.1" is "первый"
    before = re.search(r"\b([^\W\d_]+)\s$", text[:start])
    if not before or not before.group(1)[0].isupper():
        return False
    word = before.group(1)
    return not (word.lower() in STARTERS or word.lower() in EN_MONTHS or RU_MONTH.fullmatch(word))


def _clock(text: str, match: re.Match, lang: str) -> tuple[int, int, tuple[str, ...]] | None:
    """A time of day: "19:30", "7.55am", "3 p.m.", "4 часа утра"."""
    int_part, sep, frac = match.group("int", "sep", "frac")
    if not int_part.isdigit() or int(int_part) > 24 or sep == ",":
        return None
    hour, minute, end = int(int_part), 0, match.end()
    colon = re.match(r":(\d\d)(?!\d)", text[end:]) if not sep else None
    if colon:
        minute, end = int(colon.group(1)), end + colon.end()
    elif sep == "." and len(frac) == 2:
        minute = int(frac)
    elif sep:
        return None
    ampm = _AMPM.match(text, end)
    ru_clock = _RU_CLOCK.match(text, end) if lang == "ru" and not sep else None
    if ampm and hour <= 12:
        hour = hour % 12 + (12 if ampm.group("ap").lower() == "p" else 0)
        end = ampm.end()
    elif ru_clock and hour <= 12:
        part = (ru_clock.group("part") or ru_clock.group("bare")).lower()
        hour = hour + 12 if part in ("дня", "вечера") and hour < 12 else hour % 12 if part == "ночи" else hour
        end = ru_clock.end()
    elif not colon or minute > 59:
        return None
    return match.start(), end, (f"time:{hour:02d}:{minute:02d}",)


def _scale_after(text: str, start: int, end: int, has_fraction: bool) -> tuple[int, int]:
    """The power of ten of a scale word right after a number ("million", "млн", "bn") and its length."""
    after = _AFTER.match(text, end)
    if not after:
        return 0, 0
    word = after.group("word").lower()
    exponent = _SCALES.get(word)
    if exponent is None:
        exponent = next((e for stem, e in _RU_SCALE_STEMS if word.startswith(stem)), None)
    if exponent is None:
        return 0, 0
    glued = not after.group("space")
    if word in ("k", "m", "b") and not glued:
        return 0, 0
    # "5m" may be five metres; "$5m" and "1.5m" are millions.
    if word in ("m", "b") and not (has_fraction or _CURRENCY_BEFORE.search(text, 0, start)):
        return 0, 0
    stop = after.end() if after.group("dot") and word in _RU_SCALE_ABBREVIATIONS else after.end("word")
    return exponent, stop - end


def _normal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_LETTERS = re.compile(r"[^\W\d_]+")


def _may_spell_a_number(text: str, words: dict) -> bool:
    """A quick test that lets through every text in which :func:`_spelled_numbers` finds a number: one of its
    runs of letters is a number word, or "a" or "один" comes before a scale word. Every token of
    _spelled_numbers is such a run, and a scale word after one is the next run. Most sentences fail it in
    one findall, rather than two passes of _LONE_WORD with a look at the words after "a"."""
    runs = [run.lower() for run in _LETTERS.findall(text)]
    return any(run in words for run in runs) or any(
        run in _SCALE_ONLY and (after in _SCALES or any(after.startswith(stem) for stem, _ in _RU_SCALE_STEMS))
        for run, after in zip(runs, runs[1:])
    )


def _spelled_numbers(text: str, lang: str):
    words = RU_NUMBER_WORDS if lang == "ru" else EN_NUMBER_WORDS
    if not _may_spell_a_number(text, words):
        return
    tokens = list(_LONE_WORD.finditer(text.replace("-", " ")))
    for first, second in zip(tokens, tokens[1:]):
        tens, units = words.get(first.group().lower()), _UNITS.get(second.group().lower())
        if tens in (20, 30, 40, 50, 60, 70, 80, 90) and units and second.start() - first.end() == 1:
            yield first.start(), second.end(), (str(tens + units),)
    for match in _LONE_WORD.finditer(text):
        word = match.group().lower()
        if word not in words and word not in _SCALE_ONLY:
            continue
        exponent, consumed = _scale_after(text, match.start(), match.end(), False)
        if word not in words and not exponent:
            continue
        end = match.end() + consumed
        percent = _PERCENT.match(text, end)
        if percent:
            end = percent.end()
        value = Decimal(words.get(word) or _SCALE_ONLY[word]).scaleb(exponent)
        yield match.start(), end, (_normal(value) + ("%" if percent else ""),)
