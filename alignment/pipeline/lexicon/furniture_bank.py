"""Load the furniture bank: example lines of outlet furniture, per outlet and language.

The bank lives in the package ``alignment.pipeline.lexicon.furniture`` as one
text file per outlet and language, ``<outlet-slug>.<lang>.txt``. Its format is
described in that folder's README.md. This module is pure Python (no Django) and
reads the files through ``importlib.resources``, so it works from an installed
wheel as well as from the source tree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "BANK_PACKAGE",
    "HEADER_KEYS",
    "LABELS",
    "LANGS",
    "Example",
    "load_bank",
    "outlet_names",
    "parse_file",
]

BANK_PACKAGE = "alignment.pipeline.lexicon.furniture"

LANGS = ("en", "ru")

HEADER_KEYS = ("outlet", "language", "source")

LABELS = frozenset(
    {
        "donation appeal",
        "newsletter prompt",
        "link to another story",
        "photo credit",
        "byline",
        "cookie notice",
        "report a typo",
        "social media prompt",
        "update note",
        "sharing note",
        "app prompt",
        "legal label",
        "comment prompt",
        "audio prompt",
        "tags",
        "reading time",
        "paywall",
        "advertisement",
        "copyright notice",
    }
)

_FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.txt$")
_HEADER = re.compile(r"^# (?P<key>[a-z]+): (?P<value>\S.*)$")
_LABEL = re.compile(r"^\[(?P<label>[^\]]*)\]$")


@dataclass(frozen=True)
class Example:
    """One furniture line.

    ``outlet`` is the file's slug (``bbc-russian``), ``lang`` its language
    (``en``/``ru``), ``label`` the block's label, ``block`` the 0-based index of
    the block within its file, ``text`` the line exactly as written.
    """

    outlet: str
    lang: str
    label: str
    block: int
    text: str


def _error(name: str, lineno: int, message: str) -> ValueError:
    return ValueError(f"{name}, line {lineno}: {message}")


def parse_file(name: str, content: str) -> tuple[dict[str, str], tuple[Example, ...]]:
    """Parse one bank file; return its header and its examples.

    Raise ValueError naming the file and the line for anything malformed.
    """
    match = _FILE_NAME.match(name)
    if match is None:
        raise _error(name, 0, "file name is not <outlet-slug>.<lang>.txt")
    slug, lang = match["slug"], match["lang"]
    if lang not in LANGS:
        raise _error(name, 0, f"language {lang!r} is not one of {LANGS}")
    if content.startswith("\ufeff"):
        raise _error(name, 1, "byte-order mark")

    header: dict[str, str] = {}
    examples: list[Example] = []
    block = -1  # index of the current block; -1 while in the header
    label: str | None = None  # None between blocks
    lines_in_block = 0

    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    for lineno, line in enumerate(lines, start=1):
        if "\r" in line or "\t" in line:
            raise _error(name, lineno, "carriage return or tab")
        if line != line.rstrip():
            raise _error(name, lineno, "trailing whitespace")
        if line != line.lstrip():
            raise _error(name, lineno, "leading whitespace")
        if block == -1 and line.startswith("#"):
            head = _HEADER.match(line)
            if head is None:
                raise _error(name, lineno, "header line is not '# key: value'")
            key = head["key"]
            if key not in HEADER_KEYS:
                raise _error(name, lineno, f"unknown header key {key!r}")
            if key in header:
                raise _error(name, lineno, f"header key {key!r} repeated")
            header[key] = head["value"]
            continue
        if line == "":
            if label is not None and lines_in_block == 0:
                raise _error(name, lineno, f"block [{label}] has no lines")
            label = None
            continue
        if label is None:
            found = _LABEL.match(line)
            if found is None:
                raise _error(name, lineno, "expected a [label] line to start a block")
            if found["label"] not in LABELS:
                raise _error(name, lineno, f"unknown label {found['label']!r}")
            if block == -1:
                missing = [key for key in HEADER_KEYS if key not in header]
                if missing:
                    raise _error(name, lineno, f"header lacks {', '.join(missing)}")
                if header["language"] != lang:
                    raise _error(
                        name, lineno, f"header language {header['language']!r} but file name says {lang!r}"
                    )
            label = found["label"]
            block += 1
            lines_in_block = 0
            continue
        if _LABEL.match(line) and line[1:-1] in LABELS:
            raise _error(name, lineno, "a [label] line inside a block (missing blank line?)")
        examples.append(Example(outlet=slug, lang=lang, label=label, block=block, text=line))
        lines_in_block += 1

    if block == -1:
        raise _error(name, len(lines), "no blocks")
    if label is not None and lines_in_block == 0:
        raise _error(name, len(lines), f"block [{label}] has no lines")
    return header, tuple(examples)


@functools.cache
def _parsed() -> tuple[tuple[str, dict[str, str], tuple[Example, ...]], ...]:
    folder = resources.files(BANK_PACKAGE)
    out = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".txt"):
            continue
        header, examples = parse_file(entry.name, entry.read_text(encoding="utf-8"))
        out.append((entry.name, header, examples))
    return tuple(out)


def load_bank() -> tuple[Example, ...]:
    """Every example in the bank, file by file (sorted by file name), in file order."""
    return tuple(example for _, _, examples in _parsed() for example in examples)


def outlet_names() -> dict[str, str]:
    """Map each outlet slug to the outlet's name as written in its files' headers."""
    return {name.split(".", 1)[0]: header["outlet"] for name, header, _ in _parsed()}
