"""Checks on raw input, before any work: is this text, and is each side in the language it claims?"""

from __future__ import annotations

import unicodedata
from collections import Counter

from .errors import PipelineError
from .types import NAMES, Lang

# Below this many letters a side is too short to judge its language; the aligner copes either way.
MIN_LETTERS_TO_JUDGE = 20


def check_text(text: str, lang: Lang) -> None:
    """Refuse what is not text: NUL bytes, control characters, undecodable bytes."""
    if not isinstance(text, str):
        raise PipelineError(f"The {NAMES[lang]} text must be a string.", side=lang.value, code="not_text")
    sample = text[:200_000]
    if not sample:
        return
    # The share of junk is judged on a sample; a NUL anywhere refuses the text (looking for one is a fast scan).
    # Judged per distinct character: a text has a few hundred, and a long one hundreds of thousands in all.
    bad = max(sum(count for ch, count in Counter(sample).items() if _is_junk(ch)), text.count("\x00"))
    if "\x00" in text or bad > max(8, len(sample) // 100):
        raise PipelineError(
            f"The {NAMES[lang]} text looks like binary data, not text: {bad:,} control or undecodable "
            "characters. Paste the article text, or upload a .txt, .md, .html or .docx file.",
            side=lang.value, code="binary",
        )


def _is_junk(ch: str) -> bool:
    if ch in "\n\r\t\f\v":
        return False
    if ch == "\ufffd":
        return True
    return unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def script_shares(text: str) -> tuple[float, float, int]:
    """(share of Latin letters, share of Cyrillic letters, number of letters)."""
    latin = cyrillic = letters = 0
    for ch, count in Counter(text[:200_000]).items():  # per distinct character, as in check_text
        if not ch.isalpha():
            continue
        letters += count
        if "a" <= ch.lower() <= "z":
            latin += count
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += count
    if not letters:
        return 0.0, 0.0, 0
    return latin / letters, cyrillic / letters, letters


def detect_language(text: str) -> Lang | None:
    """English or Russian by script; None when too short or too mixed to say."""
    latin, cyrillic, letters = script_shares(text)
    if letters < MIN_LETTERS_TO_JUDGE:
        return None
    if cyrillic >= 0.5:
        return Lang.RU
    if latin >= 0.6:
        return Lang.EN
    return None


def check_languages(en_text: str, ru_text: str) -> None:
    """Each side in its own language. Russian news quotes English names, so judge by the majority."""
    en_lang, ru_lang = detect_language(en_text), detect_language(ru_text)
    if en_lang == Lang.RU and ru_lang == Lang.EN:
        raise PipelineError(
            "The two texts look swapped: the English side is in Russian and the Russian side in English.",
            code="swapped",
        )
    if en_lang == Lang.RU:
        raise PipelineError(
            "The English text is in Russian. Both sides seem to be Russian: paste the English version here.",
            side="en", code="same_language",
        )
    if ru_lang == Lang.EN:
        raise PipelineError(
            "The Russian text is in English. Both sides seem to be English: paste the Russian version here.",
            side="ru", code="same_language",
        )
