"""What reviewers take away: a processed story as a TMX translation memory, a TSV of its pairs, the JSON of the
command line, and a report of its divergences with the reviewers' verdicts (CSV, or a printable page).

``load`` reads a story's results (alignment.results) and its two texts in a fixed number of queries; every
builder after it is a pure function of those to bytes. The views turn an ``Export`` into a download. The TMX and
the report are built from pieces (tmx_open, tmx_units, report_cells ...) that the corpus exports
(alignment.corpus.exports) also use, to write many stories into one file, one story at a time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from django.utils import timezone
from django.utils.text import slugify

from alignment.models import DivergenceKind, Language, Story, Verdict
from alignment.pipeline.types import AlignmentResult
from alignment.results import StoredPair, load_results

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# XML 1.0 allows tab, newline, carriage return and the characters from U+0020 on, except the surrogates,
# U+FFFE and U+FFFF. Anything else makes the whole file unreadable, so it is dropped.
XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Every character str.splitlines() breaks at, so a field never spans lines in any reader; and the backslash
# itself, so the escapes can be undone.
TSV_ESCAPES = str.maketrans({
    "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r",
    **{c: f"\\u{ord(c):04x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"},
})
TSV_HEADER = ["pair", "en", "ru", "score", "divergences"]
CSV_HEADER = [
    "pair", "kind", "severity", "reason", "en_text", "ru_text", "en_highlighted", "ru_highlighted",
    "verdict", "category", "note", "reviewed_by", "reviewed_at",
]
# Between the highlighted words of one side in one cell.
WORD_SEPARATOR = " | "


# ---------------------------------------------------------------------------------------------------- Rows


@dataclass(frozen=True)
class StoryRows:
    texts: dict[str, str]  # language -> the document's text, which divergence spans point into
    pairs: tuple[StoredPair, ...]
    exported: datetime


def load(story: Story) -> StoryRows:
    """The story's results and its two texts, in four queries whatever its size."""
    texts = dict(story.documents.values_list("language", "text"))
    return StoryRows(texts=texts, pairs=load_results(story).pairs, exported=timezone.now())


# ---------------------------------------------------------------------------------------------------- TMX


# The file is written in three parts, so that a corpus export can stream many stories' units between the
# same opening and closing: what comes before the first <tu>, each <tu> on its own, and what comes after the last.
TMX_CLOSE = b"  </body>\n</tmx>\n"


def tmx(rows: StoryRows) -> bytes:
    """A TMX 1.4 translation memory: one <tu> per pair with both an English and a Russian side, numbered as
    on the story page. Divergences and their verdicts ride along as <prop>s, reviewers' notes as <note>s."""
    return tmx_open(rows.exported) + b"".join(tmx_unit(tu) for tu in tmx_units(rows.pairs)) + TMX_CLOSE


def tmx_open(exported: datetime) -> bytes:
    """The prologue, the root, the header and the opening of the body."""
    header = ET.Element("header", {
        "creationtool": "Sverka",
        "creationtoolversion": _version(),
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": Language.EN,
        "o-tmf": "Sverka",
        "creationdate": _tmx_date(exported),
    })
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n  '
        + ET.tostring(header, encoding="utf-8", xml_declaration=False)
        + b"\n  <body>\n"
    )


def tmx_units(
    pairs: Iterable[StoredPair], props: tuple[tuple[str, str], ...] = (), tuid_prefix: str = "",
) -> Iterator[ET.Element]:
    """A <tu> for each pair with both sides, its id the pair's number after ``tuid_prefix``. ``props`` are
    (type, text) of more <prop>s for every unit: the corpus export names the story with them."""
    for p in pairs:
        if not (p.en and p.ru):
            continue
        tu = ET.Element("tu", tuid=f"{tuid_prefix}{p.number}")
        # The DTD allows notes and props in any order before the variants; translate-toolkit puts notes first.
        for d in p.divergences:
            if d.note.strip():
                _sub(tu, "note", f"{d.kind}: {d.note.strip()}")
        for kind, text in props:
            _sub(tu, "prop", text, type=kind)
        _sub(tu, "prop", f"{p.score:.4f}", type="x-sverka-score")
        if p.divergences:
            _sub(tu, "prop", " ".join(f"{d.kind}:{d.verdict}" for d in p.divergences), type="x-sverka-divergences")
        for language, text in ((Language.EN, p.en_text), (Language.RU, p.ru_text)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: language})
            _sub(tuv, "seg", text)
        yield tu


def tmx_unit(tu: ET.Element) -> bytes:
    """One <tu> as it sits in the body, indented."""
    ET.indent(tu, level=2)
    return b"    " + ET.tostring(tu, encoding="utf-8", xml_declaration=False) + b"\n"


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry at all; the serializer escapes the rest. Line
    breaks become \n, as every XML parser would read them anyway."""
    return XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _sub(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = xml_text(text)
    return element


def _tmx_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _version() -> str:
    try:
        return metadata.version("sverka")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0"


# ---------------------------------------------------------------------------------------------------- TSV


def tsv(rows: StoryRows) -> bytes:
    """One line per pair, a header first. Tabs, line breaks and backslashes inside a text are written as
    backslash escapes (\\t, \\n, \\\\, ...), so every row is exactly one line of five fields; a text that would
    open as a formula is kept as text, as in the CSV report (spreadsheet_safe)."""
    lines = ["\t".join(TSV_HEADER)]
    for p in rows.pairs:
        lines.append("\t".join([
            str(p.number),
            tsv_field(p.en_text),
            tsv_field(p.ru_text),
            f"{p.score:.4f}",
            ";".join(d.kind for d in p.divergences),
        ]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def tsv_field(text: str) -> str:
    return spreadsheet_safe(text).translate(TSV_ESCAPES)


# ---------------------------------------------------------------------------------------------------- JSON


def alignment_json(result: AlignmentResult) -> str:
    """The alignment's JSON contract as ``manage.py align --format json`` prints it, and the JSON export is."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------------- Report


@dataclass(frozen=True)
class ReportRow:
    """One divergence, with its pair's text and what the reviewer made of it."""

    pair: int
    kind: str
    kind_label: str
    severity: float
    reason: str
    en: str
    ru: str
    en_words: tuple[str, ...]  # the highlighted words, as they read in the English text
    ru_words: tuple[str, ...]
    verdict: str
    verdict_label: str
    category: str
    note: str
    reviewed_by: str
    reviewed_at: str


def report_rows(rows: StoryRows) -> list[ReportRow]:
    """Every divergence, in pair order and, within a pair, most severe first, as the story page lists them."""
    return [
        ReportRow(
            pair=p.number,
            kind=d.kind,
            kind_label=d.kind_label,
            severity=round(d.severity, 3),
            reason=d.reason,
            en=p.en_text,
            ru=p.ru_text,
            en_words=_words(rows.texts.get(Language.EN, ""), d.en_spans),
            ru_words=_words(rows.texts.get(Language.RU, ""), d.ru_spans),
            verdict=d.verdict,
            verdict_label=d.verdict_label,
            category=d.category,
            note=d.note,
            reviewed_by=d.reviewer,
            reviewed_at=_cell(d.reviewed_at),
        )
        for p in rows.pairs
        for d in p.by_severity
    ]


def _words(text: str, spans) -> tuple[str, ...]:
    return tuple(text[start:end] for start, end in spans if 0 <= start < end <= len(text))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will show as text, in the CSV report and the TSV alike: one that opens with = + - @
    (or their full-width forms, which some spreadsheets read the same way), after any spaces, or with a tab or
    carriage return, would be read as a formula, and a story pasted from a hostile page could carry one. A leading
    apostrophe is what spreadsheets themselves use to mark a cell as text (OWASP's advice for CSV injection)."""
    return "'" + text if _FORMULA_START.match(text) else text


_FORMULA_START = re.compile(r"[\t\r]|\s*[=+\-@＝＋－＠]")


def report_csv(rows: StoryRows) -> bytes:
    """One row per divergence. With a byte order mark: spreadsheets read the file as UTF-8 only with it, and
    without it a reviewer sees the Russian as mojibake."""
    return csv_text([CSV_HEADER, *report_cells(rows)]).encode("utf-8-sig")


def report_cells(rows: StoryRows) -> Iterator[list]:
    """The report's rows as CSV_HEADER names them, every text kept as text (spreadsheet_safe)."""
    for r in report_rows(rows):
        yield [
            r.pair, r.kind, f"{r.severity:.3f}",
            *(spreadsheet_safe(_cell(v)) for v in (
                r.reason, r.en, r.ru, WORD_SEPARATOR.join(r.en_words), WORD_SEPARATOR.join(r.ru_words),
                r.verdict, r.category, r.note, r.reviewed_by,
            )),
            r.reviewed_at,
        ]


def csv_text(rows: Iterable[list]) -> str:
    """The rows as CSV lines (the csv module's defaults: commas, quotes where needed, CRLF line ends)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    by_verdict: tuple[int, ...]  # in the order of Verdict.choices
    total: int


def report_counts(report: list[ReportRow]) -> list[KindCount]:
    """Divergences by kind (those the story has) and verdict, with a last row of totals."""
    counts = Counter((r.kind, r.verdict) for r in report)
    verdicts = Verdict.values
    table = [
        KindCount(kind, label, tuple(counts[kind, v] for v in verdicts), sum(counts[kind, v] for v in verdicts))
        for kind, label in DivergenceKind.choices
        if any(counts[kind, v] for v in verdicts)
    ]
    totals = tuple(sum(row.by_verdict[i] for row in table) for i in range(len(verdicts)))
    return [*table, KindCount("", "All kinds", totals, sum(totals))]


# ---------------------------------------------------------------------------------------------------- Formats


@dataclass(frozen=True)
class Format:
    content_type: str
    suffix: str  # after the story's slug, extension included
    build: Callable[[Story], bytes]


FORMATS = {
    "tmx": Format("application/x-tmx+xml; charset=utf-8", ".tmx", lambda story: tmx(load(story))),
    "tsv": Format("text/tab-separated-values; charset=utf-8", ".tsv", lambda story: tsv(load(story))),
    "json": Format("application/json", ".json", lambda story: alignment_json(load_results(story).alignment).encode()),
    "csv": Format("text/csv; charset=utf-8", "-divergences.csv", lambda story: report_csv(load(story))),
}


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str
    ascii_filename: str  # for clients that cannot read a UTF-8 file name


def export(story: Story, name: str) -> Export:
    """The story in one of FORMATS (a KeyError for any other name)."""
    fmt = FORMATS[name]
    return Export(
        fmt.build(story), fmt.content_type,
        filename(story.title, fmt.suffix), filename(story.title, fmt.suffix, allow_unicode=False),
    )


def filename(title: str, suffix: str, allow_unicode: bool = True, fallback: str = "story") -> str:
    """A file name from the title, in letters, digits and hyphens (Cyrillic kept unless told not to), which is
    safe on every system; ``fallback`` when nothing of the title is left."""
    return (slugify(title, allow_unicode=allow_unicode)[:80].strip("-") or fallback) + suffix
