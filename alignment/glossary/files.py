"""A glossary as a file, out and in.

- CSV: a header and one name a row, ``en``, ``ru``, ``en_variants``, ``ru_variants``, ``note``, the variants
  separated by semicolons; UTF-8 with a byte order mark, for spreadsheets, and a cell that would open as a formula
  marked as text (alignment.exports.spreadsheet_safe), which reading takes off again. Commas, tabs or semicolons
  may separate the columns of a file read in.
- TBX (TermBase eXchange, in TBX-Basic's shape): a ``termEntry`` per name with its note, a ``langSet`` per
  language, a ``tig`` per spelling, the usual one first; terminology tools and translate-toolkit read it. TBX 3's
  ``conceptEntry``, ``langSec`` and ``termSec`` are read too.

A file read in is not trusted: its size is bounded by the caller, XML goes through defusedxml (no entities, nothing
external), and a bad row or entry is reported by its number while the others are read.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from alignment.exports import csv_text, spreadsheet_safe, xml_text
from alignment.glossary.entries import MAX_SPELLING, MAX_VARIANTS, Spelled, split_variants
from alignment.models import GlossaryEntry

CSV_HEADER = ["en", "ru", "en_variants", "ru_variants", "note"]
MAX_ENTRIES = 5_000
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryFileError(ValueError):
    """A file that cannot be read as a glossary at all; the message says why, for a person."""


@dataclass
class Read:
    entries: list[Spelled] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "Row 4: no Russian spelling.", one per row left out


# ---------------------------------------------------------------------------------------------------- Out


def export_csv(entries: Iterable[GlossaryEntry]) -> bytes:
    rows = [[e.en, e.ru, "; ".join(e.en_variants), "; ".join(e.ru_variants), e.note] for e in entries]
    return csv_text([CSV_HEADER, *([spreadsheet_safe(cell) for cell in row] for row in rows)]).encode("utf-8-sig")


def export_tbx(entries: Iterable[GlossaryEntry], title: str) -> bytes:
    martif = ET.Element("martif", {"type": "TBX", XML_LANG: "en"})
    description = ET.SubElement(ET.SubElement(martif, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(description, "titleStmt"), "title").text = xml_text(title)
    ET.SubElement(ET.SubElement(description, "sourceDesc"), "p").text = "A names glossary exported from Sverka"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for entry in entries:
        term_entry = ET.SubElement(body, "termEntry", {"id": f"c{entry.code}"})
        if entry.note:
            ET.SubElement(term_entry, "note").text = xml_text(entry.note)
        for language in ("en", "ru"):
            lang_set = ET.SubElement(term_entry, "langSet", {XML_LANG: language})
            for spelling in entry.spellings(language):
                ET.SubElement(ET.SubElement(lang_set, "tig"), "term").text = xml_text(spelling)
    ET.indent(martif)
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
    return declaration + ET.tostring(martif, encoding="utf-8", xml_declaration=False) + b"\n"


# ---------------------------------------------------------------------------------------------------- In


def read(data: bytes, name: str = "") -> Read:
    """The entries of a CSV or TBX file (by its name, or failing that by its first character), and a word on each
    one left out. Raises GlossaryFileError for a file that is neither."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.lower().endswith((".tbx", ".xml")) or text.startswith(b"<"):
        return read_tbx(data)
    try:
        return read_csv(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise GlossaryFileError("The file is not UTF-8 text: save it as CSV (UTF-8) or TBX.") from None


_COLUMNS = {"en": "en", "english": "en", "ru": "ru", "russian": "ru", "en_variants": "en_variants",
            "ru_variants": "ru_variants", "note": "note"}


def read_csv(text: str) -> Read:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = next((d for d in (",", "\t", ";") if {"en", "ru"} <= _header(header_line.split(d))), None)
    if delimiter is None:
        raise GlossaryFileError("The CSV file needs a header row naming its columns, “en” and “ru” at least.")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [_COLUMNS.get(c.strip().lower(), "") for c in next(reader)]
    found = Read()
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: _unmarked(cell) for column, cell in zip(columns, row) if column}
        _add(found, f"Row {reader.line_num}", cells.get("en", ""), cells.get("ru", ""),
             split_variants(cells.get("en_variants", "")), split_variants(cells.get("ru_variants", "")),
             cells.get("note", ""))
    return found


def _header(cells: list[str]) -> set[str]:
    return {_COLUMNS.get(c.strip().lower(), "") for c in cells}


def _unmarked(cell: str) -> str:
    """A cell as it was before spreadsheet_safe marked it as text."""
    return cell[1:] if cell.startswith("'") and spreadsheet_safe(cell[1:]) != cell[1:] else cell


def read_tbx(data: bytes) -> Read:
    try:
        root = SafeET.fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise GlossaryFileError(f"The TBX file is not readable XML: {_short(exc)}") from None
    found = Read()
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    for number, entry in enumerate(entries, 1):
        terms: dict[str, list[str]] = {"en": [], "ru": []}
        for lang_set in (e for e in entry if _local(e.tag) in ("langSet", "langSec")):
            language = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower().split("-")[0].split("_")[0]
            if language in terms:
                terms[language] += ["".join(t.itertext()) for t in lang_set.iter() if _local(t.tag) == "term"]
        note = next(("".join(n.itertext()) for n in entry.iter() if _local(n.tag) in ("note", "descrip")), "")
        _add(found, f"Entry {number}", *(terms[lang][0] if terms[lang] else "" for lang in ("en", "ru")),
             terms["en"][1:], terms["ru"][1:], note)
    if not entries:
        raise GlossaryFileError("The TBX file holds no entries (termEntry or conceptEntry).")
    return found


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _add(found: Read, where: str, en: str, ru: str, en_variants: list[str], ru_variants: list[str], note: str):
    """One entry read, or a word on why it is left out."""
    spelled = Spelled.of(en, ru, en_variants, ru_variants, note)
    missing = [name for name, value in (("English", spelled.en), ("Russian", spelled.ru)) if not value]
    spellings = (spelled.en, spelled.ru, *spelled.en_variants, *spelled.ru_variants)
    if missing:
        found.problems.append(f"{where}: no {' and no '.join(missing)} spelling.")
    elif any(len(s) > MAX_SPELLING for s in spellings):
        found.problems.append(f"{where}: a spelling is longer than {MAX_SPELLING} characters.")
    elif max(len(spelled.en_variants), len(spelled.ru_variants)) > MAX_VARIANTS:
        found.problems.append(f"{where}: more than {MAX_VARIANTS} other spellings on one side.")
    elif len(found.entries) >= MAX_ENTRIES:
        raise GlossaryFileError(f"The file holds more than {MAX_ENTRIES:,} names; split it.")
    else:
        found.entries.append(spelled)
