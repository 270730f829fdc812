"""A manifest: one story a row, for the browser's batch import and for `manage.py import_pairs`.

The contract (outside evaluations rely on it): CSV or TSV with a header row. Columns `title`, `en`, `ru`, and
optionally `published` (ISO date) and `outlet`. `en` and `ru` each hold either a file path relative to the
manifest or an http(s) URL.

How it is read:
- The delimiter is read from the header line: a tab makes it TSV; otherwise a comma, or a semicolon when the header
  has more of those (Excel in a Russian locale saves CSV so). Both take double quotes around a cell that holds the
  delimiter, a quote or a line break, and a quote left open refuses the manifest. Column names are matched without
  regard to case; other columns are passed over. The bytes are decoded as an upload is (a byte-order mark, UTF-8,
  else the likeliest of Windows-1251, KOI8-R and Windows-1252).
- Rows are numbered by the line they start on, the header being row 1: the first row of data is row 2, and a
  row after a cell spanning three lines is numbered as an editor shows it. Blank rows are passed over.
- A side (`en` or `ru`) is, in this order:
  - an address, when it starts with a scheme and `://`: only http and https are taken, and a worker fetches it;
  - a file path, when it is one line ending in an extension (a dot, a letter and up to four more letters or
    digits: texts/putin.en.txt, a.docx, notes.pdf). Backslashes count as slashes. The path is resolved against
    the manifest's folder (`base`), following symbolic links, and must stay inside it. It is read as an upload of
    its own. A manifest uploaded in the browser has no folder (`base` is None), so a path there is a bad row;
  - otherwise the text itself (the issue's "the English text or URL"), which must hold a space: a lone word such as
    www.example.com/story is neither address, file nor article, and is a bad row.
- A row missing its title, with an empty side, a date that is not ISO (2024-03-01, or a date and time such as
  2024-03-01T09:30:00Z), a file that is not there or leaves the folder, or an address that is not http(s), is a
  BatchError naming the row; the rest goes on. A header without `title`, `en` or `ru` refuses the whole manifest,
  as do more rows than SVERKA_BATCH_MAX_FILES / 2 and files adding up to more than SVERKA_BATCH_MAX_BYTES.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .. import IngestError, check_size, clean_name, format_size, normalize_newlines, read_later, read_upload
from ..encodings import decode
from ..magic import sniff
from .items import (
    LANGUAGES, OUTLET_MAX, TITLE_MAX, Batch, BatchError, BatchItem, Side, bad_item, shown_name, tidy,
)

REQUIRED = ("title", "en", "ru")
OPTIONAL = ("published", "outlet")
URL_MAX = 2000  # Document.source_url keeps this many characters
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_PATH = re.compile(r"[^\n]{0,1000}\.[A-Za-z][A-Za-z0-9]{0,4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].+)?")


def read_manifest(name: str, data: bytes, base: Path | None, limit: int) -> Batch:
    """The rows of a manifest (``name`` is shown in messages; ``base`` is the folder file paths are relative to,
    None for an upload; ``limit`` bytes per side). Raises IngestError when the manifest as a whole cannot be
    taken; a bad row becomes a BatchError and the rest goes on."""
    manifest_name = shown_name(name)
    if not data:
        raise IngestError(f"“{manifest_name}” is empty.", code="empty")
    kind = sniff(data)
    if kind:  # most likely the zip of pairs, given where the manifest goes
        raise IngestError(f"“{manifest_name}” is {kind}, not a CSV or TSV manifest.", code="mismatch")
    text, encoding = decode(manifest_name, data)
    text = text.removeprefix("\ufeff")
    delimiter = _delimiter(re.split(r"\r\n|\r|\n", text, maxsplit=1)[0])
    records = _records(manifest_name, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    _line, header = next(records, (1, []))
    columns = [cell.strip().lower() for cell in header]
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise IngestError(
            f"The header row of “{manifest_name}” lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. It must name the columns title, en and ru (and, if you like, published and "
            "outlet), separated by commas, semicolons or tabs.",
            code="bad_header",
        )
    index = {column: columns.index(column) for column in (*REQUIRED, *OPTIONAL) if column in columns}
    max_rows, max_bytes = settings.SVERKA_BATCH_MAX_FILES // 2, settings.SVERKA_BATCH_MAX_BYTES
    items, errors, rows, read = [], [], 0, 0
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if rows > max_rows:
            raise IngestError(
                f"“{manifest_name}” has more than {max_rows:,} rows; a batch may hold {max_rows:,} stories. Split it.",
                code="too_many",
            )
        item, size = _row(row, cells, index, len(columns), base, limit, encoding)
        (errors if isinstance(item, BatchError) else items).append(item)
        read += size
        if read > max_bytes:
            raise IngestError(
                f"The files “{manifest_name}” names come to more than {format_size(max_bytes)}, the most a batch may "
                "hold. Split it.",
                code="too_large",
            )
    if not rows:
        raise IngestError(f"“{manifest_name}” has a header row but no stories under it.", code="empty")
    return Batch(items=items, errors=errors)


def _delimiter(header: str) -> str:
    if "\t" in header:
        return "\t"
    return ";" if header.count(";") > header.count(",") else ","


def _records(manifest_name: str, reader):
    """(the line a record starts on, its cells) for each record; a record may span lines inside quotes."""
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        problem = (
            f"a cell is longer than {csv.field_size_limit():,} characters: put a text that long in a file or at "
            "an address"
            if "field larger" in str(error)
            else "a double quote is left open or followed by more text; a cell holding quotes must be wrapped in "
            'double quotes, with each quote inside doubled ("")'
        )
        raise IngestError(
            f"“{manifest_name}” cannot be read from line {start}: {problem}.", code="bad_manifest"
        ) from None


def _row(row, cells, index, width, base, limit, encoding) -> tuple[BatchItem | BatchError, int]:
    """The row's item or error, and how many bytes of files it read."""

    def cell(column: str) -> str:
        place = index.get(column)
        return cells[place].strip() if place is not None and place < len(cells) else ""

    title = tidy(cell("title"), TITLE_MAX)
    name = title or f"row {row}"
    if any(extra.strip() for extra in cells[width:]):
        return bad_item(
            row, name, f"The row has {len(cells)} cells but the header {width}: a text holding the delimiter must be "
            "wrapped in double quotes."
        ), 0
    problems = [] if title else ["The title is empty."]
    published = None
    if cell("published"):
        try:
            published = _date(cell("published"))
        except ValueError:
            problems.append(f"The date “{tidy(cell('published'), 40)}” is not an ISO date such as 2024-03-01.")
    sides, read = {}, 0
    for language in LANGUAGES:
        try:
            sides[language], size = _side(language, cell(language), base, limit, encoding)
            read += size
        except IngestError as error:
            problems.append(error.message)
    if problems:
        return bad_item(row, name, " ".join(problems)), read
    return BatchItem(row=row, title=title, published=published, outlet=tidy(cell("outlet"), OUTLET_MAX), **sides), read


def _side(language: str, value: str, base: Path | None, limit: int, encoding: str) -> tuple[Side, int]:
    """The side a cell gives, and the bytes read for it from a file."""
    side = LANGUAGES[language]
    shown = tidy(value, 120)
    if not value:
        raise IngestError(f"The {side} side is empty.", code="empty")
    if _SCHEME.match(value):
        return Side(url=_url(side, value)), 0
    if _PATH.fullmatch(value):
        if base is None:
            raise IngestError(
                f"The {side} side “{shown}” names a file, but a manifest uploaded here cannot bring files: give the "
                "text itself or an http(s) address, or import the files as a zip of pairs.",
                code="file_in_upload",
            )
        return _file(side, value, base, limit)
    if not any(ch.isspace() for ch in value):
        raise IngestError(
            f"The {side} side “{shown}” is neither an http(s) address, a file name, nor an article: write an address "
            "in full, with https://.",
            code="not_text",
        )
    size = len(value.encode("utf-8"))
    if size > limit:
        raise IngestError(
            f"The {side} text is {format_size(size)}; the limit is {format_size(limit)} per side.", code="too_large"
        )
    return Side(text=normalize_newlines(value), encoding=encoding), 0


def _url(side: str, value: str) -> str:
    shown = tidy(value, 120)
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is not None and parts.scheme.lower() not in ("http", "https"):
        raise IngestError(
            f"The {side} address “{shown}” starts with {parts.scheme}://; only http and https pages can be fetched.",
            code="bad_scheme",
        )
    if parts is None or not parts.hostname or any(ch.isspace() for ch in value) or len(value) > URL_MAX:
        raise IngestError(f"The {side} address “{shown}” is not a valid web address.", code="bad_url")
    return value


def _file(side: str, value: str, base: Path, limit: int) -> tuple[Side, int]:
    shown = tidy(value, 120)
    relative = Path(value.replace("\\", "/"))
    if relative.is_absolute() or re.match(r"[A-Za-z]:[\\/]", value):
        raise IngestError(
            f"The {side} file “{shown}” is given by an absolute path; give it relative to the manifest.",
            code="bad_path",
        )
    try:
        root = base.resolve()
        path = (root / relative).resolve()
        inside, found = path.is_relative_to(root), path.is_file()
    except (OSError, ValueError):  # ValueError: a NUL in the path
        raise IngestError(f"The {side} file “{shown}” cannot be read.", code="unreadable") from None
    if not inside:
        raise IngestError(f"The {side} file “{shown}” lies outside the manifest's folder.", code="bad_path")
    if not found:
        raise IngestError(f"The {side} file “{shown}” is not there, next to the manifest.", code="missing")
    file_name = clean_name(relative.name)
    try:
        size = path.stat().st_size
        check_size(file_name, size, limit)
        data = path.read_bytes()
    except OSError:
        raise IngestError(f"The {side} file “{shown}” cannot be read.", code="unreadable") from None
    later = read_later(file_name, data, limit)
    if later:
        return Side(raw=later.data, file_name=later.file_name), len(data)
    extracted = read_upload(file_name, data, limit)
    return Side(text=extracted.text, file_name=extracted.file_name, encoding=extracted.encoding), len(data)


def _date(value: str) -> date:
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(value)
    return datetime.fromisoformat(value).date() if len(value) > 10 else date.fromisoformat(value)
