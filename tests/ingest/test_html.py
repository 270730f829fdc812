import pytest

from alignment.ingest import html_to_text, read_upload
from tests.ingest.helpers import LIMIT

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


def test_it_works_on_markup_directly():
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
