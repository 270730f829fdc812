"""A pair where one side is much longer than the other: content added inside the sentence."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..types import NAMES, Divergence, Kind, Lang, Sentence
from .profile import Profile
from .report import differing
from .severity import severity

# One side longer than the other by this factor, after correcting for the document's own Russian-to-English
# length ratio, and by at least this many characters.
_PARTIAL_RATIO = 1.9
_PARTIAL_MIN_CHARS = 80
_FULL_EXCESS = 3.5  # a factor this far above _PARTIAL_RATIO is as serious as it gets


def partial(en: Sequence[Sentence], ru: Sequence[Sentence], profile: Profile) -> Divergence | None:
    en_chars = sum(len(s.text) for s in en)
    ru_chars = sum(len(s.text) for s in ru)
    expected_ru = en_chars * profile.length_ratio
    ratio = ru_chars / expected_ru if expected_ru else math.inf
    if ratio >= _PARTIAL_RATIO and ru_chars - expected_ru >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        side = Lang.RU
    elif ratio <= 1 / _PARTIAL_RATIO and expected_ru - ru_chars >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        side = Lang.EN
    else:
        return None
    factor = ratio if side == "ru" else 1 / ratio
    return Divergence(
        kind=Kind.PARTIAL,
        severity=severity(Kind.PARTIAL, (factor - _PARTIAL_RATIO) / _FULL_EXCESS),
        reason=f"{NAMES[side]} version is much longer: content added inside the sentence",
        en_spans=differing(en, "en", ru) if side == "en" else (),
        ru_spans=differing(ru, "ru", en) if side == "ru" else (),
    )
