"""Fetching an article from its address, against a web server of the test's own on 127.0.0.1. No test reaches
the network: names resolve through a fake of getaddrinfo that knows only the test's names."""

import gzip
import ipaddress
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from alignment.ingest import IngestError
from alignment.ingest.fetch import fetch_article
from alignment.ingest.network import refused_kind

REAL_GETADDRINFO = socket.getaddrinfo
PUBLIC_IP = "93.184.215.14"  # public, so allowed; a test's connection to it goes to 127.0.0.1 instead
ARTICLE = (
    "<html><head><title>Floods close the port - The Daily</title>"
    '<meta property="og:title" content="Floods close the port">'
    '<meta name="author" content="Jane Roe">'
    '<meta property="article:published_time" content="2026-03-04T10:00:00Z"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
    "<article><h1>Floods close the port</h1>"
    "<p>The port of Odesa was closed on Tuesday after the river burst its banks.</p>"
    "<p>Officials said 1,500 people had left their homes.</p></article>"
    "<footer>© 2026 The Daily</footer></body></html>"
)
ARTICLE_TEXT = (
    "Floods close the port\n\nThe port of Odesa was closed on Tuesday after the river burst its banks.\n\n"
    "Officials said 1,500 people had left their homes."
)
RU_ARTICLE = (
    "<html><head><meta charset='windows-1251'><title>Наводнение</title></head><body><article><h1>Наводнение</h1>"
    "<p>Порт Одессы закрыли во вторник, когда река вышла из берегов.</p></article></body></html>"
)


class Site:
    """The test's web server: the pages it serves, by path, and what it was asked."""

    def __init__(self, port: int):
        self.port = port
        self.routes = {}
        self.requests = []  # (path, headers), as they came
        self.release = threading.Event()  # set at the end of the test: handlers waiting on it finish
        self.sent = 0  # body bytes a streaming page managed to send
        self.done = threading.Event()  # a streaming page has stopped sending

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path, body, content_type="text/html; charset=utf-8", status=200, headers=()):
        def respond(handler):
            data = body if isinstance(body, bytes) else body.encode("utf-8")
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            for name, value in headers:
                handler.send_header(name, value)
            if not any(name == "Content-Length" for name, _ in headers):
                handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = respond

    def redirect(self, path, location, status=302):
        self.page(path, b"", status=status, headers=[("Location", location)])

    def stream(self, path, piece: bytes, pause: float = 0.0, headers=()):
        """A page with no length that sends `piece` again and again until the client hangs up."""

        def respond(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Connection", "close")
            for name, value in headers:
                handler.send_header(name, value)
            handler.end_headers()
            try:
                while not self.release.is_set() and self.sent < 200 * 1024 * 1024:
                    handler.wfile.write(piece)
                    self.sent += len(piece)
                    time.sleep(pause)
            except OSError:
                pass  # the client hung up
            finally:
                self.done.set()

        self.routes[path] = respond


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        site = self.server.site
        site.requests.append((self.path, dict(self.headers)))
        route = site.routes.get(self.path)
        if route is None:
            self.send_error(404)
        else:
            route(self)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Names resolve to the addresses a test gives them, 127.0.0.1 to itself, and nothing else at all."""
    names, looked_up = {}, []

    def getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        if host in names:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in names[host]
            ]
        if host == "127.0.0.1":
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return SimpleNamespace(names=names, looked_up=looked_up)


@pytest.fixture
def site(settings):
    settings.SVERKA_FETCH_ALLOW_PRIVATE = True
    settings.SVERKA_FETCH_TIMEOUT = 1
    settings.SVERKA_FETCH_TOTAL_SECONDS = 10
    settings.SVERKA_FETCH_MAX_BYTES = 100_000
    settings.SVERKA_FETCH_MAX_REDIRECTS = 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.site = Site(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.site
    server.site.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def public_site(site, dns, monkeypatch, settings):
    """The site as news.example, a name with a public address, with private addresses refused. Connections to
    that address go to the site instead."""
    settings.SVERKA_FETCH_ALLOW_PRIVATE = False
    dns.names["news.example"] = [PUBLIC_IP]
    real_connect = socket.socket.connect

    def connect(sock, address):
        return real_connect(sock, ("127.0.0.1", address[1]) if address[0] == PUBLIC_IP else address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return site


def refused(url: str) -> IngestError:
    with pytest.raises(IngestError) as caught:
        fetch_article(url)
    return caught.value


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


@pytest.mark.parametrize("url", ["ftp://example.org/story.html", "file:///etc/passwd", "gopher://example.org/"])
def test_it_fetches_only_http_and_https_addresses(url, dns):
    error = refused(url)
    assert error.code == "bad_scheme"
    assert url in error.message and "only http:// and https://" in error.message
    assert dns.looked_up == []


def test_it_fetches_from_a_public_address_under_the_name_it_resolved_once(public_site, dns):
    public_site.page("/story", ARTICLE)
    fetched = fetch_article(public_site.url("/story", host="news.example"))
    assert fetched.text == ARTICLE_TEXT
    # Resolved once and connected to that address: a second answer (DNS rebinding) is never asked for.
    assert dns.looked_up == ["news.example"]
    assert public_site.requests[0][1]["Host"] == f"news.example:{public_site.port}"


def test_it_refuses_a_loopback_address_unless_private_addresses_are_allowed(site, settings):
    site.page("/story", ARTICLE)
    settings.SVERKA_FETCH_ALLOW_PRIVATE = False
    error = refused(site.url("/story"))
    assert error.code == "private_address"
    assert "127.0.0.1 is a loopback address" in error.message
    assert site.requests == []


def test_it_refuses_a_redirect_to_a_private_address(public_site, dns):
    dns.names["intranet.example"] = ["10.0.0.7"]
    public_site.redirect("/to-loopback", public_site.url("/secret"))
    public_site.redirect("/to-intranet", "http://intranet.example/admin")
    error = refused(public_site.url("/to-loopback", host="news.example"))
    assert error.code == "private_address"
    assert error.message.startswith(f"Could not fetch {public_site.url('/secret')}: 127.0.0.1 is a loopback address")
    error = refused(public_site.url("/to-intranet", host="news.example"))
    assert error.code == "private_address"
    assert "intranet.example resolves to 10.0.0.7, a private address" in error.message
    assert [path for path, _ in public_site.requests] == ["/to-loopback", "/to-intranet"]


def test_a_name_with_any_private_address_is_refused_before_connecting(dns, settings, monkeypatch):
    settings.SVERKA_FETCH_ALLOW_PRIVATE = False
    dns.names["mixed.example"] = [PUBLIC_IP, "10.1.2.3"]
    dns.names["mapped.example"] = ["::ffff:192.168.0.1"]
    connected = []
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: connected.append(address))
    error = refused("https://mixed.example/news/1")
    assert error.code == "private_address"
    assert "mixed.example resolves to 10.1.2.3, a private address" in error.message
    assert refused("http://mapped.example/").code == "private_address"
    assert connected == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback"),
        ("10.0.0.1", "a private"),
        ("172.16.5.4", "a private"),
        ("192.168.1.1", "a private"),
        ("169.254.169.254", "a link-local"),  # where clouds serve their instances' credentials
        ("224.0.0.1", "a multicast"),
        ("240.0.0.1", "a reserved"),
        ("0.0.0.0", "an unspecified"),
        ("100.64.0.1", "a non-public"),
        ("::1", "a loopback"),
        ("::", "an unspecified"),
        ("fe80::1", "a link-local"),
        ("fd12:3456::1", "a private"),
        ("::ffff:127.0.0.1", "a loopback"),
        ("::ffff:10.0.0.1", "a private"),
        ("64:ff9b::a00:1", "a private"),  # 10.0.0.1 through NAT64
        ("2002:a00:1::1", "a private"),  # 10.0.0.1 through 6to4
        (PUBLIC_IP, None),
        ("8.8.8.8", None),
        ("2a00:1450:4001:80b::200e", None),
    ],
)
def test_it_tells_public_addresses_from_the_rest(address, kind):
    assert refused_kind(ipaddress.ip_address(address)) == kind


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


def test_a_missing_page_says_not_found(site):
    error = refused(site.url("/nowhere"))
    assert error.message == f"Could not fetch {site.url('/nowhere')}: the site answered 404 Not Found."


@pytest.mark.parametrize(
    ("content_type", "body", "encoding"),
    [
        ("text/html", RU_ARTICLE.encode("cp1251"), "windows-1251"),  # named in the page's <meta>
        ("text/html; charset=koi8-r", RU_ARTICLE.replace("windows-1251", "utf-8").encode("koi8-r"), "koi8-r"),
        ("text/html", RU_ARTICLE.replace(" charset='windows-1251'", "").encode("cp1251"), "windows-1251"),
        ("text/html; charset=no-such-charset", RU_ARTICLE.replace("windows-1251", "utf-8").encode(), "utf-8"),
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
