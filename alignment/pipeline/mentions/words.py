"""What kind of word a word is, by the word lists, by its ending and, for Russian, by its morphology: a function
word, a sentence opener, a title, a generic word of an institution's name, an adjective made of a name."""

from __future__ import annotations

import re

from .. import lexicon
from . import morphology
from .script import EN_ADJECTIVE, is_cyrillic, skeleton, to_latin

# A hyphen splits words (Нью-Йорк, al-Assad); an apostrophe does not (O'Brien), unless it is an English
# possessive or contraction (Trump's, I'm, don't).
WORD = re.compile(r"[^\W\d_]+(?:['’](?!(?:s|m|t|d|ve|ll|re)\b)[^\W\d_]+)*")

FUNCTION_WORDS = lexicon.words("function_words")
NOT_NAMES = lexicon.words("titles") | lexicon.words("calendar")  # capitalised, but not names
# Common words that open sentences and quotations. Anything else capitalised there is taken for a name.
STARTERS = lexicon.words("sentence_starters")
_EN_DESCRIPTORS = lexicon.words("en_descriptors")
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
_EN_COMMON_ENDING = re.compile(r"(?:ly|tion|sion|ment|ness|ity|ies|ever|ing)$")
_DEMONYM = re.compile(r"(?:ians?|eans?|ans?|ese|ish|ic|ics|is?)$")


def generic_word(word: str) -> bool:
    """A word of the names of institutions, places and events that translators translate: Court, Committee,
    "Верховный", "Красного"."""
    lower = word.lower()
    if is_cyrillic(lower):
        return len(lower) >= 6 and bool(_RU_DESCRIPTOR.search(lower)) or bool(_RU_DESCRIPTOR.match(lower))
    return lower in _EN_DESCRIPTORS or bool(_EN_DESCRIPTOR_ENDING.search(lower))


def common_opener(word: str) -> bool:
    """Whether a capitalised word that opens a sentence is an ordinary word rather than a name."""
    lower = word.lower()
    if lower in STARTERS:
        return True
    if is_cyrillic(lower):
        return morphology.common_word(lower)
    return len(lower) >= 6 and bool(_EN_COMMON_ENDING.search(lower))


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
    if is_cyrillic(word):
        after = re.match(r"[\s-]+([^\W\d_]+)", text[end:])
        return bool(after and after.group(1)[0].islower() and morphology.adjective(word))
    root = _DEMONYM.sub("", word.lower())
    if root == word.lower() or len(root) < 3:
        return False
    # "Syrian" and "сирийский" begin alike; the other side is looked at only for its lowercase words.
    stem = skeleton(to_latin(root))[:2]
    return any(
        skeleton(to_latin(w.lower()))[:2] == stem for w in WORD.findall(other_text) if w[0].islower() and len(w) >= 5
    )


def adjective_form(word: str, lang: str) -> bool:
    """Whether a lowercase word is an adjective (or a demonym) that may be made of a name: "субботние",
    "канадский", "parisian"."""
    if is_cyrillic(word):
        return morphology.relative_adjective(word)
    return bool(EN_ADJECTIVE.search(word.lower()))
