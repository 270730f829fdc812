"""A zip of file pairs read into a batch: good pairs in every format and folder, bad items beside them, and the
guards that keep a zip bomb or a flood of files out."""

import struct

import pytest

from alignment.ingest import IngestError, read_upload
from alignment.ingest.batch import Side, read_zip
from tests.ingest.helpers import LIMIT
from tests.ingest.test_docx import docx, paragraph, zipped

EN = b"The talks in Geneva broke down on Tuesday. Both sides blamed each other."
RU = "Переговоры в Женеве сорвались во вторник. Стороны обвинили друг друга.".encode("utf-8")


def patched(data: bytes, name: str, size: int | None = None, raw_name: bytes | None = None, flags: int = 0) -> bytes:
    """The zip with one member's declared size, its name's bytes or its flags rewritten in its central directory
    entry and its local header alike: what a hand-made zip can claim."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_length, local = struct.unpack_from("<H", out, at + 28)[0], struct.unpack_from("<I", out, at + 42)[0]
        if bytes(out[at + 46 : at + 46 + name_length]) == name.encode():
            for flags_at, size_at, name_at in ((at + 8, at + 24, at + 46), (local + 6, local + 22, local + 30)):
                struct.pack_into("<H", out, flags_at, struct.unpack_from("<H", out, flags_at)[0] | flags)
                if size is not None:
                    struct.pack_into("<I", out, size_at, size)
                if raw_name is not None:
                    out[name_at : name_at + len(raw_name)] = raw_name
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def html(text: str) -> bytes:
    return f"<html><head><title>x</title></head><body><article><p>{text}</p></article></body></html>".encode()


def test_it_reads_pairs_in_every_format_and_folder_and_passes_over_the_clutter():
    data = zipped({
        "batch/": b"",
        "batch/geneva_talks.en.txt": EN,
        "batch/geneva_talks.ru.txt": RU.decode().encode("windows-1251"),
        "batch/march/Summit  notes.en.md": b"# Summit\n\nLeaders met in **Paris** today.",
        "batch/march/Summit  notes.ru.md": "# Саммит\n\nЛидеры встретились в **Париже**.".encode(),
        "batch/2024/03/budget.EN.html": html("The budget grew by 5%."),
        "batch/2024/03/budget.RU.htm": html("Бюджет вырос на 5%."),
        "batch/word/report.en.docx": docx(paragraph("<w:t>The report is out.</w:t>")),
        "batch/word/report.ru.txt": "Доклад опубликован.".encode(),
        "__MACOSX/batch/._geneva_talks.en.txt": b"\x00\x05\x16\x07",
        "batch/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "batch/.drafts/old.en.txt": b"An old draft.",
        "./batch/here.en.txt": EN,
        "batch/here.ru.txt": RU,
    })
    batch = read_zip("batch.zip", data, LIMIT)
    assert batch.errors == []
    assert [(item.row, item.title) for item in batch.items] == [
        (1, "geneva talks"), (2, "Summit notes"), (3, "budget"), (4, "report"), (5, "here")
    ]
    talks, summit, budget, report, _here = batch.items
    assert talks.en == Side(text=EN.decode(), file_name="geneva_talks.en.txt", encoding="utf-8")
    assert talks.ru.text == RU.decode() and talks.ru.encoding == "windows-1251"
    assert summit.en.text.startswith("Summit\n\nLeaders met in Paris today.")
    # Pages and .docx files are a worker's to read: kept as they came, and read as an upload would be.
    assert budget.ru.text == "" and budget.ru.file_name == "budget.RU.htm"
    assert budget.ru.raw == html("Бюджет вырос на 5%.")
    assert "Бюджет вырос на 5%." in read_upload(budget.ru.file_name, budget.ru.raw, LIMIT).text
    assert "The budget grew by 5%." in read_upload(budget.en.file_name, budget.en.raw, LIMIT).text
    assert read_upload(report.en.file_name, report.en.raw, LIMIT).text == "The report is out."
    assert report.en.text == "" and report.ru.text == "Доклад опубликован."
    assert (report.published, report.outlet) == (None, "")


def test_a_bad_item_is_listed_with_its_reason_and_the_rest_goes_on():
    data = zipped({
        "alone.en.txt": EN,
        "binary.en.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "binary.ru.txt": RU,
        "empty.en.txt": EN,
        "empty.ru.txt": b"",
        "scan.en.pdf": b"%PDF-1.7\n",
        "scan.ru.pdf": b"%PDF-1.7\n",
        "../evil.en.txt": EN,
        "good.en.txt": EN,
        "good.ru.txt": RU,
        "notes.txt": b"Remember to check the dates.",
        "twice.en.txt": EN,
        "twice.en.md": EN,
        "twice.ru.txt": RU,
    })
    batch = read_zip("batch.zip", data, LIMIT)
    assert [(item.row, item.title) for item in batch.items] == [(6, "good")]
    assert [(error.row, error.name) for error in batch.errors] == [
        (1, "alone"), (2, "binary"), (3, "empty"), (4, "scan"), (5, "../evil.en.txt"), (7, "notes.txt"), (8, "twice")
    ]
    alone, binary, empty, scan, evil, notes, twice = (error.reason for error in batch.errors)
    assert alone == "“alone.en.txt” has no Russian partner (alone.ru.txt, .md, .html or .docx)."
    assert binary.startswith("“binary.en.txt” is a PNG image, not a text file.")
    assert empty == "“empty.ru.txt” is empty."
    assert ".pdf files are not supported (“scan.en.pdf”)" in scan and "(“scan.ru.pdf”)" in scan
    assert evil == "“../evil.en.txt” has a path leading out of the zip; it was not read."
    assert notes.startswith("“notes.txt” is not one side of a pair: name the two files NAME.en.txt and NAME.ru.txt")
    assert twice == "There are 2 English files: twice.en.txt, twice.en.md. Keep one."


@pytest.mark.parametrize(
    "path", ["/etc/story.en.txt", "C:/Users/story.en.txt", "a/../../story.en.txt", "a\\..\\..\\x.en.txt"]
)
def test_it_reads_nothing_from_a_path_leading_out_of_the_zip(path):
    batch = read_zip("batch.zip", zipped({path: EN, "good.en.txt": EN, "good.ru.txt": RU}), LIMIT)
    assert [item.title for item in batch.items] == ["good"]
    assert [error.reason for error in batch.errors] == [f"“{path}” has a path leading out of the zip; it was not read."]


def test_a_member_that_inflates_past_its_declared_size_is_stopped_there():
    bomb = b"The talks went on. " * 1_000_000  # 19 MB that deflate to some 20 KB
    data = patched(zipped({"bomb.en.txt": bomb, "bomb.ru.txt": RU, "good.en.txt": EN, "good.ru.txt": RU}),
                   "bomb.en.txt", size=1_000)
    batch = read_zip("batch.zip", data, LIMIT)
    assert [item.title for item in batch.items] == ["good"]
    assert [(error.name, error.reason) for error in batch.errors] == [(
        "bomb",
        "“bomb.en.txt” cannot be unpacked: it is damaged in the zip, or inflates past the size the zip declares.",
    )]


def test_a_password_protected_member_is_a_bad_item():
    data = patched(zipped({"locked.en.txt": EN, "locked.ru.txt": RU}), "locked.ru.txt", flags=0x1)
    (error,) = read_zip("batch.zip", data, LIMIT).errors
    assert error.reason == "“locked.ru.txt” is password-protected in the zip."


def test_a_member_declaring_more_than_a_side_may_hold_is_not_inflated():
    data = zipped({"big.en.txt": b"The talks went on. " * 200_000, "big.ru.txt": RU})
    (error,) = read_zip("batch.zip", data, LIMIT).errors
    assert error.reason == "“big.en.txt” is 3.6 MB; the limit is 2 MB per side."


def test_it_refuses_a_zip_that_declares_more_than_the_batch_may_unpack(settings):
    data = zipped({"a.en.txt": EN, "a.ru.txt": RU, "b.en.txt": EN})
    with pytest.raises(IngestError) as caught:
        read_zip("batch.zip", patched(data, "b.en.txt", size=300 * 1024 * 1024), LIMIT)
    assert caught.value.code == "zip_bomb"
    assert caught.value.message == (
        "“batch.zip” unpacks to 300 MB; a batch may unpack to 200 MB. Split it into smaller zips."
    )
    settings.SVERKA_BATCH_MAX_BYTES = len(EN) + len(RU)
    assert read_zip("batch.zip", zipped({"a.en.txt": EN, "a.ru.txt": RU}), LIMIT).items
    with pytest.raises(IngestError, match="a batch may unpack to"):
        read_zip("batch.zip", data, LIMIT)


def test_it_refuses_a_zip_with_more_files_than_a_batch_may_hold(settings):
    settings.SVERKA_BATCH_MAX_FILES = 4
    files = {f"{n}.{lang}.txt": EN for n in range(2) for lang in ("en", "ru")}
    assert len(read_zip("batch.zip", zipped(files), LIMIT).items) == 2
    with pytest.raises(IngestError) as caught:
        read_zip("batch.zip", zipped({**files, "__MACOSX/._0.en.txt": b"x"}), LIMIT)
    assert caught.value.code == "too_many"
    assert caught.value.message == (
        "“batch.zip” holds 5 files; a batch may hold 4 (2 pairs). Split it into smaller zips."
    )


@pytest.mark.parametrize(
    "data, code, message",
    [
        (b"title,en,ru\n", "not_zip", "“batch.zip” is not a readable zip archive."),
        (zipped({".DS_Store": b"x", "__MACOSX/._a.en.txt": b"x"}), "empty",
         "“batch.zip” holds no files named NAME.en.txt and NAME.ru.txt."),
    ],
)
def test_it_refuses_a_zip_it_cannot_use_at_all(data, code, message):
    with pytest.raises(IngestError) as caught:
        read_zip("batch.zip", data, LIMIT)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_it_reads_names_russian_windows_wrote_in_its_dos_code_page():
    placeholder = "AAAAAA"
    data = zipped({f"{placeholder}.en.txt": EN, f"{placeholder}.ru.txt": RU})
    for lang in ("en", "ru"):
        data = patched(data, f"{placeholder}.{lang}.txt", raw_name="Саммит".encode("cp866"))
    (item,) = read_zip("batch.zip", data, LIMIT).items
    assert item.title == "Саммит"
    assert item.en.file_name == "Саммит.en.txt"
