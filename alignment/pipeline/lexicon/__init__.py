"""Word lists and example banks used by the alignment pipeline."""

from __future__ import annotations

import functools
from importlib import resources

# Each list is a UTF-8 text file in this package: "<name>.txt" with one entry a line, or "<name>.tsv" with
# tab-separated columns. Lines starting with "#" say what the list is and where it comes from.


def words(name: str) -> frozenset[str]:
    """The entries of the word list ``<name>.txt``."""
    return frozenset(entries(name))


def entries(name: str) -> tuple[str, ...]:
    """The entries of ``<name>.txt`` in the file's order, for lists whose order matters (a pattern's alternatives)."""
    return _lines(f"{name}.txt")


def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the table ``<name>.tsv``, each a tuple of its columns; a row may leave its last columns out."""
    return tuple(tuple(line.split("\t")) for line in _lines(f"{name}.tsv"))


@functools.cache
def _lines(filename: str) -> tuple[str, ...]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return tuple(line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
