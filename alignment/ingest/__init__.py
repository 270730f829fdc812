"""Uploaded bytes in, clean text out: .txt, .md, .html/.htm and .docx, in any encoding a Russian or an English
newsroom is likely to use.

Nothing here touches the database or the file system: the file name is only shown and stored, never used
as a path. Every problem raises IngestError with a message for the person who uploaded the file. One module per
concern: encodings, html, docx, markdown, and fetch (with network) for a page fetched from its address; this one
reads an upload and sends it to the right one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from alignment.pipeline import Lang, PipelineError
from alignment.pipeline.validate import check_text

from .docx import check_docx, docx_text
from .encodings import decode, normalize_newlines
from .errors import SUPPORTED, IngestError, format_size
from .html import HTML_MAX_TAGS, TooManyTags, check_tags, html_to_text, looks_like_page
from .magic import sniff
from .markdown import markdown_to_text

__all__ = [
    "MAX_NAME_CHARS",
    "SUPPORTED",
    "Extracted",
    "Later",
    "IngestError",
    "check_size",
    "clean_name",
    "format_size",
    "html_to_text",
    "markdown_to_text",
    "normalize_newlines",
    "read_later",
    "read_upload",
]

TEXT_EXTENSIONS = frozenset({"txt", "md", "html", "htm"})
MAX_NAME_CHARS = 255


@dataclass(frozen=True)
class Extracted:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "windows-1251", "koi8-r", ...
    file_name: str  # the sanitised base name, for display and storage only


@dataclass(frozen=True)
class Later:
    """A file whose text a worker reads (``read_upload``), checked meanwhile as far as that is cheap."""

    data: bytes
    file_name: str


def read_later(name: str, data: bytes, limit: int) -> Later | None:
    """A web page (.html, .htm, or a .txt that opens as one) or a .docx, for a worker to read: finding the article
    in a page costs up to seconds, too long for a web request. Whatever is plain to see is refused here already,
    as read_upload would (a wrong extension, an empty or oversize file, an image under a page's name, a .docx
    that is no Word document or a zip bomb). None for a file that costs little to read now: read_upload it."""
    file_name = clean_name(name)
    extension = _extension(file_name)
    if extension not in TEXT_EXTENSIONS and extension != "docx":
        raise IngestError(_unsupported(file_name, extension), code="unsupported")
    if not data:
        raise IngestError(f"“{file_name}” is empty.", code="empty")
    check_size(file_name, len(data), limit)
    if extension == "docx":
        check_docx(file_name, data, limit)
    elif extension in ("html", "htm") or (extension == "txt" and looks_like_page(_opening(data))):
        kind = sniff(data)
        if kind:
            raise IngestError(
                f"“{file_name}” is {kind}, not a web page. Upload the article as a {SUPPORTED} file.", code="mismatch"
            )
        try:
            check_tags(decode(file_name, data)[0])
        except TooManyTags:
            raise _too_complex(file_name) from None
    else:
        return None
    return Later(data=data, file_name=file_name)


def _opening(data: bytes) -> str:
    """The first characters of a file, near enough to see whether it opens as a web page: the markup is ASCII in
    UTF-8 and in the Cyrillic code pages, and UTF-16's is ASCII between zero bytes."""
    return data[:4000].replace(b"\x00", b"").decode("utf-8", "ignore").lstrip("\ufeff\ufffe")


def _extension(file_name: str) -> str:
    return file_name.rpartition(".")[2].lower() if "." in file_name else ""


def read_upload(name: str, data: bytes, limit: int) -> Extracted:
    """The article text of one uploaded file. Raises IngestError for anything that is not one."""
    file_name = clean_name(name)
    extension = _extension(file_name)
    if extension not in TEXT_EXTENSIONS and extension != "docx":
        raise IngestError(_unsupported(file_name, extension), code="unsupported")
    if not data:
        raise IngestError(f"“{file_name}” is empty.", code="empty")
    check_size(file_name, len(data), limit)
    if extension == "docx":
        text, encoding = docx_text(file_name, data, limit)
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


def _text_file(file_name: str, extension: str, data: bytes) -> tuple[str, str]:
    kind = sniff(data)
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
    if extension in ("html", "htm") or looks_like_page(text):
        try:
            return html_to_text(text), encoding
        except TooManyTags:
            raise _too_complex(file_name) from None
    return text, encoding


def _too_complex(file_name: str) -> IngestError:
    return IngestError(
        f"“{file_name}” has more than {HTML_MAX_TAGS:,} HTML tags, far more than an article page. Save the article "
        "alone (or copy its text) and upload that.",
        code="too_complex",
    )
