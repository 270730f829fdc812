"""The network side of fetching a page: web addresses, and connections only to public hosts, in good time.

A user gives the address and the worker fetches it from inside the network, so the danger is a request the user
could not make themselves (server-side request forgery). Hence:

- only http and https;
- the host is resolved here, at every hop, and refused if any address it resolves to is not public (loopback,
  private, link-local, multicast, reserved, unspecified; an IPv4 address inside an IPv6 one counts as itself);
- the connection goes to an address so vetted, with the host's name in the Host header and in TLS's SNI: a name
  that resolves elsewhere a moment later (DNS rebinding) changes nothing;
- connecting and every read have a time limit, and a watchdog cuts the connection at the whole fetch's deadline,
  so a server sending a byte a second cannot hold the worker.

SVERKA_FETCH_ALLOW_PRIVATE lifts the address check, for the tests' local server.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings

from .errors import IngestError

# Characters a request target may carry as they are; the rest (spaces, non-ASCII letters) are %-escaped.
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses a NAT64 gateway maps onto IPv4 ones
_SHOWN_URL_CHARS = 200
_HOST = re.compile(r"[A-Za-z0-9._:-]+")  # a name in ASCII, or an IP address: nothing http.client would refuse

Address = tuple[int, tuple]  # a socket family and a socket address, as getaddrinfo gives them


@dataclass(frozen=True)
class Target:
    url: str  # as given (less any #fragment), for messages and for resolving a relative redirect
    tls: bool
    host: str  # the name in ASCII (IDNA), or an IP address without brackets
    port: int
    path: str  # the request target: path and query, %-escaped


def parse_target(url: str) -> Target:
    """A web address, checked and made ready for a request. Raises IngestError for anything but http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _not_an_address(url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise IngestError(
            f"“{shown(url)}” is not a web page's address: only http:// and https:// addresses are fetched.",
            code="bad_scheme",
        )
    if not parts.hostname or parts.username is not None:  # no host, or a user name and password to send
        raise _not_an_address(url)
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise _not_an_address(url) from None
    if not _HOST.fullmatch(host):
        raise _not_an_address(url)
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    tls = scheme == "https"
    return Target(parts._replace(fragment="").geturl(), tls, host, port or (443 if tls else 80), path)


def public_addresses(target: Target, clock: Clock) -> list[Address]:
    """The host's addresses, all of them public (unless SVERKA_FETCH_ALLOW_PRIVATE says any will do)."""
    found: list = []

    def resolve() -> None:
        try:
            found.append(socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            found.append(error)

    # In a thread of its own: a name server that does not answer would hold getaddrinfo past any deadline.
    lookup = threading.Thread(target=resolve, name=f"resolve {target.host}", daemon=True)
    lookup.start()
    lookup.join(clock.timeout())
    if not found:
        raise clock.timed_out(target)
    if isinstance(found[0], Exception) or not found[0]:
        raise failed(target.url, f"no site answers to the name {target.host}.", "unreachable")
    families = (socket.AF_INET, socket.AF_INET6)
    addresses = [(family, sockaddr) for family, _, _, _, sockaddr in found[0] if family in families]
    if not settings.SVERKA_FETCH_ALLOW_PRIVATE:
        for _, sockaddr in addresses:
            address = ipaddress.ip_address(sockaddr[0].partition("%")[0])
            kind = refused_kind(address)
            if kind:
                where = f"{target.host} is" if _is_ip(target.host) else f"{target.host} resolves to {address},"
                raise failed(
                    target.url, f"{where} {kind} address. Only pages on the public internet are fetched.",
                    "private_address",
                )
    return addresses


def refused_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What kind of address this is ("a loopback", "a private" ...) when it is not public; None when it is."""
    if address.version == 6:
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return refused_kind(inner)
    # The narrower kinds first: ipaddress counts loopback, link-local, reserved and 0.0.0.0 as private too.
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return ("an " if kind == "unspecified" else "a ") + kind.replace("_", "-")
    return None if address.is_global else "a non-public"  # 100.64.0.0/10, a carrier's own network


class Clock:
    """The time limits of one fetch: each wait (connecting, each read) and the whole. A watchdog cuts the
    connection in hand at the deadline, for a server that answers a little at a time, each in good time."""

    def __init__(self, timeout: float, total: float):
        self.limit = timeout
        self.total = total
        self.deadline = time.monotonic() + total
        self.expired = False
        self.sock: socket.socket | None = None
        self.lock = threading.Lock()
        self.watchdog = threading.Timer(total, self.expire)
        self.watchdog.daemon = True
        self.watchdog.start()

    def timeout(self) -> float:
        """How long the next wait may take: the limit on one, or what is left of the whole if less."""
        return max(0.001, min(self.limit, self.deadline - time.monotonic()))

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sock = sock
            if self.expired:
                self._cut()

    def before_read(self) -> None:
        with self.lock:
            if self.sock is not None and not self.expired:
                self.sock.settimeout(self.timeout())

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            self._cut()

    def _cut(self) -> None:
        if self.sock is not None:
            try:  # the plain socket's shutdown, under TLS too: it ends a read waiting in another thread
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
            except OSError:
                pass  # closed already

    def stop(self) -> None:
        self.watchdog.cancel()

    def timed_out(self, target: Target) -> IngestError:
        if self.expired or self.deadline - time.monotonic() < self.limit:
            reason = f"it took longer than the {_seconds(self.total)} a page may take in all."
        else:
            reason = f"the site did not answer within {_seconds(self.limit)}."
        return failed(target.url, reason, "timeout")


class PinnedConnection(http.client.HTTPConnection):
    """HTTP or HTTPS to one of the addresses vetted for the host, whatever the host's name resolves to by now.
    The name still goes in the Host header and, under TLS, in SNI and the certificate's check."""

    def __init__(self, target: Target, addresses: list[Address], clock: Clock):
        super().__init__(target.host, target.port, timeout=clock.timeout())
        if target.tls:
            self.default_port = 443  # so the Host header leaves out the usual port, as a browser's does
        self.tls = ssl.create_default_context() if target.tls else None
        self.addresses = addresses
        self.clock = clock

    def connect(self) -> None:
        error = OSError("no address")
        for family, sockaddr in self.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            self.clock.watch(sock)
            sock.settimeout(self.clock.timeout())
            try:
                sock.connect(sockaddr)
                break
            except OSError as failure:
                sock.close()
                error = failure
        else:
            raise error
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_hostname=self.host)
            self.clock.watch(sock)
        self.sock = sock


def network_failure(target: Target, error: Exception, clock: Clock) -> IngestError:
    """The reason, for the person who gave the address, of an error raised by a connection or its response."""
    if clock.expired or isinstance(error, TimeoutError):
        return clock.timed_out(target)
    if isinstance(error, ssl.SSLCertVerificationError):
        return failed(target.url, f"its certificate is not valid for {target.host}.", "tls")
    if isinstance(error, ssl.SSLError):
        return failed(target.url, "a secure (HTTPS) connection to the site failed.", "tls")
    if isinstance(error, ConnectionRefusedError):
        return failed(target.url, "the site refused the connection.", "unreachable")
    if isinstance(error, zlib.error):
        return failed(target.url, "the site sent it packed, and damaged.", "bad_response")
    if isinstance(error, http.client.HTTPException):
        return failed(target.url, "the site's answer broke off, or was not HTTP.", "bad_response")
    return failed(target.url, "the site could not be reached.", "unreachable")


def failed(url: str, reason: str, code: str) -> IngestError:
    return IngestError(f"Could not fetch {shown(url)}: {reason}", code=code)


def shown(url: str) -> str:
    """An address, or anything else a site sent, as it may appear in a message: printable, and not too long."""
    url = "".join(ch for ch in url if ch.isprintable())
    return url if len(url) <= _SHOWN_URL_CHARS else url[: _SHOWN_URL_CHARS - 1] + "…"


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _not_an_address(url: str) -> IngestError:
    return IngestError(
        f"“{shown(url)}” is not a web page's address. Give one such as https://example.org/news/story.", code="bad_url"
    )
