import socket
from pathlib import Path

import pytest

from alignment.ingest import html_to_text, read_upload
from alignment.ingest.html import HTML_MAX_TAGS, TooManyTags
from tests.ingest.helpers import LIMIT
from tests.stall import comes_back

PAGES = Path(__file__).parents[1] / "data" / "pages"


def page(name: str) -> tuple[str, str]:
    """A page of tests/data/pages and the article text it holds."""
    html, text = ((PAGES / f"{name}{suffix}").read_text(encoding="utf-8") for suffix in (".html", ".txt"))
    return html, text.removesuffix("\n")


@pytest.mark.parametrize("name", ["story.html", "story.htm"])
def test_it_keeps_only_the_article_of_a_news_page(name):
    html, text = page("news")
    result = read_upload(name, html.encode("utf-8"), LIMIT)
    assert result.text == text
    assert result.encoding == "utf-8"


def test_a_web_page_saved_as_txt_is_still_read_as_a_page():
    html, text = page("news")
    assert read_upload("story.txt", html.encode("utf-8"), LIMIT).text == text


def test_a_text_file_that_merely_mentions_tags_is_kept_as_text():
    text = "Use the <b> tag for bold & the <i> tag for italics.\n"
    assert read_upload("story.txt", text.encode("utf-8"), LIMIT).text == text


def test_without_article_or_main_it_keeps_the_story_under_its_headline_and_drops_the_teaser():
    html, text = page("no_article")
    assert html_to_text(html) == text


def test_a_story_spread_over_sibling_blocks_is_kept_whole():
    # One wrapper per paragraph, no <article>: the hand-written reader kept the one longest paragraph.
    html, text = page("sections")
    assert html_to_text(html) == text


def test_text_loose_in_the_body_is_kept_with_its_line_breaks():
    assert html_to_text("<html><body>Paragraph one.<br><br>Paragraph <b>two</b>.</body></html>") == (
        "Paragraph one.\nParagraph two."
    )
    assert html_to_text("<body><h1>Title</h1>Loose text.<p>A paragraph.</p>And a tail.</body>") == (
        "Title\n\nLoose text.\n\nA paragraph.\n\nAnd a tail."
    )


def test_a_short_page_is_not_swapped_for_a_dump_of_the_whole_page():
    page = (
        "<body><div class='content'>Para one is here.<br><br>Para two is <b>here</b>.<div class='ad'>Ad text</div>"
        "More text after the ad.</div><footer>© 2026 The Site</footer></body>"
    )
    assert html_to_text(page) == "Para one is here.\nPara two is here.\n\nMore text after the ad."


def test_a_paragraph_after_a_quote_is_kept():
    assert html_to_text("<blockquote><p>A quote.</p></blockquote><p>After the quote.</p>") == (
        "A quote.\n\nAfter the quote."
    )


def test_of_several_articles_it_takes_the_one_with_most_text():
    html, text = page("several_articles")
    assert html_to_text(html) == text


def test_it_survives_html_nested_ten_thousand_levels_deep():
    # lxml, under trafilatura, stops reading at 256 levels: deeper tags are left out before it sees the page.
    deep = "<div>" * 10_000 + "<p>Deep inside the page.</p>" + "</div>" * 10_000
    assert read_upload("deep.html", deep.encode("utf-8"), LIMIT).text == "Deep inside the page."
    unclosed = "<p>Start.</p>" + "<span><b>" * 9_000 + "<p>Never closed."
    assert html_to_text(unclosed) == "Start.\n\nNever closed."
    assert html_to_text("<div/>" * 10_000 + "<p>After.</p>") == "After."


def test_it_reads_as_many_tags_as_the_limit_and_refuses_one_more():
    assert html_to_text("<b>" * HTML_MAX_TAGS + "Text.") == "Text."
    with pytest.raises(TooManyTags):
        html_to_text("<b>" * (HTML_MAX_TAGS + 1) + "Text.")


def test_tags_that_hold_nothing_count_towards_the_limit_too():
    with pytest.raises(TooManyTags):
        html_to_text("<br>a" * (HTML_MAX_TAGS + 1))


def test_a_page_of_many_line_breaks_is_read_whole():
    # A break's text went into a paragraph whose children were counted again at every piece.
    with comes_back():
        text = html_to_text("<p>Start.</p>" + "Line.<br>" * (HTML_MAX_TAGS - 1))
    assert text.split("\n")[:3] == ["Start.", "", "Line."]
    assert text.count("Line.") == HTML_MAX_TAGS - 1


STALLING_PAGES = {
    "attributes without an end": "<p a=" * 50_000,
    "quoted attributes without an end": '<p a="' * 50_000,
    "a comment without an end": "<!--" + "<p>a</p>" * 20_000,
    "a declaration without an end": "<!" * 100_000,
    "end tags without an end": "</p" * 100_000,
    "a script without an end": "<script>" + "<p>a" * 50_000,
}


@pytest.mark.parametrize("tail", STALLING_PAGES.values(), ids=STALLING_PAGES.keys())
def test_markup_that_never_closes_ends_the_page_as_in_a_browser(tail):
    # The standard library's HTMLParser (before Python 3.11.13) read such a tag again from every "<" inside it.
    with comes_back():
        assert html_to_text("<p>Start of the story.</p>" + tail) == "Start of the story."


def test_a_quoted_attribute_may_hold_markup():
    page = """<p title="a > b" data-x='<p>Not text.</p>'>One.</p><p class = "x>y">Two.</p>"""
    assert html_to_text(page) == "One.\n\nTwo."


def test_a_script_or_a_style_is_read_to_its_end_tag_and_its_tags_are_not_counted():
    script = "<script>if (a<b) { s = '<p>Not text.</p>' + '" + "<b>" * HTML_MAX_TAGS + "'; }</SCRIPT >"
    page = f"<html><head><style>p > b {{ color: red }}</style></head><body>{script}<p>The story.</p></body></html>"
    assert html_to_text(page) == "The story."


def test_it_never_reaches_for_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("html_to_text went to the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    page = (
        '<html><head><link rel="stylesheet" href="http://example.org/s.css"><base href="http://example.org/">'
        '<meta property="og:url" content="http://example.org/story"></head><body><article><h1>Title</h1>'
        '<img src="http://example.org/a.jpg"><iframe src="http://example.org/embed"></iframe>'
        "<p>A paragraph of the story, long enough to be one.</p></article></body></html>"
    )
    assert html_to_text(page) == "Title\n\nA paragraph of the story, long enough to be one."


def test_it_reads_html_in_windows_1251():
    html, text = page("ru_article")
    result = read_upload("story.html", html.encode("windows-1251"), LIMIT)
    assert result.text == text
    assert result.encoding == "windows-1251"


def test_it_works_on_markup_directly():
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
