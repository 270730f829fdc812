"""What the Russian morphological analyser (pymorphy3, with the OpenCorpora dictionary it ships) says of a
Russian word: its normal forms, whether it reads as a name, a common word or an adjective.

Russian declines names it has never seen ("Сунаком", "Ивановой"), so reading case forms by the analyser's
paradigms and its guesser carries over to new names where a list of endings does not. Every answer is per
word and remembered: the divergence pass asks about every word of long stories.
"""

from __future__ import annotations

import functools

from .mention import CACHED_TEXTS

# OpenCorpora's marks of a proper name: first name, surname, patronymic, place, organisation, trade mark.
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_DECLINING = frozenset({"NOUN", "ADJF", None})  # the parts of speech whose normal form a name's key may be
# A name's adjective: "канадский", "британские", "Зеленского". The analyser has no derivation, so the name
# inside is read off the adjective's normal form, one ending for every case.
_NAME_ADJECTIVE_SUFFIXES = ("ийский", "йский", "ский", "цкий")


@functools.cache
def _analyser():
    """The analyser, loaded once per process on first use (a tenth of a second), never at import."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _parses(word: str) -> tuple:
    """The analyser's readings of a word, likeliest first."""
    return _reading(word.lower())[0]


def _known(word: str) -> bool:
    """Whether the dictionary holds the word, rather than the analyser guessing at it."""
    return _reading(word.lower())[1]


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _reading(lower: str) -> tuple[tuple, bool]:
    analyser = _analyser()
    return tuple(analyser.parse(lower)), analyser.word_is_known(lower)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def normal_forms(word: str) -> tuple[str, ...]:
    """A Russian word's normal forms as a name, noun or adjective, most likely first: "Трампу" -> трамп,
    "Германией" -> германия, "Ивановой" -> иванова (a woman's surname stays feminine). The analyser's guesses
    for an unknown word are all kept, for it often ranks the right one second: "Корбином" is корбином or
    корбин."""
    parses = [p for p in _parses(word) if p.tag.POS in _DECLINING]
    # A word the dictionary knows as a name is read only so: "Песков" is no genitive of "песок" here. (The
    # guesses for an unknown word may call it a name in any case: "Уэстом" is уэстом or уэст.)
    names = [p for p in parses if _PROPER & p.tag.grammemes] if _known(word) else []
    forms = []
    for parse in names or parses:
        if "Surn" in parse.tag and parse.tag.gender == "femn":
            nominative = parse.inflect({"nomn"})
            forms.append(nominative.word if nominative else parse.normal_form)
        else:
            forms.append(parse.normal_form)
    return tuple(dict.fromkeys(forms))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def dictionary_form(word: str) -> str | None:
    """A Russian word's likeliest normal form (see :func:`normal_forms`) if the dictionary knows the word: "Путину"
    -> путин, "Захаровой" -> захарова. None for a word it does not know, whose guesses are often wrong ("Сунаком"
    -> сунакома)."""
    forms = normal_forms(word) if _known(word) else ()
    return forms[0] if forms else None


@functools.lru_cache(maxsize=CACHED_TEXTS)
def name_in_adjective(word: str) -> str | None:
    """The name an adjective is made of, as its stem: "канадский" -> канад, "британские" -> британ; None for
    a word that is no such adjective."""
    for parse in _parses(word):
        if parse.tag.POS == "ADJF":
            form = parse.normal_form
            suffix = next((s for s in _NAME_ADJECTIVE_SUFFIXES if form.endswith(s)), None)
            if suffix and len(form) - len(suffix) >= 3:
                return form[: -len(suffix)]
    return None


@functools.lru_cache(maxsize=CACHED_TEXTS)
def reads_as_name(word: str) -> bool:
    """Whether the analyser has a reading of ``word`` as a name: a first name, surname, place or firm."""
    return any(_PROPER & parse.tag.grammemes for parse in _parses(word))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def dictionary_name(word: str) -> bool:
    """Whether the dictionary itself holds a Russian word as a name, and reads it first as one: "Детройта",
    "Денвере", "Армстронга"; not "Власти", nor a name the analyser only guesses at."""
    parses = _parses(word)
    return _known(word) and bool(parses) and bool(_PROPER & parses[0].tag.grammemes)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def common_word(word: str) -> bool:
    """Whether a capitalised Russian word is an ordinary word, whatever its capital: one the dictionary knows
    with no reading as a name ("Власти", "Ожидается"). A word it does not know is left a name: its guesses
    for the part of speech of "Климо" (a participle) or "Сунаком" say nothing of names."""
    return _known(word) and not reads_as_name(word)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def adjective(word: str) -> bool:
    """Whether a Russian word reads as an adjective and not as a surname: "Верховным", "Детскую", but not
    "Петровым" (a surname) nor "Зеленского", an unknown word declined like an adjective in -ский, which
    Russian surnames are."""
    parses = _parses(word)
    if not parses or parses[0].tag.POS != "ADJF" or any("Surn" in p.tag for p in parses):
        return False
    return _known(word) or name_in_adjective(word) is None


@functools.lru_cache(maxsize=CACHED_TEXTS)
def relative_adjective(word: str) -> bool:
    """Whether a Russian word reads as an adjective made of a noun, as those made of names are: "субботние",
    "канадский", "лондонских"; not "новый" (a quality), "первый" (an ordinal) nor "этот" (a pronoun)."""
    parses = _parses(word)
    return bool(parses) and parses[0].tag.POS == "ADJF" and not {"Qual", "Apro", "Anum"} & parses[0].tag.grammemes


# The grammemes a word's form carries that its opposite must carry too: part of speech (a short adjective,
# a participle, a comparative), case, number, gender, tense, person, mood.
_FORM_ATTRIBUTES = ("POS", "case", "number", "gender", "tense", "person", "mood")


@functools.lru_cache(maxsize=CACHED_TEXTS)
def lemmas(word: str) -> tuple[str, ...]:
    """Every dictionary form the analyser reads a Russian word as, likeliest first, with е for ё:
    "упала" -> (упасть,), "выше" -> (высокий, выше, ...)."""
    return tuple(dict.fromkeys(p.normal_form.replace("ё", "е") for p in _parses(word)))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def inflect_like(word: str, lemma: str, other: str) -> str | None:
    """The word ``other`` (a dictionary form) in the form ``word`` has as a form of ``lemma``: ("упала",
    "упасть", "вырасти") -> "выросла"; ("северной", "северный", "южный") -> "южной". None where the analyser
    finds no such form."""
    for parse in _parses(word):
        if parse.normal_form.replace("ё", "е") != lemma:
            continue
        # A noun's gender is its own, not its form's: "мужчине" -> "женщине".
        attributes = [a for a in _FORM_ATTRIBUTES if not (a == "gender" and parse.tag.POS == "NOUN")]
        wanted = {g for a in attributes if (g := getattr(parse.tag, a)) is not None}
        for target in _parses(other):
            if target.normal_form.replace("ё", "е") != other:
                continue
            form = target.inflect(wanted) or target.inflect(wanted - {parse.tag.POS})
            if form is not None:
                return form.word
    return None


def forms_of(lemma: str) -> frozenset[str]:
    """Every form of a Russian word given by its dictionary form, with е for ё: "упасть" -> упал, упала,
    упадёт ... (every paradigm the analyser reads the dictionary form as)."""
    return frozenset(
        form.word.replace("ё", "е")
        for parse in _parses(lemma)
        if parse.normal_form.replace("ё", "е") == lemma
        for form in parse.lexeme
    )
