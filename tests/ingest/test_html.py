from pathlib import Path

import pytest

from alignment.ingest import html_to_text, read_upload
from tests.ingest.helpers import LIMIT

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


def test_without_article_or_main_it_takes_the_block_with_most_paragraph_text_and_its_headline():
    html, text = page("no_article")
    assert html_to_text(html) == text


def test_of_several_articles_it_takes_the_one_with_most_text():
    html, text = page("several_articles")
    assert html_to_text(html) == text


def test_it_survives_html_nested_ten_thousand_levels_deep():
    deep = "<div>" * 10_000 + "<p>Deep inside the page.</p>" + "</div>" * 10_000
    assert read_upload("deep.html", deep.encode("utf-8"), LIMIT).text == "Deep inside the page."
    unclosed = "<p>Start.</p>" + "<span><b>" * 10_000 + "<p>Never closed."
    assert html_to_text(unclosed) == "Start.\n\nNever closed."


def test_it_reads_html_in_windows_1251():
    html, text = page("ru_article")
    result = read_upload("story.html", html.encode("windows-1251"), LIMIT)
    assert result.text == text
    assert result.encoding == "windows-1251"


def test_it_works_on_markup_directly():
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
