import codecs
import io
import struct
import zipfile

import pytest

from alignment.ingest import Extracted, IngestError, clean_name, html_to_text, markdown_to_text, read_upload
from tests.conftest import dev_story

LIMIT = 2 * 1024 * 1024
STORIES = ("upi.176266", "bbc.381647", "reuters.218923", "abcnews.306755")


def russian(name: str = "upi.176266", encodings=("windows-1251", "koi8-r")) -> str:
    """The story's Russian lines that both single-byte encodings can hold (KOI8-R has no « »)."""
    _, ru, _ = dev_story(name)
    lines = [line for line in ru if all(_encodable(line, e) for e in encodings)]
    assert len(lines) >= 3
    return "\n".join(lines) + "\n"


def english(name: str = "upi.176266") -> str:
    en, _, _ = dev_story(name)
    return "\n".join(en) + "\n"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def refused(name: str, data: bytes, limit: int = LIMIT) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_upload(name, data, limit)
    return caught.value


# --- Encodings ------------------------------------------------------------------------------------------


def test_it_reads_utf8_and_returns_a_frozen_result():
    text = russian()
    result = read_upload("story.txt", text.encode("utf-8"), LIMIT)
    assert result == Extracted(text=text, encoding="utf-8", file_name="story.txt")
    with pytest.raises(AttributeError):
        result.text = "changed"


def test_it_strips_the_utf8_byte_order_mark_and_says_so():
    text = russian()
    result = read_upload("story.txt", codecs.BOM_UTF8 + text.encode("utf-8"), LIMIT)
    assert (result.text, result.encoding) == (text, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_it_reads_utf16_with_a_byte_order_mark(codec, language):
    text = russian() if language == "ru" else english()
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    result = read_upload("story.txt", bom + text.encode(codec), LIMIT)
    assert (result.text, result.encoding) == (text, "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_it_recognises_utf16_without_a_byte_order_mark_by_its_nul_bytes(codec, language):
    text = russian() if language == "ru" else english()
    result = read_upload("story.txt", text.encode(codec), LIMIT)
    assert (result.text, result.encoding) == (text, codec)


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
def test_it_tells_windows_1251_from_koi8_r_in_real_russian_stories(name, encoding):
    text = russian(name)
    result = read_upload("story.txt", text.encode(encoding), LIMIT)
    assert (result.text, result.encoding) == (text, encoding)


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("case", [str, str.upper])
def test_it_tells_them_apart_in_one_headline_in_either_case(encoding, case):
    headline = case(russian("upi.176266").splitlines()[0])  # "В Калифорнии акула ранила 13-летнего ныряльщика..."
    result = read_upload("headline.txt", headline.encode(encoding), LIMIT)
    assert (result.text, result.encoding) == (headline, encoding)


def test_it_reads_english_in_windows_1252_as_a_last_resort():
    text = "The caf\u00e9\u2019s owner said \u201cno comment\u201d \u2013 twice.\n" + english()
    result = read_upload("story.txt", text.encode("windows-1252"), LIMIT)
    assert (result.text, result.encoding) == (text, "windows-1252")


def test_it_normalises_windows_and_old_mac_line_ends_and_keeps_everything_else():
    data = "Headline\r\n\r\nFirst\tline  \rSecond\u00a0line.\n".encode("utf-8")
    assert read_upload("story.txt", data, LIMIT).text == "Headline\n\nFirst\tline  \nSecond\u00a0line.\n"


# --- Formats --------------------------------------------------------------------------------------------


def test_it_strips_markdown_lightly_and_keeps_the_paragraphs():
    source = (
        "# Shark injures boy #\n"
        "\n"
        "A **shark** attacked a _13-year-old_ boy, *officials* said. ![photo](shark.jpg)\n"
        "Read [the report](https://example.org/report \"Report\") or [the notes][1].\n"
        "\n"
        "> \"I got bit!\" he yelled.\n"
        "\n"
        "Subhead\n"
        "-------\n"
        "- a list item with snake_case and 2 * 3 = 6\n"
        "Prices rose \\*sharply\\*.\n"
        "\n"
        "[1]: https://example.org/notes\n"
    )
    result = read_upload("story.md", source.encode("utf-8"), LIMIT)
    assert result.text == (
        "Shark injures boy\n"
        "\n"
        "A shark attacked a 13-year-old boy, officials said. \n"
        "Read the report or the notes.\n"
        "\n"
        "\"I got bit!\" he yelled.\n"
        "\n"
        "Subhead\n"
        "\n"
        "- a list item with snake_case and 2 * 3 = 6\n"
        "Prices rose *sharply*.\n"
        "\n"
        "\n"
    )


NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shark injures 13-year-old | The Coast Herald</title>
  <style>body { font-family: serif; }</style>
  <script>window.dataLayer = [];</script>
</head>
<body class="article-page has-sidebar">
  <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
    <button>Accept all</button></div>
  <header class="site-header">
    <a href="/" class="logo">The Coast Herald</a>
    <nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/news">News</a></div>
  <ul class="menu"><li>Weather</li><li>Traffic</li></ul>
  <main>
    <article class="story">
      <header>
        <h1>Shark injures 13-year-old on lobster dive in California</h1>
      </header>
      <div class="shareBar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
      <div class="story-body">
        <p>A shark attacked and injured a 13-year-old boy Saturday while he was diving
           for lobster in California, officials said.</p>
        <div class="ad-slot"><script>loadAd("mid")</script>Advertisement</div>
        <p>The attack occurred just before 7&nbsp;a.m. near Beacon&#39;s Beach in
           <a href="/tags/encinitas">Encinitas</a>.</p>
        <h2>Rescue</h2>
        <p>The boy was airlifted to Rady Children&rsquo;s Hospital &amp; is listed<br>in critical condition.</p>
        <aside class="related"><h3>Related</h3><ul><li><a href="/x">Great white spotted off La Jolla</a></li></ul></aside>
        <div class="newsletter-signup"><p>Get the morning briefing in your inbox every day, free of charge.</p></div>
        <p hidden>Hidden teaser text.</p>
      </div>
      <footer class="story-tags">Tags: sharks, California</footer>
    </article>
    <section id="comments">
      <h2>Comments (12)</h2>
      <p>First! This is a long comment that must not survive the extraction, however long it grows.</p>
    </section>
  </main>
  <aside class="sidebar"><h2>Most read</h2><p>Another story with plenty of paragraph text, long and longer still.</p></aside>
  <footer class="site-footer"><p>&copy; 2018 The Coast Herald. All rights reserved.</p></footer>
  <noscript>Please enable JavaScript.</noscript>
  <div style="display: none">Tracking pixel</div>
</body>
</html>
"""

ARTICLE_TEXT = (
    "Shark injures 13-year-old on lobster dive in California\n"
    "\n"
    "A shark attacked and injured a 13-year-old boy Saturday while he was diving for lobster in California, "
    "officials said.\n"
    "\n"
    "The attack occurred just before 7\u00a0a.m. near Beacon's Beach in Encinitas.\n"
    "\n"
    "Rescue\n"
    "\n"
    "The boy was airlifted to Rady Children\u2019s Hospital & is listed\nin critical condition."
)


@pytest.mark.parametrize("name", ["story.html", "story.htm"])
def test_it_keeps_only_the_article_of_a_news_page(name):
    result = read_upload(name, NEWS_PAGE.encode("utf-8"), LIMIT)
    assert result.text == ARTICLE_TEXT
    assert result.encoding == "utf-8"


def test_a_web_page_saved_as_txt_is_still_read_as_a_page():
    assert read_upload("story.txt", NEWS_PAGE.encode("utf-8"), LIMIT).text == ARTICLE_TEXT


def test_a_text_file_that_merely_mentions_tags_is_kept_as_text():
    text = "Use the <b> tag for bold & the <i> tag for italics.\n"
    assert read_upload("story.txt", text.encode("utf-8"), LIMIT).text == text


def test_without_article_or_main_it_takes_the_block_with_most_paragraph_text_and_its_headline():
    page = """<html><body>
      <div id="top"><h1>Talks collapse in Geneva</h1></div>
      <div class="col"><p>Short teaser.</p></div>
      <div class="content">
        <p>Negotiators left Geneva on Friday without an agreement.</p>
        <p>Both sides blamed each other for the failure.</p>
      </div>
      <div class="footer-links"><p>About us</p><p>Contact</p></div>
    </body></html>"""
    assert html_to_text(page) == (
        "Talks collapse in Geneva\n\n"
        "Negotiators left Geneva on Friday without an agreement.\n\n"
        "Both sides blamed each other for the failure."
    )


def test_of_several_articles_it_takes_the_one_with_most_text():
    page = """<main>
      <article><h2>Teaser one</h2></article>
      <article><h1>The real story</h1><p>It has a paragraph.</p><p>And another one.</p></article>
      <article><h2>Teaser two</h2></article>
    </main>"""
    assert html_to_text(page) == "The real story\n\nIt has a paragraph.\n\nAnd another one."


def test_it_survives_html_nested_ten_thousand_levels_deep():
    deep = "<div>" * 10_000 + "<p>Deep inside the page.</p>" + "</div>" * 10_000
    assert read_upload("deep.html", deep.encode("utf-8"), LIMIT).text == "Deep inside the page."
    unclosed = "<p>Start.</p>" + "<span><b>" * 10_000 + "<p>Never closed."
    assert html_to_text(unclosed) == "Start.\n\nNever closed."


def test_it_reads_html_in_windows_1251():
    page = "<html><body><article><h1>Заголовок новости</h1><p>Первый абзац статьи о переговорах.</p></article></body></html>"
    result = read_upload("story.html", page.encode("windows-1251"), LIMIT)
    assert result.text == "Заголовок новости\n\nПервый абзац статьи о переговорах."
    assert result.encoding == "windows-1251"


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


# --- Refusals -------------------------------------------------------------------------------------------


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


def test_it_refuses_binary_data_with_nul_bytes():
    data = bytes(range(256)) * 20
    error = refused("story.txt", data)
    assert error.code == "binary"
    assert "“story.txt” looks like binary data" in error.message


def test_it_refuses_text_full_of_control_characters():
    data = ("Text \x01\x02\x03\x04\x05\x06\x07\x08 " * 50).encode("ascii")
    assert refused("story.md", data).code == "binary"


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


def test_markdown_and_html_helpers_work_on_text_directly():
    assert markdown_to_text("## Title\n\n**Bold**") == "Title\n\nBold"
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
