"""Fetching only from public addresses: the schemes allowed, every resolved address vetted at every hop, and the
connection pinned to the address vetted, over HTTP and HTTPS. Against the local server of fetch_site.py, made to
look public where a test needs it."""

import ipaddress
import socket

import pytest

from alignment.ingest.fetch import fetch_article
from alignment.ingest.network import refused_kind
from tests.ingest.fetch_site import (  # noqa: F401 (fixtures)
    ARTICLE,
    ARTICLE_TEXT,
    PUBLIC_IP,
    dns,
    public_site,
    refused,
    site,
    tls_site,
)


@pytest.mark.parametrize("url", ["ftp://example.org/story.html", "file:///etc/passwd", "gopher://example.org/"])
def test_it_fetches_only_http_and_https_addresses(url, dns):
    error = refused(url)
    assert error.code == "bad_scheme"
    assert url in error.message and "only http:// and https://" in error.message
    assert dns.looked_up == []


@pytest.mark.parametrize("url", ["http://exa mple.org/", "http://a\x00b.org/", "http://[::1/", "http://a..b/", "https://"])
def test_what_is_not_a_web_address_is_refused_before_any_lookup(url, dns):
    dns.names["exa mple.org"] = dns.names["a\x00b.org"] = [PUBLIC_IP]  # as a lax name server might answer
    error = refused(url)
    assert error.code == "bad_url"
    assert "is not a web page's address" in error.message
    assert dns.looked_up == []


def test_it_fetches_from_a_public_address_under_the_name_it_resolved_once(public_site, dns):
    public_site.page("/story", ARTICLE)
    fetched = fetch_article(public_site.url("/story", host="news.example"))
    assert fetched.text == ARTICLE_TEXT
    # Resolved once and connected to that address: a second answer (DNS rebinding) is never asked for.
    assert dns.looked_up == ["news.example"]
    assert public_site.requests[0][1]["Host"] == f"news.example:{public_site.port}"


def test_https_goes_to_the_vetted_address_with_the_name_in_sni_and_the_certificate_check(tls_site, dns):
    tls_site.page("/story", ARTICLE)
    fetched = fetch_article(f"https://news.example:{tls_site.tls_port}/story")
    assert fetched.text == ARTICLE_TEXT
    assert tls_site.server_names == ["news.example"]
    assert dns.looked_up == ["news.example"]


def test_https_to_a_site_whose_certificate_names_another_host_is_refused(tls_site, dns):
    dns.names["other.example"] = [PUBLIC_IP]
    tls_site.page("/story", ARTICLE)
    error = refused(f"https://other.example:{tls_site.tls_port}/story")
    assert error.code == "tls"
    assert "its certificate is not valid for other.example" in error.message
    assert tls_site.requests == []


def test_a_name_server_that_does_not_answer_is_given_up_on(site):
    error = refused("http://hangs.example/story")
    assert error.code == "timeout"
    assert "did not answer within 1 second" in error.message


def test_addresses_with_letters_beyond_ascii_are_escaped_as_browsers_do(site):
    site.page("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?q=%D0%B4%D0%B0", ARTICLE)

    def redirect(handler):  # a UTF-8 address, as raw bytes in the header, as some servers send it
        handler.wfile.write("HTTP/1.1 302 Found\r\nLocation: /новости?q=да\r\nContent-Length: 0\r\n\r\n".encode())

    site.routes["/old"] = redirect
    assert fetch_article(site.url("/новости?q=да")).text == ARTICLE_TEXT
    assert fetch_article(site.url("/old")).text == ARTICLE_TEXT


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
