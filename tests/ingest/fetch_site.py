"""A web server of the test's own on 127.0.0.1 for the fetcher's tests, and a fake of getaddrinfo that knows only
the test's names: no test reaches the network."""

import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from alignment.ingest import IngestError
from alignment.ingest.fetch import fetch_article

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
    names, looked_up, hanging = {}, [], threading.Event()

    def getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        if host == "hangs.example":  # a name server that does not answer
            hanging.wait(30)
        if host in names:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in names[host]
            ]
        if host == "127.0.0.1":
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield SimpleNamespace(names=names, looked_up=looked_up)
    hanging.set()


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


@pytest.fixture
def tls_site(public_site, dns, monkeypatch, tmp_path):
    """The site over HTTPS as well, with a certificate for news.example that the fetcher is made to trust. Its
    `tls_port`, and `server_names`: the names clients asked for (SNI)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    real_context = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: real_context(cafile=str(cert)))
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    public_site.server_names = []
    served.sni_callback = lambda connection, name, context: public_site.server_names.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = served.wrap_socket(server.socket, server_side=True)
    server.site = public_site
    public_site.tls_port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield public_site
    server.shutdown()
    server.server_close()

def refused(url: str) -> IngestError:
    with pytest.raises(IngestError) as caught:
        fetch_article(url)
    return caught.value
