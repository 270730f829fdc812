"""The client's address, for the login lock-outs (django-axes calls ``client_address``, AXES_CLIENT_IP_CALLABLE)
and anything else that asks who is calling.

X-Forwarded-For is a list anyone can start: each proxy appends the address it was called from, so only the
entries the app's own proxies added can be believed. With SVERKA_PROXY_COUNT proxies in front, the client is the
count-th entry from the right; with none, the address that called (REMOTE_ADDR), whatever the header says."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

log = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The calling client's IP address as the configured proxies report it, or REMOTE_ADDR when they do not
    (no proxies, or a request that reached the app without passing through them all)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.SVERKA_PROXY_COUNT
    if count == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        log.warning("X-Forwarded-For has %d of %d proxies' addresses; using the caller's", len(forwarded), count)
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        log.warning("X-Forwarded-For holds %r where an address should be; using the caller's", candidate[:60])
        return remote
