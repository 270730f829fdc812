"""Fetching an article from its address: what comes through, and every way a page can fail, each with its
reason. Against the local server of fetch_site.py."""

import gzip
import os
import subprocess
import sys
import threading
from datetime import date

import pytest

from alignment.ingest.fetch import fetch_article
from alignment.ingest.html import HTML_MAX_TAGS
from tests.conftest import ROOT
from tests.ingest.fetch_site import ARTICLE, ARTICLE_TEXT, RU_ARTICLE, dns, refused, site  # noqa: F401 (fixtures)


def load_settings(code: str, **env) -> subprocess.CompletedProcess:
    """Run code in a process of its own, with the settings read from this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SVERKA_", "DEBUG"))}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SVERKA_VAR_DIR": "/tmp/sverka-settings", **env},
    )


def test_it_fetches_the_article_with_its_title_author_and_date(site):
    site.page("/story", ARTICLE)
    fetched = fetch_article(site.url("/story") + "#comments")
    assert fetched.text == ARTICLE_TEXT
    assert (fetched.title, fetched.author, fetched.published) == ("Floods close the port", "Jane Roe", date(2026, 3, 4))
    assert (fetched.url, fetched.encoding) == (site.url("/story"), "utf-8")
    path, headers = site.requests[0]
    assert path == "/story"
    assert "Sverka" in headers["User-Agent"]


def test_it_follows_a_chain_of_redirects_and_reports_the_final_address(site):
    site.redirect("/old", site.url("/older"), status=301)
    site.redirect("/older", "/newer?id=7", status=307)  # relative, as many sites send them
    site.redirect("/newer?id=7", "story")
    site.page("/story", ARTICLE)
    fetched = fetch_article(site.url("/old"))
    assert fetched.url == site.url("/story")
    assert fetched.text == ARTICLE_TEXT


def test_it_refuses_a_redirect_loop(site):
    site.redirect("/a", "/b")
    site.redirect("/b", "/a")
    error = refused(site.url("/a"))
    assert error.code == "redirect_loop"
    assert "loop" in error.message and site.url("/a") in error.message


def test_it_follows_no_more_redirects_than_allowed(site, settings):
    settings.SVERKA_FETCH_MAX_REDIRECTS = 2
    site.redirect("/1", "/2")
    site.redirect("/2", "/3")
    site.page("/3", ARTICLE)
    assert fetch_article(site.url("/1")).url == site.url("/3")
    site.redirect("/0", "/1")
    error = refused(site.url("/0"))
    assert error.code == "too_many_redirects"
    assert "more than 2 times" in error.message
    assert [path for path, _ in site.requests][-3:] == ["/0", "/1", "/2"]  # the third redirect was not followed


def test_a_page_that_does_not_answer_in_time_is_given_up_with_the_reason(site):
    answered = []

    def hold(handler):
        site.release.wait(30)
        answered.append(handler.path)

    site.routes["/slow"] = hold
    error = refused(site.url("/slow"))
    assert error.code == "timeout"
    assert error.message == f"Could not fetch {site.url('/slow')}: the site did not answer within 1 second."
    assert site.requests and not answered  # given up while the server still held the answer


def test_a_page_that_trickles_in_past_the_whole_fetchs_deadline_is_cut_off(site, settings):
    settings.SVERKA_FETCH_TOTAL_SECONDS = 2  # each byte comes in good time: only the deadline of the whole stops it
    site.stream("/trickle", b"<p>", pause=0.1)
    error = refused(site.url("/trickle"))
    assert error.code == "timeout"
    assert "longer than the 2 seconds a page may take in all" in error.message
    assert site.done.wait(5)  # the server found the connection cut


def test_headers_that_trickle_in_past_the_deadline_are_cut_off(site, settings):
    settings.SVERKA_FETCH_TOTAL_SECONDS = 2
    cut = threading.Event()

    def trickle(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Padding: ")
        try:  # a byte each 0.1 s for 8 s, then the page: a client without a deadline for the whole would take it
            for _ in range(80):
                site.release.wait(0.1)
                handler.wfile.write(b"a")
            handler.wfile.write(f"\r\nContent-Length: {len(ARTICLE)}\r\n\r\n{ARTICLE}".encode())
        except OSError:
            cut.set()

    site.routes["/slow-headers"] = trickle
    error = refused(site.url("/slow-headers"))
    assert error.code == "timeout"
    assert "longer than the 2 seconds a page may take in all" in error.message
    assert cut.wait(5)


def test_a_page_whose_length_is_over_the_limit_is_refused_unread(site):
    def announce(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(10 * 1024 * 1024))
        handler.end_headers()
        site.release.wait(30)  # the body never comes: a client waiting for it would time out instead

    site.routes["/huge"] = announce
    error = refused(site.url("/huge"))
    assert error.code == "too_large"
    assert error.message == f"Could not fetch {site.url('/huge')}: the page is 10 MB; the limit is 97.7 KB."


def test_a_page_of_no_stated_length_is_cut_off_at_the_limit(site):
    site.stream("/endless", b"<p>" + b"x" * 8189)
    error = refused(site.url("/endless"))
    assert error.code == "too_large"
    assert "larger than the limit" in error.message
    assert site.done.wait(5)
    assert site.sent < 200 * 1024 * 1024  # far less, in fact: what the connection's buffers held


def test_a_gzipped_page_is_unpacked_and_a_gzip_bomb_refused(site):
    site.page("/packed", gzip.compress(ARTICLE.encode()), headers=[("Content-Encoding", "gzip")])
    assert fetch_article(site.url("/packed")).text == ARTICLE_TEXT
    bomb = gzip.compress(b"<p>" + b" " * 5_000_000)
    assert len(bomb) < 10_000
    site.page("/bomb", bomb, headers=[("Content-Encoding", "gzip")])
    assert refused(site.url("/bomb")).code == "too_large"


def test_a_name_that_does_not_resolve_gets_a_reason(site):
    error = refused("http://no-such-site.example/story")
    assert error.code == "unreachable"
    assert "no site answers to the name no-such-site.example" in error.message


def test_a_page_of_menus_alone_has_no_article(site):
    site.page("/section", "<html><head><title>World - The Daily</title></head><body><nav><ul>"
              "<li><a href='/a'>Floods</a></li><li><a href='/b'>Elections</a></li></ul></nav></body></html>")
    error = refused(site.url("/section"))
    assert error.code == "no_article"
    assert error.message.startswith(f"No article found at {site.url('/section')}")


def test_a_page_with_only_a_headline_has_no_article(site):
    # A page its scripts fill in: the server sends the headline and nothing of the story.
    site.page("/live", "<html><head><title>Live: floods</title></head><body><h1>Live: floods</h1><div id='app'>"
              "</div><noscript>Turn on JavaScript</noscript></body></html>")
    assert refused(site.url("/live")).code == "no_article"


def test_a_page_of_far_more_tags_than_an_article_is_refused(site, settings):
    settings.SVERKA_FETCH_MAX_BYTES = 1_000_000
    site.page("/tags", "<html><body>" + "<b>" * (HTML_MAX_TAGS + 1) + "Text.</body></html>")
    error = refused(site.url("/tags"))
    assert error.code == "too_complex"
    assert f"more than {HTML_MAX_TAGS:,} HTML tags" in error.message


def test_a_page_that_is_not_html_or_text_is_refused_unread(site):
    site.page("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    site.page("/disguised", b"%PDF-1.7 ...", content_type="text/html")
    error = refused(site.url("/report.pdf"))
    assert (error.code, error.message) == (
        "not_html",
        f"Could not fetch {site.url('/report.pdf')}: it is application/pdf, not a web page. Give the address of the "
        "article's own page.",
    )
    assert "it is a PDF document" in refused(site.url("/disguised")).message


def test_a_plain_text_page_is_taken_as_it_is(site):
    site.page("/story.txt", "First paragraph.\r\n\r\nSecond paragraph.\r\n", content_type="text/plain")
    fetched = fetch_article(site.url("/story.txt"))
    assert (fetched.text, fetched.title, fetched.published) == ("First paragraph.\n\nSecond paragraph.", "", None)


@pytest.mark.parametrize("status", [404, 410, 500, 403])
def test_an_error_status_is_named(site, status):
    site.page("/gone", "<p>Sorry</p>", status=status)
    error = refused(site.url("/gone"))
    assert error.code == "http_status"
    assert f"the site answered {status} " in error.message


def test_a_missing_page_says_not_found_in_words_of_sverkas_own(site):
    error = refused(site.url("/nowhere"))
    assert error.message == f"Could not fetch {site.url('/nowhere')}: the site answered 404 Not Found."
    site.routes["/odd"] = lambda handler: handler.wfile.write(
        b"HTTP/1.1 404 Call +1 555 0100 to claim your prize\r\nContent-Length: 0\r\n\r\n"
    )
    assert refused(site.url("/odd")).message == f"Could not fetch {site.url('/odd')}: the site answered 404 Not Found."


@pytest.mark.parametrize(
    ("content_type", "body", "encoding"),
    [
        ("text/html", RU_ARTICLE.encode("cp1251"), "windows-1251"),  # named in the page's <meta>
        ("text/html; charset=koi8-r", RU_ARTICLE.replace("windows-1251", "utf-8").encode("koi8-r"), "koi8-r"),
        ("text/html", RU_ARTICLE.replace(" charset='windows-1251'", "").encode("cp1251"), "windows-1251"),
        ("text/html; charset=no-such-charset", RU_ARTICLE.replace("windows-1251", "utf-8").encode(), "utf-8"),
        ("text/html; charset=base64", RU_ARTICLE.replace("windows-1251", "utf-8").encode(), "utf-8"),  # no charset
        ("text/html", RU_ARTICLE.replace("windows-1251", "utf-16").encode(), "utf-8"),  # as browsers read it
    ],
)
def test_it_reads_the_encoding_the_server_or_the_page_names_or_else_guesses(site, content_type, body, encoding):
    site.page("/ru", body, content_type=content_type)
    fetched = fetch_article(site.url("/ru"))
    assert fetched.text == "Наводнение\n\nПорт Одессы закрыли во вторник, когда река вышла из берегов."
    assert fetched.encoding == encoding


def test_a_page_not_in_the_encoding_it_names_is_refused(site):
    site.page("/ru", RU_ARTICLE.replace("windows-1251", "utf-8").encode("cp1251"), content_type="text/html")
    error = refused(site.url("/ru"))
    assert error.code == "undecodable"
    assert "the page says it is in utf-8, but its bytes are not valid utf-8" in error.message


def test_https_to_a_server_that_does_not_speak_it_gets_a_reason(site):
    site.page("/story", ARTICLE)
    error = refused(f"https://127.0.0.1:{site.port}/story")
    assert error.code == "tls"
    assert "secure (HTTPS) connection" in error.message


def test_the_limits_default_to_the_documented_values_and_a_bad_one_stops_the_start():
    code = (
        "from django.conf import settings as s; print(s.SVERKA_FETCH_ALLOW_PRIVATE, s.SVERKA_FETCH_TIMEOUT, "
        "s.SVERKA_FETCH_TOTAL_SECONDS, s.SVERKA_FETCH_MAX_BYTES, s.SVERKA_FETCH_MAX_REDIRECTS)"
    )
    out = load_settings(code, DEBUG="true", SVERKA_MAX_UPLOAD_BYTES="1000")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "10", "30", "4000", "5"]
    out = load_settings(code, DEBUG="true", SVERKA_FETCH_TIMEOUT="0")
    assert out.returncode != 0
    assert "SVERKA_FETCH_TIMEOUT, SVERKA_FETCH_TOTAL_SECONDS and SVERKA_FETCH_MAX_BYTES must be at least 1" in out.stderr
    assert "must be true or false, not 'perhaps'" in load_settings(code, DEBUG="true", SVERKA_FETCH_ALLOW_PRIVATE="perhaps").stderr
