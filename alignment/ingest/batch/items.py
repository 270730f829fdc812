"""What a batch reader hands on: the good items, each with its two sides, and the bad ones with their reasons."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date

from .. import clean_name, normalize_newlines

# The widest the database keeps them: Story.title and ImportItem.name, ImportItem.reason, Story.outlet.
TITLE_MAX = 300
REASON_MAX = 500
OUTLET_MAX = 200
LANGUAGES = {"en": "English", "ru": "Russian"}  # a pair's two sides, in the order they are read and reported


@dataclass(frozen=True)
class Side:
    """One language of an item: its text, read now, or a file a worker reads (a page or a .docx, as it came), or
    the address a worker fetches it from later."""

    text: str = ""
    file_name: str = ""  # the file the text came from; "" for a manifest's inline text
    encoding: str = ""  # of that file, or of the manifest holding the text
    url: str = ""
    raw: bytes | None = None

    def __post_init__(self):
        if (bool(self.text), bool(self.url), self.raw is not None).count(True) != 1:
            raise ValueError("A side holds one of its text, its file or its URL.")

    @property
    def content(self) -> str:
        return content(self.text, self.raw)


@dataclass(frozen=True)
class BatchItem:
    row: int  # a manifest's line number, or the pair's place in the zip
    title: str
    en: Side
    ru: Side
    published: date | None = None
    outlet: str = ""


@dataclass(frozen=True)
class BatchError:
    row: int
    name: str  # the item's title or file name, as far as it could be read
    reason: str  # for the person who made the batch


@dataclass(frozen=True)
class Batch:
    items: list[BatchItem]
    errors: list[BatchError]


def shown_name(name: str) -> str:
    """The batch file's own name for messages: the last part of a path (the command line passes one)."""
    return clean_name(name.replace("\\", "/").rpartition("/")[2])


def bad_item(row: int, name: str, reason: str) -> BatchError:
    return BatchError(row=row, name=clip(name, TITLE_MAX), reason=clip(reason, REASON_MAX))


def tidy(value: str, most: int) -> str:
    """One line of display text: whitespace runs made one space, control characters gone, at most ``most``."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch for ch in value if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return clip(" ".join(value.split()), most)


def clip(value: str, most: int) -> str:
    return value if len(value) <= most else value[: most - 1].rstrip() + "…"


def content(text: str, raw: bytes | None) -> str:
    """What a side is known by for ``fingerprint``: its text, or, for a file not read yet, the file's digest (the
    same file imported again is known; the same text in another file is not)."""
    return text if raw is None else f"file sha256:{hashlib.sha256(raw).hexdigest()}"


def canonical(text: str) -> bytes:
    """A text the same however its file ended its lines or trailed spaces, as fingerprints and checksums read it:
    NFC-normalised, its newlines made LF, each line's trailing whitespace and the whole text's outer whitespace
    taken off, in UTF-8."""
    lines = normalize_newlines(unicodedata.normalize("NFC", text)).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip().encode("utf-8")


def fingerprint(en_text: str, ru_text: str) -> str:
    """SHA-256 (hex) of a story's two texts, each ``canonical``. Each text goes in with its length, so moving words
    across the two sides changes it."""
    digest = hashlib.sha256()
    for text in (en_text, ru_text):
        encoded = canonical(text)
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return digest.hexdigest()
