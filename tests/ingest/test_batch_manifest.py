"""A manifest read into a batch: the contract's columns in CSV and TSV, each side a file, an address or the text
itself; bad rows named by their line; and the encodings a spreadsheet saves in."""

import codecs
from datetime import date

import pytest

from alignment.ingest import IngestError
from alignment.ingest.batch import Side, read_manifest
from tests.ingest.helpers import LIMIT

EN = "The talks in Geneva broke down on Tuesday. Both sides blamed each other."
RU = "Переговоры в Женеве сорвались во вторник. Стороны обвинили друг друга."


@pytest.fixture
def folder(tmp_path):
    """A manifest's folder with the files its rows name."""
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "geneva.en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "texts" / "geneva.ru.txt").write_bytes(RU.encode("windows-1251"))
    (tmp_path / "summit.en.md").write_text("# Summit\n\nLeaders met in **Paris**.", encoding="utf-8")
    return tmp_path


def manifest(*rows: list[str], delimiter: str = ",") -> bytes:
    def cell(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(ch in value for ch in f'{delimiter}"\n') else value

    return "\r\n".join(delimiter.join(cell(value) for value in row) for row in rows).encode("utf-8")


GOOD = [
    ["title", "en", "ru", "published", "outlet"],
    ["Geneva talks", "texts/geneva.en.txt", "texts\\geneva.ru.txt", "2024-03-01", "Meduza"],
    ["Summit", "summit.en.md", "https://example.org/ru/summit?id=7", "", ""],
    ["Inline", EN + "\nSecond paragraph, with a comma.", RU, "2024-03-02T09:30:00Z", "  BBC   News "],
    ["Both fetched", "http://example.org/en/a", "HTTPS://example.org/ru/a", "", ""],
]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_it_reads_files_addresses_and_inline_text_in_csv_and_tsv(folder, delimiter):
    batch = read_manifest(str(folder / "stories.csv"), manifest(*GOOD, delimiter=delimiter), folder, LIMIT)
    assert batch.errors == []
    geneva, summit, inline, fetched = batch.items
    assert [item.row for item in batch.items] == [2, 3, 4, 6]  # the inline text spans lines 4 and 5
    assert geneva.title == "Geneva talks" and (geneva.published, geneva.outlet) == (date(2024, 3, 1), "Meduza")
    assert geneva.en == Side(text=EN, file_name="geneva.en.txt", encoding="utf-8")
    assert geneva.ru == Side(text=RU, file_name="geneva.ru.txt", encoding="windows-1251")
    assert summit.en.text == "Summit\n\nLeaders met in Paris."
    assert summit.ru == Side(url="https://example.org/ru/summit?id=7")
    assert (summit.published, summit.outlet) == (None, "")
    assert inline.en == Side(text=EN + "\nSecond paragraph, with a comma.", encoding="utf-8")
    assert inline.ru == Side(text=RU, encoding="utf-8")
    assert (inline.published, inline.outlet) == (date(2024, 3, 2), "BBC News")
    assert (fetched.en.url, fetched.ru.url) == ("http://example.org/en/a", "HTTPS://example.org/ru/a")


def test_a_bad_row_is_named_by_its_line_with_its_reason_and_the_rest_goes_on(folder, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("Not for the batch to read.", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    rows = [
        ["Title", "EN", "RU", "Published"],
        ["", EN, RU, ""],
        ["Empty side", EN, "  ", ""],
        ["Bad date", EN, RU, "01.03.2024"],
        ["Missing file", "texts/missing.en.txt", RU, ""],
        ["Escaping", f"../{outside.parent.name}/secret.txt", RU, ""],
        ["Through a link", EN, "link.txt", ""],
        ["Absolute", str(outside), RU, ""],
        ["Over FTP", "ftp://example.org/story.txt", RU, ""],
        ["No scheme", "www.example.org/story", RU, ""],
        ["Good", EN, RU, "2024-02-29"],
        ["Extra cells", EN, RU, "", "surplus, unquoted"],
        ["", "", "", "2024-99-99"],
    ]
    batch = read_manifest("stories.csv", manifest(*rows), folder, LIMIT)
    assert [(item.row, item.title) for item in batch.items] == [(11, "Good")]
    assert [(error.row, error.name, error.reason) for error in batch.errors] == [
        (2, "row 2", "The title is empty."),
        (3, "Empty side", "The Russian side is empty."),
        (4, "Bad date", "The date “01.03.2024” is not an ISO date such as 2024-03-01."),
        (5, "Missing file", "The English file “texts/missing.en.txt” is not there, next to the manifest."),
        (6, "Escaping", f"The English file “../{outside.parent.name}/secret.txt” lies outside the manifest's folder."),
        (7, "Through a link", "The Russian file “link.txt” lies outside the manifest's folder."),
        (8, "Absolute", f"The English file “{outside}” is given by an absolute path; give it relative to the "
                        "manifest."),
        (9, "Over FTP", "The English address “ftp://example.org/story.txt” starts with ftp://; only http and https "
                        "pages can be fetched."),
        (10, "No scheme", "The English side “www.example.org/story” is neither an http(s) address, a file name, nor "
                          "an article: write an address in full, with https://."),
        (12, "Extra cells", "The row has 5 cells but the header 4: a text holding the delimiter must be wrapped in "
                            "double quotes."),
        (13, "row 13", "The title is empty. The date “2024-99-99” is not an ISO date such as 2024-03-01. "
                       "The English side is empty. The Russian side is empty."),
    ]


def test_blank_lines_are_passed_over_but_counted_in_row_numbers():
    data = f"title,en,ru\n\nFirst,{EN},{RU}\n\n\nSecond,{EN},\n".encode()
    batch = read_manifest("folder/stories.csv", data, None, LIMIT)
    assert [(item.row, item.title) for item in batch.items] == [(3, "First")]
    assert [(error.row, error.name) for error in batch.errors] == [(6, "Second")]


def test_a_manifest_uploaded_in_the_browser_takes_addresses_and_text_but_no_files():
    rows = [["title", "en", "ru"], ["Files", "texts/geneva.en.txt", RU], ["Text", EN, "https://example.org/ru"]]
    batch = read_manifest("stories.csv", manifest(*rows), None, LIMIT)
    assert [(item.title, item.ru) for item in batch.items] == [("Text", Side(url="https://example.org/ru"))]
    (error,) = batch.errors
    assert (error.row, error.reason) == (2, (
        "The English side “texts/geneva.en.txt” names a file, but a manifest uploaded here cannot bring files: give "
        "the text itself or an http(s) address, or import the files as a zip of pairs."
    ))


def test_a_file_is_read_as_an_upload_of_its_own(folder):
    (folder / "blank.ru.txt").write_text(" \n", encoding="utf-8")
    (folder / "scan.ru.pdf").write_bytes(b"%PDF-1.7\n")
    rows = [["title", "en", "ru"], ["Blank", EN, "blank.ru.txt"], ["Scan", EN, "scan.ru.pdf"]]
    blank, scan = read_manifest("m.csv", manifest(*rows), folder, LIMIT).errors
    assert blank.reason == "“blank.ru.txt” contains no article text."
    assert scan.reason.startswith(".pdf files are not supported (“scan.ru.pdf”).")


@pytest.mark.parametrize(
    "header, missing",
    [
        (["title", "english", "russian"], "columns en, ru"),
        (["name", "en", "ru"], "column title"),
        ([""], "columns title, en, ru"),
    ],
)
def test_a_header_without_a_required_column_refuses_the_whole_manifest(header, missing):
    with pytest.raises(IngestError) as caught:
        read_manifest("stories.csv", manifest(header, ["Geneva", EN, RU]), None, LIMIT)
    assert caught.value.code == "bad_header"
    assert caught.value.message == (
        f"The header row of “stories.csv” lacks the {missing}. It must name the columns title, en and ru (and, if you "
        "like, published and outlet), separated by commas, semicolons or tabs."
    )


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16"),  # Excel's "Unicode text"
        (lambda text: text.encode("windows-1251"), "windows-1251"),
    ],
)
def test_it_decodes_the_manifest_as_a_spreadsheet_saved_it(encode, encoding):
    text = f"title\ten\tru\nПереговоры в Женеве\t{EN}\t{RU}\n"
    (item,) = read_manifest("stories.tsv", encode(text), None, LIMIT).items
    assert (item.title, item.en.text, item.ru.text) == ("Переговоры в Женеве", EN, RU)
    assert item.ru.encoding == encoding


def test_it_refuses_a_manifest_with_a_quote_left_open_and_names_the_line():
    data = manifest(["title", "en", "ru"], ["Good", EN, RU]) + f'\r\nOpen,"{EN},{RU}\r\nNext,{EN},{RU}'.encode()
    with pytest.raises(IngestError) as caught:
        read_manifest("stories.csv", data, None, LIMIT)
    assert caught.value.message.startswith("“stories.csv” cannot be read from line 3: a double quote is left open")


@pytest.mark.parametrize("data", [b"", b"title,en,ru\r\n", b"title,en,ru\r\n,,\r\n\r\n"])
def test_it_refuses_a_manifest_without_stories(data):
    with pytest.raises(IngestError) as caught:
        read_manifest("stories.csv", data, None, LIMIT)
    assert caught.value.code == "empty"


def test_it_refuses_a_zip_given_as_the_manifest():
    with pytest.raises(IngestError) as caught:
        read_manifest("stories.zip", b"PK\x03\x04" + bytes(100), None, LIMIT)
    assert caught.value.message == "“stories.zip” is a ZIP archive (perhaps a .docx), not a CSV or TSV manifest."


def test_it_refuses_more_rows_than_a_batch_may_hold(settings):
    settings.SVERKA_BATCH_MAX_FILES = 4
    rows = [["title", "en", "ru"]] + [[f"Story {n}", EN, RU] for n in range(2)]
    assert len(read_manifest("m.csv", manifest(*rows), None, LIMIT).items) == 2
    with pytest.raises(IngestError, match="has more than 2 rows; a batch may hold 2 stories"):
        read_manifest("m.csv", manifest(*rows, ["Story 3", EN, RU]), None, LIMIT)


def test_it_refuses_files_adding_up_to_more_than_a_batch_may_hold(folder, settings):
    settings.SVERKA_BATCH_MAX_BYTES = 2 * len(EN) + 10  # inline texts do not count: the manifest holds them
    rows = [["title", "en", "ru"], ["One", "texts/geneva.en.txt", RU], ["Two", "texts/geneva.en.txt", RU]]
    assert len(read_manifest("m.csv", manifest(*rows), folder, LIMIT).items) == 2
    with pytest.raises(IngestError) as caught:
        read_manifest("m.csv", manifest(*rows, ["Three", "texts/geneva.en.txt", RU]), folder, LIMIT)
    assert caught.value.code == "too_large"


def test_an_inline_text_over_the_limit_is_a_bad_row():
    (error,) = read_manifest("m.csv", manifest(["title", "en", "ru"], ["Long", EN * 20, RU]), None, 1024).errors
    assert error.reason == "The English text is 1.4 KB; the limit is 1 KB per side."
