import io
import struct
import zipfile

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


def test_it_refuses_a_docx_whose_xml_declares_entities():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", laughs)
    assert refused("lol.docx", buffer.getvalue()).code == "not_docx"
