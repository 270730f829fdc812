"""The pipeline's closed vocabularies: the two sides and the kinds of divergence. Their values are the names
used in the JSON contract."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    EN = "en"
    RU = "ru"


# How messages name each side.
NAMES = {Lang.EN: "English", Lang.RU: "Russian"}


class Kind(StrEnum):
    """Divergence kinds. The values are the names used in the JSON contract."""

    ONLY_EN = "only_en"
    ONLY_RU = "only_ru"
    BOILERPLATE = "boilerplate"
    NUMBER = "number"
    NAME = "name"
    MEANING = "meaning"
    PARTIAL = "partial"
    MOVED = "moved"  # unpaired here, and its counterpart unpaired elsewhere: the passage was moved
