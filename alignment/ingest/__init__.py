"""Uploaded bytes in, clean text out: .txt, .md, .html/.htm and .docx, in any encoding a Russian or an English
newsroom is likely to use.

Nothing here touches the database or the file system: the file name is only shown and stored, never used
as a path. Every problem raises IngestError with a message for the person who uploaded the file.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
import zlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree import ElementTree

from alignment.pipeline import Lang, PipelineError
from alignment.pipeline.validate import check_text

TEXT_EXTENSIONS = frozenset({"txt", "md", "html", "htm"})
SUPPORTED = ".txt, .md, .html, .htm or .docx"
MAX_NAME_CHARS = 255

# Word's XML compresses about ten to one. A member of megabytes that compresses a hundred to one, or more
# inflated data in all than 25 times the upload limit, is a zip bomb, refused before a byte is inflated.
DOCX_MAX_RATIO = 100
DOCX_MAX_INFLATED_PER_LIMIT = 25  # times the upload limit, for all members together
DOCX_MAX_MEMBERS = 1_000  # Word writes a dozen parts or so, and one more per picture
# An article page has a few thousand tags. A file with far more is refused before it costs seconds to read, and
# tags nested deeper than any real page are read as if they were not there (their text is kept), so neither the
# parser's stack nor its time grows with a hostile page.
HTML_MAX_TAGS = 100_000
HTML_MAX_DEPTH = 500


class IngestError(ValueError):
    """An upload that cannot be turned into text. The message names the file and is written for its owner;
    ``code`` is a stable name for the problem (too_large, empty, binary, mismatch, unsupported, bad_name,
    zip_bomb, not_docx, no_text, too_complex)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Extracted:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "windows-1251", "koi8-r", ...
    file_name: str  # the sanitised base name, for display and storage only


def read_upload(name: str, data: bytes, limit: int) -> Extracted:
    """The article text of one uploaded file. Raises IngestError for anything that is not one."""
    file_name = clean_name(name)
    extension = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    if extension not in TEXT_EXTENSIONS and extension != "docx":
        raise IngestError(_unsupported(file_name, extension), code="unsupported")
    if not data:
        raise IngestError(f"“{file_name}” is empty.", code="empty")
    check_size(file_name, len(data), limit)
    if extension == "docx":
        text, encoding = _docx_text(file_name, data, limit)
    else:
        text, encoding = _text_file(file_name, extension, data)
    if not text.strip():
        raise IngestError(f"“{file_name}” contains no article text.", code="no_text")
    return Extracted(text=text, encoding=encoding, file_name=file_name)


def check_size(file_name: str, size: int, limit: int) -> None:
    """Refuse a file over the limit; a caller holding only the size can ask before reading the file."""
    if size > limit:
        raise IngestError(
            f"“{file_name}” is {format_size(size)}; the limit is {format_size(limit)} per side.", code="too_large"
        )


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def clean_name(name: str) -> str:
    """The file's base name, fit for display and storage. A name carrying a folder path is refused: browsers
    send a bare name, so a path means a hand-made request."""
    name = unicodedata.normalize("NFC", name or "")
    if "/" in name or "\\" in name or name.strip() in {".", ".."}:
        shown = "".join(ch for ch in name if ch.isprintable())[:100]
        raise IngestError(
            f"The file name “{shown}” contains a folder path. Upload the file under a plain name such as story.txt.",
            code="bad_name",
        )
    # Control and format characters go: NUL, and the right-to-left override that disguises "txt.exe" as "exe.txt".
    name = " ".join("".join(ch for ch in name if ch.isspace() or unicodedata.category(ch)[0] != "C").split())
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        name = stem[: MAX_NAME_CHARS - len(dot + extension)] + dot + extension if dot else name[:MAX_NAME_CHARS]
    return name or "upload"


def _unsupported(file_name: str, extension: str) -> str:
    if not extension:
        return f"“{file_name}” has no extension. Upload a {SUPPORTED} file."
    hint = {
        "pdf": " Copy the article text out of the PDF and paste it instead.",
        "doc": " Save it from Word as .docx first.",
        "rtf": " Save it as .docx or .txt first.",
        "odt": " Save it as .docx first.",
    }.get(extension, "")
    return f".{extension} files are not supported (“{file_name}”). Upload a {SUPPORTED} file.{hint}"


# --- What the bytes really are --------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or password-protected Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
)


def _sniff(data: bytes) -> str | None:
    """What the file is, when its first bytes say so plainly."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


# --- Text files -----------------------------------------------------------------------------------------

_HTML_DOCUMENT = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def _text_file(file_name: str, extension: str, data: bytes) -> tuple[str, str]:
    kind = _sniff(data)
    if kind:
        raise IngestError(
            f"“{file_name}” is {kind}, not a text file. Upload the article as a {SUPPORTED} file.", code="mismatch"
        )
    text, encoding = decode(file_name, data)
    text = normalize_newlines(text)
    try:
        check_text(text, Lang.EN)  # the language does not matter here, only whether this is text at all
    except PipelineError:
        raise IngestError(
            f"“{file_name}” looks like binary data, not text. Upload the article as a {SUPPORTED} file.",
            code="binary",
        ) from None
    if extension == "md":
        return markdown_to_text(text), encoding
    # A web page saved as .txt is still a web page.
    if extension in ("html", "htm") or _HTML_DOCUMENT.match(text[:2000]):
        try:
            return html_to_text(text), encoding
        except TooManyTags:
            raise IngestError(
                f"“{file_name}” has more than {HTML_MAX_TAGS:,} HTML tags, far more than an article page. Save the "
                "article alone (or copy its text) and upload that.",
                code="too_complex",
            ) from None
    return text, encoding


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Encodings ------------------------------------------------------------------------------------------

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


# --- Markdown -------------------------------------------------------------------------------------------

_MD_ESCAPABLE = "\\`*_{}[]()#+-.!~>|"
# Escaped punctuation is parked in the Private Use Area while the other rules run, then put back bare.
_MD_PARK = 0xE000
_MD_ESCAPE = re.compile(r"\\([" + re.escape(_MD_ESCAPABLE) + r"])")
_MD_RULES = (
    (re.compile(r"^ {0,3}(?:```|~~~).*$"), ""),  # code fences (the code itself stays)
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$"), ""),  # link reference definitions
    (re.compile(r"^ {0,3}(?:[-*_=] *){3,}$"), ""),  # rules and setext heading underlines
    (re.compile(r"^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$"), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:> ?)+"), ""),  # block quotes
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis; "2 * 3" has spaces
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis; snake_case is left alone
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)


def markdown_to_text(text: str) -> str:
    """Light Markdown stripping, line by line so paragraphs stay where they were."""
    text = _MD_ESCAPE.sub(lambda m: chr(_MD_PARK + _MD_ESCAPABLE.index(m[1])), text)
    lines = []
    for line in text.split("\n"):
        for pattern, replacement in _MD_RULES:
            line = pattern.sub(replacement, line)
        lines.append(line)
    parked = {chr(_MD_PARK + i): ch for i, ch in enumerate(_MD_ESCAPABLE)}
    return re.sub("[" + "".join(parked) + "]", lambda m: parked[m[0]], "\n".join(lines))


# --- HTML -----------------------------------------------------------------------------------------------

_DROPPED_TAGS = frozenset(
    "script style nav header footer aside form noscript iframe template svg canvas object button select "
    "textarea head dialog menu".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul".split()
)
_CLOSES_P = _BLOCK_TAGS - {"body", "html", "li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Never dropped for their class names: a story's <article class="story has-comments"> is still the story.
_CONTAINERS = frozenset("html body article main".split())
_BOILERPLATE_WORDS = frozenset(
    "nav navbar navigation menu menubar breadcrumb breadcrumbs share sharing sharebar social cookie cookies "
    "consent gdpr comment comments disqus related recommended recommendations promo promoted advert "
    "advertisement ad ads adslot sponsored banner newsletter subscribe subscription signup sidebar popup "
    "modal toolbar skip outbrain taboola trending masthead footer".split()
)
# A class name that also says it holds the text ("comment-body", "share-content") is not dropped.
_CONTENT_WORDS = frozenset("article body content story text entry".split())
_DROPPED_ROLES = frozenset("navigation banner contentinfo complementary dialog alertdialog search menu menubar".split())
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Element:
    tag: str
    start: int  # the parser's clock when the element opened; the element holds the text timed [start, end)
    parent: _Element | None  # the enclosing block element
    block: bool
    dropped: bool
    end: float = float("inf")
    p_chars: int = 0  # characters of <p> text directly inside


@dataclass(frozen=True)
class _Block:
    text: str
    at: int  # the parser's clock when its text began
    heading: bool


class TooManyTags(ValueError):
    """A page with more than HTML_MAX_TAGS start tags."""


class _ArticleParser(HTMLParser):
    """Turns a page into text blocks, each stamped with a clock that tells which elements hold it.

    No tree and no recursion: an element is an interval of the clock, so "inside" is a comparison, and a
    page nested 10,000 levels deep costs no more than a flat one.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.clock = 0
        self.stack: list[_Element] = []
        self.blocks_open: list[_Element] = []
        self.open = Counter()  # tag -> number of open elements with it
        self.dropping = 0  # open elements whose text is dropped
        self.lines: list[list[str]] = [[]]
        self.text_at: int | None = None
        self.blocks: list[_Block] = []
        self.candidates: list[_Element] = []  # <article>, <main>, and the parents of <p>s
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.lines.append([])
            return
        if tag in _VOID_TAGS:
            return
        self.tags += 1
        if self.tags > HTML_MAX_TAGS:
            raise TooManyTags(self.tags)
        if tag == "body":
            self._close("head")
        if tag in _BLOCK_TAGS:
            self._flush()
            inner = self.blocks_open[-1].tag if self.blocks_open else ""
            if (inner == "p" and tag in _CLOSES_P) or (tag == inner and tag in ("li", "dt", "dd")):
                self._close(inner)
        if len(self.stack) >= HTML_MAX_DEPTH:
            return  # still a paragraph break, if a block, but not an element
        self.clock += 1
        dropped = self._is_dropped(tag, dict(attrs))
        parent = self.blocks_open[-1] if self.blocks_open else None
        element = _Element(tag, self.clock, parent, tag in _BLOCK_TAGS, dropped)
        self.stack.append(element)
        self.open[tag] += 1
        self.dropping += dropped
        if element.block:
            self.blocks_open.append(element)
        if tag in ("article", "main") and not self.dropping:
            self.candidates.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "br":
            self.lines.append([])
        elif self.open[tag]:
            self._close(tag)

    def handle_data(self, data):
        if self.dropping:
            return
        if self.text_at is None and data.strip():
            self.text_at = self.clock
        self.lines[-1].append(data)

    def close(self):
        super().close()
        self._flush()
        while self.stack:
            self._pop()

    def _is_dropped(self, tag: str, attrs: dict) -> bool:
        if tag in _DROPPED_TAGS:
            # A <header> inside the story holds its headline and byline, not the site's.
            return not (tag == "header" and (self.open["article"] or self.open["main"]))
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True
        if (attrs.get("role") or "").strip().lower() in _DROPPED_ROLES:
            return True
        if "display:none" in (attrs.get("style") or "").replace(" ", "").lower():
            return True
        if tag in _CONTAINERS:
            return False
        names = (attrs.get("class") or "").split() + [attrs.get("id") or ""]
        return any(_is_boilerplate_name(name) for name in names)

    def _close(self, tag: str) -> None:
        if not self.open[tag]:
            return
        while self._pop().tag != tag:
            pass

    def _pop(self) -> _Element:
        element = self.stack[-1]
        if element.block:
            self._flush()
        self.stack.pop()
        self.clock += 1
        element.end = self.clock
        self.open[element.tag] -= 1
        self.dropping -= element.dropped
        if element.block:
            self.blocks_open.pop()
        return element

    def _flush(self) -> None:
        """End the current run of text as one block, owned by the innermost open block element."""
        lines = (_HTML_SPACE.sub(" ", "".join(parts)).strip() for parts in self.lines)
        text = "\n".join(line for line in lines if line)
        if text:
            owner = self.blocks_open[-1] if self.blocks_open else None
            self.blocks.append(_Block(text, self.text_at, owner is not None and owner.tag in _HEADINGS))
            if owner is not None and owner.tag == "p" and owner.parent is not None:
                if not owner.parent.p_chars:
                    self.candidates.append(owner.parent)
                owner.parent.p_chars += len(text)
        self.lines = [[]]
        self.text_at = None


def _is_boilerplate_name(name: str) -> bool:
    words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()))
    return bool(words & _BOILERPLATE_WORDS) and not words & _CONTENT_WORDS


def html_to_text(html: str) -> str:
    """The article text of a page: headings and paragraphs, separated by blank lines.

    The story is the <article> (or else the <main>) holding the most text; failing both, the element with
    the most <p> text directly inside; failing that, everything that is not navigation or boilerplate. Raises
    TooManyTags for a page of more than HTML_MAX_TAGS tags.
    """
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    times = [block.at for block in blocks]
    totals = [0]
    for block in blocks:
        totals.append(totals[-1] + len(block.text))

    def span(element: _Element) -> tuple[int, int]:
        return bisect_left(times, element.start), bisect_left(times, element.end)

    def chars(element: _Element) -> int:
        first, last = span(element)
        return totals[last] - totals[first]

    story = None
    for tag in ("article", "main"):
        found = [e for e in parser.candidates if e.tag == tag]
        if found and chars(best := max(found, key=chars)):
            story = best
            break
    else:
        with_p = [e for e in parser.candidates if e.p_chars]
        story = max(with_p, key=lambda e: e.p_chars) if with_p else None
    if story is None:
        return "\n\n".join(block.text for block in blocks)
    first, last = span(story)
    chosen = blocks[first:last]
    # A body chosen for its paragraphs often sits below the headline rather than around it.
    if not any(block.heading for block in chosen):
        chosen = [block for block in blocks[:first] if block.heading][-1:] + chosen
    return "\n\n".join(block.text for block in chosen)


# --- Word -----------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding=["']([\w.-]+)["']""")


def _docx_text(file_name: str, data: bytes, limit: int) -> tuple[str, str]:
    if not data.startswith(b"PK"):
        kind = _sniff(data)
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
    try:
        member = archive.getinfo("word/document.xml")
    except KeyError:
        raise IngestError(
            f"“{file_name}” is a ZIP archive but not a Word document: it has no word/document.xml.",
            code="not_docx",
        ) from None
    cap = DOCX_MAX_INFLATED_PER_LIMIT * limit
    try:
        with archive.open(member) as stream:
            xml = stream.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError):
        # RuntimeError: encrypted; NotImplementedError: a compression method zipfile lacks.
        raise IngestError(
            f"“{file_name}” is damaged or encrypted: its text cannot be read.", code="not_docx"
        ) from None
    if len(xml) > cap:
        raise IngestError(
            f"“{file_name}” inflates to more than {format_size(cap)}: refused as a possible zip bomb.", code="zip_bomb"
        )
    # Word never writes a DTD; one here could only be there to expand entities.
    if b"<!DOCTYPE" in xml:
        raise IngestError(f"“{file_name}” is not a Word document: its XML declares a DTD.", code="not_docx")
    match = _XML_ENCODING.match(xml)
    encoding = match[1].decode("ascii").lower() if match else "utf-8"
    try:
        return _word_paragraphs(xml), encoding
    except ElementTree.ParseError:
        raise IngestError(f"“{file_name}” is damaged: its text is not well-formed XML.", code="not_docx") from None


def _word_paragraphs(xml: bytes) -> str:
    """One paragraph per non-empty w:p, separated by blank lines, as in the other formats. Text boxes nest
    paragraphs inside paragraphs: each run of text belongs to the innermost one."""
    paragraphs: list[list[str]] = []
    found: list[str] = []
    for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if tag == f"{_W}p":
            if event == "start":
                paragraphs.append([])
            else:
                text = "".join(paragraphs.pop()).strip()
                if text:
                    found.append(text)
                element.clear()
        elif event == "end" and paragraphs:
            if tag == f"{_W}t":
                paragraphs[-1].append(element.text or "")
            elif tag == f"{_W}tab":
                paragraphs[-1].append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                paragraphs[-1].append("\n")
            elif tag == f"{_W}noBreakHyphen":
                paragraphs[-1].append("-")
    return normalize_newlines("\n\n".join(found))
