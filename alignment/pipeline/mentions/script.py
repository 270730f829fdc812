"""Spelling across the two scripts: Russian in Latin letters, a word's consonant skeleton, and whether two
spellings may be one name.

Both languages pass through the same rules, so that "Пескову" and "Peskov" meet on the skeleton ``psk``.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from .. import lexicon
from .mention import CACHED_TEXTS
from .morphology import name_in_adjective, normal_forms

CYRILLIC_TO_LATIN = str.maketrans({letter: "".join(latin) for letter, *latin in lexicon.table("cyrillic_to_latin")})
_CYRILLIC = re.compile("[а-яё]", re.I)

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
_SKELETON_LENGTH = 5
EN_ADJECTIVE = re.compile(r"(?:ian|ean|ish|ese|an|i|ic|ical|ics)$")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def to_latin(word: str) -> str:
    """A word in lowercase Latin letters: Russian transliterated, accents dropped."""
    word = word.lower().replace("дж", "j").translate(CYRILLIC_TO_LATIN)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if "a" <= c <= "z")


@functools.lru_cache(maxsize=CACHED_TEXTS)
def skeleton(latin: str) -> str:
    """A consonant skeleton: the first few consonant sounds, with "V" for a leading vowel.

    Remembered: a Russian word's forms share their normal form, and sixteen substitutions each are slow."""
    for pattern, replacement in _SOUND_RULES:
        latin = pattern.sub(replacement, latin)
    if not latin:
        return ""
    consonants = re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", latin))
    if not consonants:
        return "~" + latin  # "Ye", "Ai": nothing but vowels, keep them whole
    return ("V" if _VOWELS.match(latin) else "") + consonants[:_SKELETON_LENGTH]


@functools.lru_cache(maxsize=65536)
def word_key_variants(word: str) -> tuple[str, ...]:
    """The skeleton keys of one word, most likely first: a Russian word's by its normal forms, then as
    written, then by the name an adjective is made of ("канадский": канад)."""
    lower = word.lower()
    if is_cyrillic(lower):
        forms = [*russian_forms(lower), name_in_adjective(lower) or ""]
    else:
        root = EN_ADJECTIVE.sub("", lower)
        forms = [lower, root] if root != lower and len(root) >= 3 else [lower]
    latin = [to_latin(f) for f in forms]
    keys = [skeleton(f) for f in latin]
    if not is_cyrillic(lower):
        keys += [skeleton(variant) for form in latin for variant in english_readings(form)]
    return tuple(dict.fromkeys(k for k in keys if k))


def english_readings(form: str):
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


def russian_forms(lower: str) -> tuple[str, ...]:
    """A lowercase Russian word's normal forms (see :func:`.morphology.normal_forms`), then the word as written."""
    return (*(f for f in normal_forms(lower) if len(f) >= 2 and f != lower), lower)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def latin_forms(word: str) -> tuple[str, ...]:
    """The word in Latin letters: a Russian word in its normal forms, and last as written."""
    lower = word.lower()
    forms = russian_forms(lower) if is_cyrillic(lower) else (lower,)
    return tuple(dict.fromkeys(to_latin(f) for f in forms))


# --------------------------------------------------------------------------------------------------
# Spellings of one name


@functools.lru_cache(maxsize=CACHED_TEXTS)
def names_alike(a: str, b: str, loose: bool = False) -> bool:
    """Whether two words, in either script, look like spellings of one name: Xochimilco and Сочимилько.

    A looser test than equal keys, for the names the skeletons miss; too slow for the aligner. ``loose``
    is looser still, for two names that each lack a counterpart in one pair of sentences: Jong and Чен,
    Francois and Франсуа.
    """
    x, y = latin_forms(a), latin_forms(b)
    ratio = max((_ratio(p, q) for p in x for q in y), default=0.0)
    if not loose:
        return ratio >= 0.7
    first, second = x[-1], y[-1]
    if 0.5 < ratio <= 0.6 and min(len(first), len(second)) >= 6:
        # Half the letters in common is much for two long names, little to tell them apart: Sanford and
        # Сандовал, Florida and Фостере share a beginning and no more. Such a pair must have the same consonant
        # sounds, if in another order (DeChambeau, Дечебмо), or one spelling a few sounds fewer.
        return any(_consonants(p) <= _consonants(q) or _consonants(q) <= _consonants(p) for p in x for q in y)
    if ratio > 0.5 or not first or not second or _initial_sound(first) != _initial_sound(second):
        return ratio > 0.5
    # Beginning alike, a short name may still be spelt past recognition (Jong, Чен); a longer one keeps
    # more of its letters, or Gordon would pass for Конгресс.
    shorter, longer = sorted((len(first), len(second)))
    return longer <= 1.6 * shorter and (shorter <= 4 or ratio >= 0.4)


def _consonants(latin: str) -> frozenset[str]:
    """The consonant sounds of a word in Latin letters, by the rules of :func:`skeleton`."""
    for pattern, replacement in _SOUND_RULES:
        latin = pattern.sub(replacement, latin)
    return frozenset(_VOWELS.sub("", latin))


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


def initials_alike(a: str, b: str) -> bool:
    """Whether two first names, in either script, begin with a like sound: Craig and Кэйга, Ant and Энтони,
    William and Уильям; but not Walker and Алан, though Russian may write W as a vowel."""
    return bool(_first_name_sounds(a) & _first_name_sounds(b))


def _first_name_sounds(word: str) -> set[str]:
    forms = [f for f in latin_forms(word) if f]
    return {_first_name_sound(f) for form in forms for f in (form, *english_readings(form))}


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
