"""The client's address: the address that called, unless SVERKA_PROXY_COUNT proxies are said to stand in front,
and then the one the outermost of them saw, however the client filled X-Forwarded-For itself."""

import pytest
from django.test import RequestFactory

from alignment.ops.clients import client_address

CLIENT, SPOOFED = "198.51.100.7", "203.0.113.66"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_with_no_proxy_it_is_the_caller_and_a_forwarded_header_is_ignored(settings):
    settings.SVERKA_PROXY_COUNT = 0
    assert client_address(request_from(CLIENT)) == CLIENT
    assert client_address(request_from(CLIENT, SPOOFED)) == CLIENT


@pytest.mark.parametrize("count, forwarded, remote", [
    # One proxy (10.0.0.1) appends the address that called it.
    (1, CLIENT, "10.0.0.1"),
    (1, f"{SPOOFED}, {CLIENT}", "10.0.0.1"),
    # Two: the outer one (10.0.0.2) appends the client, the inner one (10.0.0.1) the outer one.
    (2, f"{CLIENT}, 10.0.0.2", "10.0.0.1"),
    (2, f"{SPOOFED}, {SPOOFED}, {CLIENT}, 10.0.0.2", "10.0.0.1"),
])
def test_behind_proxies_it_is_the_address_the_outermost_proxy_saw(settings, count, forwarded, remote):
    settings.SVERKA_PROXY_COUNT = count
    assert client_address(request_from(remote, forwarded)) == CLIENT


@pytest.mark.parametrize("forwarded", [None, "", CLIENT, "not-an-address, 10.0.0.2", "999.1.1.1, 10.0.0.2"])
def test_behind_two_proxies_a_header_they_did_not_both_write_gives_the_caller(settings, forwarded):
    settings.SVERKA_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.1", forwarded)) == "10.0.0.1"


def test_an_ipv6_client_is_written_in_its_short_form(settings):
    settings.SVERKA_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.1", "2001:DB8:0:0:0:0:0:1")) == "2001:db8::1"
