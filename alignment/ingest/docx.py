"""A Word document's paragraphs, read from word/document.xml, with the limits that keep a zip bomb out.

The XML goes through defusedxml with DTDs forbidden: Word never writes one, and one is there only to expand
entities or to reach for files. The parser reads the encoding as the part declares it, so a DTD in UTF-16 is
found as surely as one in UTF-8. python-docx would read the same parts, but it does not refuse a DTD (it only
leaves the entities unexpanded), it skips the paragraphs of text boxes, and it needs relationship parts that a
minimal document may lack.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .encodings import normalize_newlines
from .errors import SUPPORTED, IngestError, format_size
from .magic import sniff

# Word's XML compresses about ten to one. A member of megabytes that compresses a hundred to one, or more
# inflated data in all than 25 times the upload limit, is a zip bomb, refused before a byte is inflated.
DOCX_MAX_RATIO = 100
DOCX_MAX_INFLATED_PER_LIMIT = 25  # times the upload limit, for all members together
DOCX_MAX_MEMBERS = 1_000  # Word writes a dozen parts or so, and one more per picture
# The XML of a long news story is a megabyte or two: ten is plenty, and every byte of it is parsed in the request.
DOCX_MAX_XML = 10 * 1024 * 1024  # all XML parts together, as their sizes are declared and as read

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _TEXT = f"{_W}p", f"{_W}t"
_TEXT_OF = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}  # elements that stand for text
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding=["']([\w.-]+)["']""")
_XML_PARTS = (".xml", ".rels")
# RuntimeError: encrypted; NotImplementedError: a compression method zipfile lacks.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError)


def check_docx(file_name: str, data: bytes, limit: int) -> None:
    """What a .docx's zip directory tells without inflating a byte: whether it is a Word document, and not a zip
    bomb. Cheap enough for a web request; the text is read later (``docx_text``), in a worker."""
    _directory(file_name, data, limit)


def docx_text(file_name: str, data: bytes, limit: int) -> tuple[str, str]:
    """The paragraphs of a .docx, and the encoding its XML declares. Raises IngestError for anything else."""
    archive, member, members = _directory(file_name, data, limit)
    cap = DOCX_MAX_XML  # the declared size may lie: read no more than that
    return _read(file_name, archive, member, members, cap)


def _directory(file_name: str, data: bytes, limit: int):
    if not data.startswith(b"PK"):
        kind = sniff(data)
        raise IngestError(
            f"“{file_name}” is {f'{kind}, not' if kind else 'not'} a Word document. Upload a .docx saved by Word, "
            f"or a {SUPPORTED} file.",
            code="mismatch",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise IngestError(f"“{file_name}” is damaged: it is not a readable .docx file.", code="not_docx") from None
    if len(members) > DOCX_MAX_MEMBERS:
        raise IngestError(
            f"“{file_name}” holds {len(members):,} files, far more than a Word document: it is refused as a "
            "possible zip bomb.",
            code="zip_bomb",
        )
    inflated = sum(member.file_size for member in members)
    if inflated > DOCX_MAX_INFLATED_PER_LIMIT * limit or any(
        member.file_size > 1024 * 1024 and member.file_size > DOCX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    ):
        raise IngestError(
            f"“{file_name}” would inflate to {format_size(inflated)}, far more than any article: it is refused "
            "as a possible zip bomb.",
            code="zip_bomb",
        )
    xml_size = sum(member.file_size for member in members if member.filename.endswith(_XML_PARTS))
    if xml_size > DOCX_MAX_XML:
        raise IngestError(
            f"“{file_name}” holds {format_size(xml_size)} of text and markup, more than a news story needs (the "
            f"limit is {format_size(DOCX_MAX_XML)}). Save the story in a document of its own, or paste its text.",
            code="too_large",
        )
    try:
        member = archive.getinfo("word/document.xml")
    except KeyError:
        raise IngestError(
            f"“{file_name}” is a ZIP archive but not a Word document: it has no word/document.xml.",
            code="not_docx",
        ) from None
    return archive, member, members


def _read(file_name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, members, cap: int) -> tuple[str, str]:
    try:
        with archive.open(member) as stream:
            xml = stream.read(cap + 1)
    except _UNREADABLE:
        raise IngestError(
            f"“{file_name}” is damaged or encrypted: its text cannot be read.", code="not_docx"
        ) from None
    if len(xml) > cap:
        raise IngestError(
            f"“{file_name}” inflates to more than {format_size(cap)}: refused as a possible zip bomb.", code="zip_bomb"
        )
    # The document itself is read with DTDs forbidden, so it is not parsed a second time here.
    others = [part for part in members if part.filename.endswith(_XML_PARTS) and part is not member]
    dtd = f"“{file_name}” is not a Word document: its XML declares a DTD."
    if any(_declares_dtd(archive, part) for part in others):
        raise IngestError(dtd, code="not_docx")
    try:
        return _word_paragraphs(xml), _declared_encoding(xml)
    except DefusedXmlException:
        raise IngestError(dtd, code="not_docx") from None
    except ParseError:
        raise IngestError(f"“{file_name}” is damaged: its text is not well-formed XML.", code="not_docx") from None


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether an XML part holds a DTD. It comes before the root element, so the parser stops there: a part
    inflates only as far as its first chunk. Parts that are not read may be damaged; they are left alone."""
    try:
        with archive.open(member) as stream:
            next(iterparse(stream, events=("start",), forbid_dtd=True), None)
    except DefusedXmlException:
        return True
    except (ParseError, *_UNREADABLE):
        pass
    return False


def _declared_encoding(xml: bytes) -> str:
    """The encoding of an XML part: UTF-16 by its first bytes (with a byte-order mark or without), else as
    declared, else UTF-8."""
    if xml[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<"):
        return "utf-16"
    match = _XML_ENCODING.match(xml)
    return match[1].decode("ascii").lower() if match else "utf-8"


def _word_paragraphs(xml: bytes) -> str:
    """One paragraph per non-empty w:p, separated by blank lines, as in the other formats. Text boxes nest
    paragraphs inside paragraphs: each run of text belongs to the innermost one."""
    paragraphs: list[list[str]] = []
    found: list[str] = []
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
        tag = element.tag
        if tag == _PARAGRAPH:
            if event == "start":
                paragraphs.append([])
            else:
                text = "".join(paragraphs.pop()).strip()
                if text:
                    found.append(text)
                element.clear()
        elif event == "end" and paragraphs:
            if tag == _TEXT:
                paragraphs[-1].append(element.text or "")
            elif tag in _TEXT_OF:
                paragraphs[-1].append(_TEXT_OF[tag])
    return normalize_newlines("\n\n".join(found))
