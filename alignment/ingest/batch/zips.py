"""A zip of file pairs: NAME.en.txt with NAME.ru.txt (or .md, .html, .htm, .docx; the two may differ), NAME
being the path inside the zip without the language and the extension, so pairs may sit in folders.

The zip is judged by its central directory before a byte is inflated: more members than SVERKA_BATCH_MAX_FILES,
or more declared bytes than SVERKA_BATCH_MAX_BYTES, refuses it whole. A member declaring more than the per-side
limit is refused alone, and none is read past the size it declares, so what the directory says bounds what is
inflated. Folders, dotfiles (.DS_Store, ._story.en.txt) and macOS's __MACOSX/ are passed over; a member with an
absolute path or a `..` is a bad item. Items are numbered in the order their first file comes in the zip.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.conf import settings

from .. import IngestError, check_size, format_size, read_later, read_upload
from .items import LANGUAGES, TITLE_MAX, Batch, BatchError, BatchItem, Side, bad_item, shown_name, tidy

# RuntimeError: encrypted; NotImplementedError: a compression method zipfile lacks.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError)
_UTF8_NAMES = 0x800  # general purpose flag bit 11: the member's name is UTF-8
_ENCRYPTED = 0x1


def read_zip(name: str, data: bytes, limit: int) -> Batch:
    """The pairs of a zip, each side read as an upload of its own (``limit`` bytes per side). Raises IngestError
    when the zip as a whole cannot be taken; a bad pair becomes a BatchError and the rest goes on."""
    zip_name = shown_name(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise IngestError(f"“{zip_name}” is not a readable zip archive.", code="not_zip") from None
    _check_directory(zip_name, members)

    # In the order of each item's first file: ("pair", NAME) with its files by language, ("file", path) a reason.
    entries: dict[tuple[str, str], dict[str, list[zipfile.ZipInfo]] | str] = {}
    for info in members:
        path = _member_name(info)
        parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
        if path.startswith(("/", "\\")) or (parts and parts[0].endswith(":")) or ".." in parts:
            entries["file", path] = f"“{_shown(path)}” has a path leading out of the zip; it was not read."
            continue
        if info.is_dir() or not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts):
            continue
        stem, language = _split(parts[-1])
        if language:
            entries.setdefault(("pair", "/".join([*parts[:-1], stem])), {"en": [], "ru": []})[language].append(info)
        else:
            entries["file", path] = (
                f"“{_shown(path)}” is not one side of a pair: name the two files NAME.en.txt and NAME.ru.txt "
                "(or .md, .html, .docx)."
            )

    if not entries:
        raise IngestError(f"“{zip_name}” holds no files named NAME.en.txt and NAME.ru.txt.", code="empty")
    items, errors = [], []
    for row, ((_kind, key), entry) in enumerate(entries.items(), start=1):
        if isinstance(entry, str):
            errors.append(bad_item(row, key, entry))
            continue
        item = _pair(archive, row, key, entry, limit)
        (errors if isinstance(item, BatchError) else items).append(item)
    return Batch(items=items, errors=errors)


def _check_directory(zip_name: str, members: list[zipfile.ZipInfo]) -> None:
    max_files, max_bytes = settings.SVERKA_BATCH_MAX_FILES, settings.SVERKA_BATCH_MAX_BYTES
    if len(members) > max_files:
        raise IngestError(
            f"“{zip_name}” holds {len(members):,} files; a batch may hold {max_files:,} ({max_files // 2:,} pairs). "
            "Split it into smaller zips.",
            code="too_many",
        )
    declared = sum(info.file_size for info in members)
    if declared > max_bytes:
        raise IngestError(
            f"“{zip_name}” unpacks to {format_size(declared)}; a batch may unpack to {format_size(max_bytes)}. "
            "Split it into smaller zips.",
            code="zip_bomb",
        )


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it. Without the UTF-8 flag zipfile reads the name as code page 437;
    tools that leave the flag off write UTF-8 anyway, and Russian Windows writes its DOS code page, 866."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866")


def _split(file_name: str) -> tuple[str, str]:
    """("story", "en") for story.en.txt; the language is "" when the name carries none."""
    stem, dot, _extension = file_name.rpartition(".")
    base, dot, language = stem.rpartition(".")
    language = language.lower()
    return (base, language) if dot and base and language in LANGUAGES else (stem, "")


def _pair(archive, row: int, key: str, files: dict[str, list[zipfile.ZipInfo]], limit: int) -> BatchItem | BatchError:
    problems = []
    for language, found in files.items():
        if not found:
            other = next(file for files_of_other in files.values() for file in files_of_other)
            problems.append(
                f"“{_base_name(other)}” has no {LANGUAGES[language]} partner "
                f"({_shown(key.rpartition('/')[2])}.{language}.txt, .md, .html or .docx)."
            )
        elif len(found) > 1:
            names = ", ".join(_base_name(info) for info in found)
            problems.append(f"There are {len(found)} {LANGUAGES[language]} files: {names}. Keep one.")
    if problems:
        return bad_item(row, key, " ".join(problems))
    sides = {}
    for language, (info,) in files.items():
        try:
            sides[language] = _side(archive, info, limit)
        except IngestError as error:
            problems.append(error.message)
    if problems:
        return bad_item(row, key, " ".join(problems))
    stem = key.rpartition("/")[2]
    return BatchItem(row=row, title=tidy(stem.replace("_", " "), TITLE_MAX) or tidy(key, TITLE_MAX), **sides)


def _side(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Side:
    file_name = _base_name(info)
    check_size(file_name, info.file_size, limit)
    if info.flag_bits & _ENCRYPTED:
        raise IngestError(f"“{file_name}” is password-protected in the zip.", code="encrypted")
    try:
        with archive.open(info) as member:
            # One byte past the declared size tells a member that inflates further than it says.
            data = member.read(info.file_size + 1)
    except _UNREADABLE:
        raise IngestError(
            f"“{file_name}” cannot be unpacked: it is damaged in the zip, or inflates past the size the zip declares.",
            code="zip_bomb",
        ) from None
    if len(data) > info.file_size:
        raise IngestError(f"“{file_name}” inflates past the size the zip declares.", code="zip_bomb")
    later = read_later(file_name, data, limit)
    if later:
        return Side(raw=later.data, file_name=later.file_name)
    extracted = read_upload(file_name, data, limit)
    return Side(text=extracted.text, file_name=extracted.file_name, encoding=extracted.encoding)


def _base_name(info: zipfile.ZipInfo) -> str:
    return shown_name(_member_name(info))


def _shown(path: str) -> str:
    return tidy(path, 200)
