"""Bytes to text. A byte-order mark or strict UTF-8 settles it; otherwise charset-normalizer chooses among the
encodings a Russian or an English newsroom is likely to use."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .errors import SUPPORTED, IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The candidates, by charset-normalizer's names, and the names people are shown (and Document.encoding keeps).
# Left free to choose among all it knows, it reads a short Russian text as Shift JIS or Greek now and then.
_UTF16 = {"utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be"}
_SINGLE_BYTE = {"cp1252": "windows-1252", "cp1251": "windows-1251", "koi8_r": "koi8-r"}


def decode(file_name: str, data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: a byte-order mark, UTF-16 (the only text with NUL bytes), strict
    UTF-8, then the likeliest of Windows-1251, KOI8-R and Windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(file_name, data, codec), codec
    if b"\x00" in data:
        match = from_bytes(data, cp_isolation=list(_UTF16)).best()
        if match is None:
            raise IngestError(
                f"“{file_name}” looks like binary data, not text: it contains NUL bytes. "
                f"Upload the article as a {SUPPORTED} file.",
                code="binary",
            )
        return str(match), _UTF16[match.encoding]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = from_bytes(data, cp_isolation=list(_SINGLE_BYTE)).best()
    if match is not None:
        # Curly quotes and dashes sit at the same bytes in Windows-1251 and 1252. A text that both read alike
        # has no Cyrillic letters, so it takes the English name.
        return str(match), next(name for codec, name in _SINGLE_BYTE.items() if codec in match.could_be_from_charset)
    # Too garbled for any of them to look like language: read as English, for the caller's check for control
    # characters to judge whether it is text at all.
    try:
        return data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError:  # one of the five bytes it leaves undefined; ISO-8859-1 decodes any byte
        return data.decode("iso-8859-1"), "iso-8859-1"


def _strict(file_name: str, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise IngestError(
            f"“{file_name}” is not valid {codec.upper().removesuffix('-SIG')} text: it may be damaged, or not "
            "a text file at all. Save it again as UTF-8.",
            code="binary",
        ) from None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
