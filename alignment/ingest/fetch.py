"""A web address to its article: the page fetched within time and size limits, from public addresses only
(network.py keeps to those), and read as an uploaded page is.

Redirects are followed here, each hop checked as the first was. The body is read a piece at a time and given up
at the size limit, or not read at all when its Content-Length is over it; a gzipped body counts at its unpacked
size as well. Every failure raises IngestError with a reason the person who gave the address can act on; the
exception's own text goes to the log only.
"""

from __future__ import annotations

import codecs
import http.client
import logging
import re
import zlib
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from urllib.parse import urljoin

from django.conf import settings

from alignment.pipeline import Lang, PipelineError
from alignment.pipeline.validate import check_text

from .encodings import decode, normalize_newlines
from .errors import IngestError, format_size
from .html import HTML_MAX_TAGS, TooManyTags, html_to_article, looks_like_page
from .magic import sniff
from .network import Clock, PinnedConnection, Target, failed, network_failure, parse_target, public_addresses, shown

log = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; Sverka/1.0; fetches one news article to compare its two languages)"
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
    "Accept-Encoding": "gzip, identity",
    "Connection": "close",
}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 64 * 1024
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Fetched:
    text: str  # the article, paragraphs separated by blank lines, as html_to_text gives it
    title: str  # from the page's metadata; "" when it has none, as for author
    author: str
    published: date | None
    url: str  # where the page was found, after any redirects
    encoding: str  # "utf-8", "windows-1251", "koi8-r", ...


def fetch_article(url: str) -> Fetched:
    """The article at a web address. Raises IngestError, with a reason for the person who gave it, for an
    address that is refused, a page that cannot be fetched, and a page with no article."""
    clock = Clock(settings.SVERKA_FETCH_TIMEOUT, settings.SVERKA_FETCH_TOTAL_SECONDS)
    try:
        target, page = _follow(url.strip(), clock)
    finally:
        clock.stop()
    return _article(target, page)


@dataclass(frozen=True)
class _Page:
    content_type: str | None  # None when the server did not say
    charset: str | None
    body: bytes


def _follow(url: str, clock: Clock) -> tuple[Target, _Page]:
    """Fetch the page, following redirects."""
    target = parse_target(url)
    seen = {(target.tls, target.host, target.port, target.path)}
    for _ in range(settings.SVERKA_FETCH_MAX_REDIRECTS + 1):
        result = _get(target, clock)
        if isinstance(result, _Page):
            return target, result
        following = parse_target(urljoin(target.url, result))
        key = (following.tls, following.host, following.port, following.path)
        if key in seen:
            raise failed(url, f"its redirects go round in a loop, back to {shown(following.url)}.", "redirect_loop")
        seen.add(key)
        target = following
    raise failed(url, f"it redirects more than {settings.SVERKA_FETCH_MAX_REDIRECTS} times.", "too_many_redirects")


def _get(target: Target, clock: Clock) -> _Page | str:
    """One request: the page, or the address it redirects to."""
    connection = PinnedConnection(target, public_addresses(target, clock), clock)
    try:
        connection.request("GET", target.path, headers=_HEADERS)
        response = connection.getresponse()
        try:
            return _response(target, response, clock)
        finally:
            response.close()
    except (OSError, http.client.HTTPException, zlib.error) as error:
        log.info("fetching %s failed: %r", target.url, error)
        raise network_failure(target, error, clock) from None
    finally:
        connection.close()


def _response(target: Target, response: http.client.HTTPResponse, clock: Clock) -> _Page | str:
    status = response.status
    if status in _REDIRECTS:
        location = response.getheader("Location")
        if not location:
            raise failed(target.url, f"the site answered {status} (a redirect) without saying where to.", "http_status")
        return _header_text(location).strip()
    if not 200 <= status < 300:
        raise failed(target.url, f"the site answered {status} {_phrase(response)}".rstrip() + ".", "http_status")
    content_type = response.headers.get_content_type() if response.getheader("Content-Type") else None
    if content_type not in (None, "text/plain", *_PAGE_TYPES):
        raise _not_a_page(target, shown(content_type))
    limit = settings.SVERKA_FETCH_MAX_BYTES
    length = response.getheader("Content-Length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise _too_large(target, int(length))
    return _Page(content_type, response.headers.get_content_charset(), _body(target, response, clock, limit))


def _body(target: Target, response: http.client.HTTPResponse, clock: Clock, limit: int) -> bytes:
    """The body, unpacked if gzipped, read a piece at a time and given up once over the limit."""
    coding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if coding not in ("identity", "gzip", "x-gzip"):
        raise failed(target.url, f"the site sent it packed as “{shown(coding)}”, which Sverka cannot unpack.",
                     "bad_response")
    unpack = zlib.decompressobj(16 + zlib.MAX_WBITS) if coding != "identity" else None
    pieces: list[bytes] = []
    received = size = 0
    while True:
        clock.before_read()
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        received += len(chunk)
        if unpack is not None:
            chunk = unpack.decompress(chunk, limit + 1 - size)  # never more than one byte past the limit
        size += len(chunk)
        if received > limit or size > limit:
            raise _too_large(target)
        pieces.append(chunk)
    if clock.expired:  # the watchdog cut the connection: what arrived is not the whole page
        raise clock.timed_out(target)
    return b"".join(pieces)


def _article(target: Target, page: _Page) -> Fetched:
    kind = sniff(page.body)
    if kind:
        raise _not_a_page(target, kind)
    text, encoding = _decoded(target, page)
    try:
        check_text(text, Lang.EN)  # the language does not matter here, only whether this is text at all
    except PipelineError:
        raise failed(target.url, f"its bytes do not read as {encoding} text.", "undecodable") from None
    if page.content_type in _PAGE_TYPES or looks_like_page(text):
        try:
            article = html_to_article(text)
        except TooManyTags:
            raise failed(
                target.url, f"the page has more than {HTML_MAX_TAGS:,} HTML tags, far more than an article's.",
                "too_complex",
            ) from None
        if article.found:
            return Fetched(article.text, article.title, article.author, article.published, target.url, encoding)
    elif normalize_newlines(text).strip():
        return Fetched(normalize_newlines(text).strip(), "", "", None, target.url, encoding)
    raise IngestError(
        f"No article found at {shown(target.url)}: the page has no text beyond its headline and menus. Give the "
        "address of the article itself, or paste or upload its text.",
        code="no_article",
    )


def _decoded(target: Target, page: _Page) -> tuple[str, str]:
    """The text and its encoding: a byte-order mark, else the charset the server or the page names, else the
    likeliest of those a Russian or English newsroom uses."""
    declared = None
    if not page.body.startswith(_BOMS):
        meta = _META_CHARSET.search(page.body[:4096]) if page.content_type != "text/plain" else None
        in_page = _codec(meta and meta.group(1).decode("ascii"))
        # A page read far enough to find its <meta> is no UTF-16: browsers take the label for UTF-8.
        declared = _codec(page.charset) or ("utf-8" if in_page and in_page.startswith("utf-16") else in_page)
    if declared is None:
        try:
            return decode(shown(target.url), page.body)
        except IngestError:
            raise failed(target.url, "its bytes do not read as text in any encoding.", "undecodable") from None
    if declared in ("ascii", "iso8859-1", "cp1252"):  # labels browsers all read as Windows-1252, its superset
        declared = "cp1252" if _decodes(page.body, "cp1252") else "iso8859-1"
    name = f"windows-{declared[2:]}" if declared.startswith("cp125") else declared.replace("iso8859", "iso-8859")
    try:
        return page.body.decode(declared), name
    except UnicodeDecodeError:
        reason = f"the page says it is in {name}, but its bytes are not valid {name}."
        raise failed(target.url, reason, "undecodable") from None


def _codec(label: str | None) -> str | None:
    """Python's name for a charset; None for one it does not know, or a transform such as base64 or rot13."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
        b"x".decode(name, "ignore")  # a transform is no text encoding: bytes.decode refuses it (not b"": no look-up)
    except LookupError:  # as if no charset were named
        return None
    return name


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _header_text(value: str) -> str:
    """A header as sent: http.client reads headers as Latin-1, and a redirect may carry a UTF-8 address."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _phrase(response: http.client.HTTPResponse) -> str:
    """The status's standard phrase: the server's own is any text it likes."""
    try:
        return HTTPStatus(response.status).phrase
    except ValueError:  # a status HTTP does not define
        return ""


def _not_a_page(target: Target, kind: str) -> IngestError:
    return failed(target.url, f"it is {kind}, not a web page. Give the address of the article's own page.", "not_html")


def _too_large(target: Target, size: int | None = None) -> IngestError:
    limit = format_size(settings.SVERKA_FETCH_MAX_BYTES)
    reason = f"the page is {format_size(size)}; " if size else "the page is larger than the limit: "
    return failed(target.url, f"{reason}the limit is {limit}.", "too_large")
