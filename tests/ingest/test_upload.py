import pytest

from alignment.ingest import clean_name, read_upload
from tests.ingest.helpers import LIMIT, refused
from tests.ingest.test_docx import docx, paragraph

def test_it_refuses_a_file_over_the_limit_and_says_both_sizes():
    error = refused("story.txt", b"a" * (5 * 1024 * 1024 // 2), limit=LIMIT)
    assert error.code == "too_large"
    assert error.message == "“story.txt” is 2.5 MB; the limit is 2 MB per side."
    assert "is 2 KB; the limit is 1 KB" in refused("story.txt", b"a" * 2048, limit=1024).message


def test_it_refuses_an_empty_file():
    assert refused("story.txt", b"").message == "“story.txt” is empty."


@pytest.mark.parametrize("name, data", [("blank.txt", b" \n\t\n"), ("menu.html", b"<nav>Home</nav>"), ("blank.docx", None)])
def test_it_refuses_a_file_without_text(name, data):
    error = refused(name, data if data is not None else docx(paragraph()))
    assert error.code == "no_text"
    assert name in error.message


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("story.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "a PNG image"),
        ("story.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        ("story.html", b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        ("story.txt", None, "a ZIP archive"),
        ("story.docx", b"%PDF-1.4\n1 0 obj << >>", "a PDF document, not a Word document"),
        ("story.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old Word (.doc)"),
        ("story.docx", "Просто текст, а не документ Word.".encode("utf-8"), "not a Word document"),
    ],
)
def test_it_refuses_content_that_does_not_match_the_extension(name, data, kind):
    error = refused(name, data if data is not None else docx(paragraph("<w:t>Hi</w:t>")))
    assert error.code == "mismatch"
    assert error.message.startswith(f"“{name}” is {kind}")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "/etc/passwd.txt", "..\\..\\boot.ini.txt", "C:\\Users\\olga\\story.txt", ".."]
)
def test_it_refuses_file_names_with_a_path(name):
    error = refused(name, b"Some text.")
    assert error.code == "bad_name"
    assert "contains a folder path" in error.message


def test_it_keeps_a_clean_base_name_for_display():
    assert read_upload(" my\tstory\u202e.txt ", b"Some text.", LIMIT).file_name == "my story.txt"
    assert clean_name("evil.php\x00.txt") == "evil.php.txt"
    long_name = clean_name("x" * 400 + ".docx")
    assert len(long_name) == 255 and long_name.endswith(".docx")
    assert clean_name("") == "upload"


@pytest.mark.parametrize(
    "name, hint",
    [("story.pdf", "Copy the article text out of the PDF"), ("story.doc", "Save it from Word as .docx"), ("story.odt", "")],
)
def test_it_refuses_unsupported_extensions_and_names_the_supported_ones(name, hint):
    error = refused(name, b"%PDF-1.4")
    assert error.code == "unsupported"
    assert f"(“{name}”). Upload a .txt, .md, .html, .htm or .docx file." in error.message
    assert hint in error.message


def test_it_refuses_a_file_without_an_extension():
    assert refused("story", b"Text.").message == "“story” has no extension. Upload a .txt, .md, .html, .htm or .docx file."
