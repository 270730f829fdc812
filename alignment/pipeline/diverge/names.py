"""A name put for another, or a name one side has and the other lacks, judged from the names of a bead as
:mod:`.reading` reads them."""

from __future__ import annotations

from collections.abc import Sequence

from ..mentions import dictionary_name, known_proper_noun, names_alike
from ..types import NAMES, Divergence, Kind
from .profile import Profile
from .reading import Name, NameReading, exonym
from .report import listing
from .severity import severity


def names(reading: NameReading | None, profile: Profile) -> Divergence | None:
    """A name put for another, or a name one side has and the other lacks.

    Translators drop first names (once the story has introduced the person), turn a repeated name into "он",
    spell out acronyms, translate the names of institutions and render some names their own way, so most
    names one side lacks on a faithful translation are explained by one of those (see :func:`_excuse`). What
    no excuse explains counts in four ways:

    - each side has a name the other lacks, the two not even loosely alike: one name was put for another;
    - one side has a name that nothing explains, and the other some capitalised word of its own: the same;
    - one side has a name the vocabulary knows only with a capital (or the Russian dictionary as a name) and
      the story gives nowhere else, and the other only a country, a people or a party: "the Johnson Party" for
      "Демократической партии", "в Детройте" for "in London";
    - one side alone has such a name, and the other side has no more "he" or "она" than this one to stand
      for it: it was dropped here, or added. Alone, a name must be one beyond doubt (:func:`_distinct`): the
      translator renders it elsewhere in the story, the encoder's vocabulary holds it only with a capital
      (Jakarta, Twitter), or the Russian side keeps it in Latin letters. Other capitalised words are as
      often common words the other side translates (Plaza, Variety).
    """
    if reading is None or not reading.real:
        return None
    en_left, ru_left = _left_over(reading.en, reading.ru, profile), _left_over(reading.ru, reading.en, profile)
    # A short name ("Rahm", "Rossi") is too like too many spellings to count alone, but where the other side has
    # a name of its own that nothing here explains, it is the name that one was put for.
    if ru_left and not en_left:
        en_left = _left_over(reading.en, reading.ru, profile, short=True)
    elif en_left and not ru_left:
        ru_left = _left_over(reading.ru, reading.en, profile, short=True)
    en_put, ru_put = _put_for_another(reading, en_left, ru_left)
    if en_put and ru_put:
        return _name_differs(en_put, ru_put)
    if en_left and ru_left:
        # A name where the other side has only a country, a people or a party: "the Johnson Party" for
        # "Демократической партии", "Russia and Coleman" for "Россией и Турцией". (Capitals are exonyms
        # too, so "Madrid" for "Испании", one place for another, is no stranger.)
        en_named, ru_named = _stranger(en_left, profile), _stranger(ru_left, profile)
        if en_named and all(exonym(n) for n in ru_left):
            return _name_differs(en_named, ru_left)
        if ru_named and all(exonym(n) for n in en_left):
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
        severity=severity(Kind.NAME),
        reason=f"Name only in {NAMES[side]}: {listing([n.mention for n in missing])}",
        en_spans=spans if side == "en" else (),
        ru_spans=spans if side == "ru" else (),
    )


def _distinct(names: Sequence[Name], profile: Profile) -> list[Name]:
    """The firm names that are names beyond doubt: the translator renders them elsewhere in the story, the
    vocabulary knows them only with a capital, or the Russian side keeps them in Latin letters (Uber)."""
    return [
        n
        for n in _firm(names)
        if n.mention.key in profile.matched_names
        or known_proper_noun(n.mention.text)
        or _latin_in_russian(n)
    ]


def _latin_in_russian(name: Name) -> bool:
    return name.lang == "ru" and name.mention.text.isascii()


def _stranger(names: Sequence[Name], profile: Profile) -> list[Name]:
    """Firm names the vocabulary knows only with a capital, or the Russian dictionary as a name (Детройта,
    Денвере), and the story renders nowhere else."""
    return [
        n
        for n in _firm(names)
        if n.mention.key not in profile.matched_names
        and (known_proper_noun(n.mention.text) or dictionary_name(n.mention.text))
    ]


def _put_for_another(
    reading: NameReading, en_left: list[Name], ru_left: list[Name]
) -> tuple[list[Name], list[Name]]:
    """The names on each side that stand where the other side has a name of its own; empty lists if none."""
    # Countries and capitals stand for governments and peoples: "Madrid" may be "Испания".
    en, ru = [n for n in en_left if not exonym(n)], [n for n in ru_left if not exonym(n)]
    if en and ru:
        return en, ru
    # A name nothing explains, where the other side has a capitalised word too short or too common to be
    # taken for a name on its own ("Ураган Джонсон" for "Hurricane Rosa"), or a place: a city or a country may
    # stand for another country or its people, never for a name that is neither ("в Портленде" for "in London").
    if _firm(en) and not ru:
        return _firm(en), _capitalised(reading.ru, _firm(en))
    if _firm(ru) and not en:
        return _capitalised(reading.en, _firm(ru)), _firm(ru)
    return [], []


def _name_differs(en: Sequence[Name], ru: Sequence[Name]) -> Divergence:
    en_mentions, ru_mentions = [n.mention for n in en], [n.mention for n in ru]
    # A first name put for another, the surname the same, matters less than another person altogether.
    first_names = all(n.given for n in en) or all(n.given for n in ru)
    return Divergence(
        kind=Kind.NAME,
        severity=severity(Kind.NAME, 0.0 if first_names else 1.0),
        reason=f"Name differs: {listing(en_mentions)} in English, {listing(ru_mentions)} in Russian",
        en_spans=tuple(m.span for m in en_mentions),
        ru_spans=tuple(m.span for m in ru_mentions),
    )


def _left_over(names: Sequence[Name], others: Sequence[Name], profile: Profile, short: bool = False) -> list[Name]:
    """The unexplained names not even loosely alike a name the other side lacks: Jong is Чен, Francois
    Франсуа. ``short`` takes in names of a short consonant skeleton too (see :func:`_unexplained`)."""
    lacking = [o.mention.text for o in others if not o.found]
    return [
        n
        for n in names
        if _unexplained(n, profile, short) and not any(names_alike(n.mention.text, w, loose=True) for w in lacking)
    ]


def _firm(names: Sequence[Name]) -> list[Name]:
    """The names nothing explains, whose capital says they are names."""
    return [n for n in names if not n.excuse and not n.opener and not exonym(n)]


def _capitalised(names: Sequence[Name], others: Sequence[Name]) -> list[Name]:
    """Capitalised words of a side that the other side lacks, short names ("Kim", "Roe") and places included."""
    return [
        n
        for n in names
        if not n.found
        and not n.opener
        and len(n.mention.text) >= 3
        and n.mention.text[0].isupper()
        and not n.mention.key.startswith("#")
        and not any(names_alike(n.mention.text, o.mention.text, loose=True) for o in others)
    ]


def _unexplained(name: Name, profile: Profile, short: bool = False) -> bool:
    """A name the other side lacks for no reason the document shows, and distinctive enough to notice."""
    key = name.mention.key
    return (
        not name.found
        and name.mention.text[:1].isupper()  # Russian lowercase adjectives ("российский") only confirm names
        and len(name.mention.text) >= 4  # "Ri", "Lee", "Ли": too short to tell one name from another
        and (len(key) >= (2 if short else 3) or len(name.mention.text) >= 6)
        and not key.startswith("#")  # acronyms come and go: LSU is "Университет штата Луизиана"
        and (not name.opener or any(k in profile.confirmed_names for k in name.mention.keys))
        and key not in profile.habitual_names
    )
