"""Numbers on one side of a pair with no equal on the other, once both are normalised ("1,5 млн" is
"1.5 million")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from ..mentions import Mention, number_keys, number_matches, number_mentions
from ..types import Divergence, Kind, Sentence
from .report import listing, real_sentences
from .severity import severity

_DEGREES = re.compile(r"\s?(?:°|градус)", re.I)
# A lone unmatched number, with nothing on the other side to measure it against, is middling (severity 0.5),
# and two that disagree but cannot both be read as values a little more (0.6).
_LONE_NUMBER = 1 / 6
_UNREADABLE_PAIR = 1 / 3


def numbers(en: Sequence[Sentence], ru: Sequence[Sentence]) -> Divergence | None:
    """Numbers on one side with no equal on the other, once both are normalised ("1,5 млн" = "1.5 million")."""
    en_mentions = [m for s in en for m in number_mentions(s, "en")]
    ru_mentions = [m for s in ru for m in number_mentions(s, "ru")]
    if not en_mentions or not ru_mentions or not real_sentences(en, ru):
        return None  # one side without numbers has rephrased them ("a dozen", "half"), not changed them
    en_keys = frozenset().union(*(number_keys(s.text, "en") for s in en))
    ru_keys = frozenset().union(*(number_keys(s.text, "ru") for s in ru))
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
        reason = f"Number differs: {listing(en_missing)} in English, {listing(ru_missing)} in Russian"
    elif en_missing:
        reason = f"Number only in English: {listing(en_missing)}"
    else:
        reason = f"Number only in Russian: {listing(ru_missing)}"
    return Divergence(
        kind=Kind.NUMBER,
        severity=severity(Kind.NUMBER, _strength(en_missing, ru_missing)),
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


def _answered(missing: Sequence[Mention], other_missing: Sequence[Mention]) -> list[Mention]:
    """The firm numbers among ``missing``, and the tentative ones too if the other side misses digits, or if
    each side misses exactly one number written in words ("three" against «семь»): one figure put for
    another, where a translator's rephrasing would leave one side without a number at all."""
    answered = any(re.search(r"\d", m.text) for m in other_missing) or (
        len(missing) == len(other_missing) == 1 and not any(re.search(r"\d", m.text) for m in (*missing, *other_missing))
    )
    return [m for m in missing if not m.tentative or answered]


def _unmatched_numbers(mentions: Sequence[Mention], other_keys: frozenset[str], others: Sequence[Mention]):
    # A translator converts inches to centimetres and Fahrenheit to Celsius: a measure in one system is
    # not expected on a side that measures in the other.
    other_units = {m.unit for m in others if m.unit}
    return [
        m
        for m in mentions
        if not number_matches(m, other_keys) and not (m.unit and other_units - {m.unit})
    ]


def _strength(en_missing: Sequence[Mention], ru_missing: Sequence[Mention]) -> float:
    """Higher when the numbers that disagree are far apart; a lone unmatched number is middling."""
    if not en_missing or not ru_missing:
        return _LONE_NUMBER
    a, b = _value(en_missing[0].key), _value(ru_missing[0].key)
    if a is None or b is None:
        return _UNREADABLE_PAIR
    difference = abs(a - b) / max(abs(a), abs(b), 1e-9)
    return 2 * difference


def _value(key: str) -> float | None:
    try:
        return float(Decimal(key.rstrip("%")))
    except InvalidOperation:
        return None
