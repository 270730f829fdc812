"""Bytes to text: the byte-order marks, UTF-16 without one, UTF-8, and the single-byte encodings of Russian and
English newsrooms."""

from __future__ import annotations

import codecs
import re

from .errors import SUPPORTED, IngestError

# The Russian letters and letter pairs that make up most running text, to tell a right decoding from a
# wrong one: Windows-1251 read as KOI8-R (or the reverse) gives a permutation of the alphabet, in which
# these become rare.
_RU_COMMON_LETTERS = frozenset("оеаинтсрвл")
_RU_COMMON_BIGRAMS = frozenset("ст но то на ен ов ни ра во ко ро ре по ал пр ер го ли ос ет ол ор ан ел".split())
# A lower-case letter right before a capital inside a word ("пРИВЕТ") is what the wrong one of the two
# turns mixed-case text into.
_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")
_RUSSIAN_ENCODINGS = ("windows-1251", "koi8-r")
_SAMPLE = 65_536


def decode(file_name: str, data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: a byte-order mark, UTF-16 recognised by its NUL bytes, strict
    UTF-8, the more Russian-looking of Windows-1251 and KOI8-R, and Windows-1252 (English) as a last resort."""
    for bom, encoding, codec in (
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(file_name, data, codec), encoding
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if not codec:
            raise IngestError(
                f"“{file_name}” looks like binary data, not text: it contains NUL bytes. "
                f"Upload the article as a {SUPPORTED} file.",
                code="binary",
            )
        return _strict(file_name, data, codec), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A long head of the text is plenty to judge by.
    russian = [
        (_russian_score(text[:_SAMPLE]), encoding, text) for encoding, text in _decodings(data, _RUSSIAN_ENCODINGS)
    ]
    if russian:
        _, encoding, text = max(russian)
        if _cyrillic_share(text[:_SAMPLE]) >= 0.3:
            return text, encoding
    # English with curly quotes or accents; ISO-8859-1 decodes any byte, so this always yields.
    encoding, text = next(_decodings(data, ("windows-1252", "iso-8859-1")))
    return text, encoding


def _strict(file_name: str, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise IngestError(
            f"“{file_name}” is not valid {codec.upper().removesuffix('-SIG')} text: it may be damaged, or not "
            "a text file at all. Save it again as UTF-8.",
            code="binary",
        ) from None


def _decodings(data: bytes, encodings: tuple[str, ...]):
    for encoding in encodings:
        try:
            yield encoding, data.decode(encoding)
        except UnicodeDecodeError:
            continue


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the NUL bytes sit in every other byte, as the high bytes of ASCII
    spaces and Latin letters do; None for binary data, which scatters them."""
    head = data[:8192]
    if len(data) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd >= 0.05 * pairs and even <= 0.1 * odd:
        codec = "utf-16-le"
    elif even >= 0.05 * pairs and odd <= 0.1 * even:
        codec = "utf-16-be"
    else:
        return None
    sample = head.decode(codec, errors="replace")  # the head may end inside a surrogate pair
    # The wrong byte order turns Latin and Cyrillic into CJK; the right one stays in the alphabets and
    # punctuation of European text.
    plausible = sum(1 for ch in sample if ord(ch) < 0x0530 or 0x2000 <= ord(ch) < 0x2150)
    return codec if plausible >= 0.9 * len(sample) else None


def _russian_score(text: str) -> float:
    lower = text.lower()
    letters = sum(1 for ch in lower if "а" <= ch <= "я" or ch == "ё")
    if not letters:
        return 0.0
    common = sum(1 for ch in lower if ch in _RU_COMMON_LETTERS)
    bigrams = sum(1 for a, b in zip(lower, lower[1:]) if a + b in _RU_COMMON_BIGRAMS)
    return (common + 2 * bigrams - 4 * len(_CASE_FLIP.findall(text))) / letters


def _cyrillic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff") / len(letters) if letters else 0.0


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
