"""Dates and month names in English and Russian, as keys: "5 сентября" and "Sept. 5" are both ``date:09-05``."""

from __future__ import annotations

import re

from .. import lexicon

EN_MONTHS = {name: int(month) for name, month in lexicon.table("en_months")}
_EN_MONTH = re.compile(r"\b(" + "|".join(name.capitalize() for name in EN_MONTHS) + r")\b\.?")
_RU_MONTH_STEMS = {stem: int(month) for stem, month in lexicon.table("ru_month_stems")}
# The endings each Russian month takes; the groups hold the stems of ru_month_stems.tsv.
RU_MONTH = re.compile(
    r"(?<![^\W\d_])(?i:(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ём|ем|ьск\w+)"
    r"|(март|август)(?:а|е|у|ом|овск\w+)?|(ма)(?:й|я|е|ю|ем|йск\w+))(?![^\W\d_])"
)
# "May" is also a name and a verb: alone it is a month only after a telling word.
_MAY_CONTEXT = re.compile(r"\b(?:in|of|since|until|till|by|early|late|mid|last|next|this|from|to)[\s-]+$", re.I)
_YEAR_AFTER = re.compile(r",?\s?(?P<year>(?:1[89]|20)\d\d)(?!\d)(?:\s?(?:года|году|год|г\.))?")


def dates(text: str, lang: str):
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
        yield start, end, (_date_key(year, EN_MONTHS[name.lower()], day),)


def _lone_month(name: str, before: str) -> bool:
    """Whether a month name with neither day nor year is a month: not "Mar" or "Jan" alone, and "May" only
    after a telling word ("in May", not "Theresa May")."""
    if name in ("Mar", "Jan", "Jun", "Sep"):
        return False
    return name != "May" or bool(_MAY_CONTEXT.search(before))


def _ru_dates(text: str):
    for match in RU_MONTH.finditer(text):
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
        yield start, end, (_date_key(year, _RU_MONTH_STEMS[stem], day),)


def _date_key(year: str | None, month: int, day: int | None) -> str:
    if day is None:
        return f"date:{year}-{month:02d}" if year else f"month:{month:02d}"
    return f"date:{year}-{month:02d}-{day:02d}" if year else f"date:{month:02d}-{day:02d}"


def date_parts(key: str) -> tuple[str, ...]:
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
