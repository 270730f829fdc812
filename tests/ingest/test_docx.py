import io
import struct
import zipfile

import pytest

from alignment.ingest import read_upload
from tests.ingest.helpers import LIMIT, refused

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def docx(body: str, extra: dict[str, bytes] | None = None, document: bool = True) -> bytes:
    """A minimal real .docx: the content types and word/document.xml with the given body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        if document:
            archive.writestr(
                "word/document.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>',
            )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def paragraph(*runs: str) -> str:
    return "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>" + "".join(f"<w:r>{run}</w:r>" for run in runs) + "</w:p>"


def test_it_reads_the_paragraphs_of_a_word_document():
    body = (
        paragraph("<w:t>Переговоры в Женеве сорвались</w:t>")
        + paragraph()  # an empty paragraph used as spacing
        + paragraph('<w:t xml:space="preserve">Стороны </w:t>', "<w:t>обвинили друг друга.</w:t>")
        + paragraph("<w:t>Итог:</w:t><w:tab/><w:t>ноль</w:t><w:br/><w:t>вторая строка</w:t>")
        + paragraph("<w:t>Deleted</w:t>").replace("<w:t>Deleted</w:t>", "<w:delText>Deleted</w:delText>")
    )
    result = read_upload("story.docx", docx(body), LIMIT)
    assert result.text == (
        "Переговоры в Женеве сорвались\n\nСтороны обвинили друг друга.\n\nИтог:\tноль\nвторая строка"
    )
    assert (result.encoding, result.file_name) == ("utf-8", "story.docx")


def test_a_text_box_inside_a_paragraph_becomes_a_paragraph_of_its_own():
    box = "<w:pict><w:txbxContent>" + paragraph("<w:t>Boxed quote.</w:t>") + "</w:txbxContent></w:pict>"
    body = paragraph("<w:t>Main text.</w:t>", box)
    assert read_upload("story.docx", docx(body), LIMIT).text == "Boxed quote.\n\nMain text."


def test_it_refuses_a_zip_without_a_word_document_inside():
    error = refused("story.docx", docx("", document=False))
    assert error.code == "not_docx"
    assert error.message == "“story.docx” is a ZIP archive but not a Word document: it has no word/document.xml."


def test_it_refuses_a_damaged_docx():
    assert refused("story.docx", b"PK\x03\x04" + b"garbage" * 30).code == "not_docx"


def test_it_refuses_a_docx_that_would_inflate_a_thousand_times():
    bomb = docx(paragraph("<w:t>Hi</w:t>"), extra={"word/media/image1.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    error = refused("bomb.docx", bomb)
    assert error.code == "zip_bomb"
    assert "“bomb.docx” would inflate to 20 MB" in error.message


def test_it_refuses_a_docx_that_declares_a_huge_size():
    data = bytearray(docx(paragraph("<w:t>Hi</w:t>")))
    # Every central directory entry now claims nearly 4 GB; nothing is inflated to find out.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)
        at = data.find(b"PK\x01\x02", at + 4)
    assert refused("huge.docx", bytes(data)).code == "zip_bomb"


# Word never writes a DTD: one is there to expand entities (a billion laughs) or to read files and URLs.
DTDS = {
    "entities": ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>', "&lol2;"),
    "external entity": ('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "external DTD": ('<!DOCTYPE w:document SYSTEM "http://example.org/evil.dtd">', "Hi"),
}
# "utf-16" writes a byte-order mark, the other two none: an XML parser knows UTF-16 either way.
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be"]


def xml_part(root: str, encoding: str = "utf-8", dtd: str = "") -> bytes:
    declared = "UTF-8" if encoding == "utf-8" else "UTF-16"
    return f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>{dtd}{root}'.encode(encoding)


def document(body: str, encoding: str = "utf-8", dtd: str = "") -> bytes:
    return xml_part(f"<w:document {W}><w:body>{body}</w:body></w:document>", encoding, dtd)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_it_reads_a_word_document_in_utf16_and_says_so(encoding):
    data = zipped({"word/document.xml": document(paragraph("<w:t>Переговоры сорвались</w:t>"), encoding)})
    result = read_upload("story.docx", data, LIMIT)
    assert (result.text, result.encoding) == ("Переговоры сорвались", encoding[:6])


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("dtd, text", DTDS.values(), ids=DTDS)
def test_it_refuses_a_docx_whose_document_declares_a_dtd_in_any_encoding(dtd, text, encoding):
    data = zipped({"word/document.xml": document(paragraph(f"<w:t>{text}</w:t>"), encoding, dtd)})
    error = refused("lol.docx", data)
    assert error.code == "not_docx"
    assert error.message == "“lol.docx” is not a Word document: its XML declares a DTD."


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("part", ["word/styles.xml", "word/_rels/document.xml.rels", "customXml/item1.xml"])
def test_it_refuses_a_docx_with_a_dtd_in_any_other_xml_part(part, encoding):
    laughs = xml_part(f"<w:styles {W}>&lol2;</w:styles>", encoding, DTDS["entities"][0])
    error = refused("lol.docx", docx(paragraph("<w:t>Hi</w:t>"), extra={part: laughs}))
    assert error.code == "not_docx"
    assert error.message == "“lol.docx” is not a Word document: its XML declares a DTD."


def test_it_refuses_a_docx_whose_text_is_not_well_formed_xml():
    error = refused("story.docx", zipped({"word/document.xml": document("<w:p><w:r><w:t>Hi</w:r></w:p>")}))
    assert error.code == "not_docx"
    assert error.message == "“story.docx” is damaged: its text is not well-formed XML."


def test_it_refuses_a_docx_with_more_xml_than_a_news_story_needs():
    # Stored, not deflated, so no ratio gives it away as a bomb: only the amount of XML to parse.
    text = paragraph("<w:t>" + "The talks in Geneva failed on Friday. " * 150 + "</w:t>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", document(text * 1_000))  # 5.5 MB
        archive.writestr("word/footnotes.xml", xml_part(f"<w:footnotes {W}>{text * 1_000}</w:footnotes>"))
    error = refused("long.docx", buffer.getvalue(), limit=64 * 1024 * 1024)
    assert error.code == "too_large"
    assert error.message == (
        "“long.docx” holds 11 MB of text and markup, more than a news story needs (the limit is 10 MB). "
        "Save the story in a document of its own, or paste its text."
    )
