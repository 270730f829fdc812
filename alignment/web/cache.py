"""The story page's cache ("pages" in settings.CACHES): the page and its fragments rendered, its rows and the
review's state, each under a key that names everything it depends on, the story's version first, so that nothing
kept is ever stale."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Iterable

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.connection import ConnectionProxy
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What the story page caches (its rendered rows and the review's state) stays this long at most: a new version of
# the story replaces it sooner.
CACHE_SECONDS = 600
cache = ConnectionProxy(caches, "pages")  # settings.CACHES: in memory, or Redis

# One thread at a time makes a missing value (per stripe of keys): the others wait for it and find it cached,
# instead of all rendering the same rows at once when many read a story that has just changed.
_MAKING = [threading.RLock() for _ in range(64)]

# Cached HTML has this in place of the request's CSRF token in its forms (with_csrf_token puts that in). No story's
# text can contain value="...": text reaches the HTML escaped, quotes and all.
CSRF_PLACEHOLDER = "csrf-token-of-the-request"


def with_csrf_token(request, markup: bytes) -> bytes:
    """Cached HTML with the request's own CSRF token in its forms. The cache keeps HTML as UTF-8, as the response
    sends it: text would be decoded from the cache and encoded again at every request, a third of a millisecond for
    the 300 KB of a long story's page."""
    return markup.replace(f'value="{CSRF_PLACEHOLDER}"'.encode(), f'value="{csrf_token(request)}"'.encode())


def csrf_token(request) -> str:
    """The request's CSRF token, the same for every form of its answer: each get_token() masks it anew, with 32
    characters from the system's random source."""
    if not hasattr(request, "_sverka_csrf_token"):
        request._sverka_csrf_token = get_token(request)
    return request._sverka_csrf_token


def templates_digest(names: Iterable[str]) -> str:
    """A digest of the templates' sources, for the key of what they render: a deploy that changes one of them makes
    new keys, instead of serving what the old one rendered."""
    return _digest(tuple(get_template(name).template.source for name in names))


@functools.lru_cache(maxsize=16)
def _digest(sources: tuple[str, ...]) -> str:
    # Once per process: the loaded templates' sources are the same strings at every request, their hashes kept.
    return hashlib.md5("".join(sources).encode()).hexdigest()


def _get(key: str):
    """The value kept under ``key``, or None. One that no longer loads (kept by an older release, whose classes
    have since moved or changed) is a miss, and is replaced: a deploy must never turn cached pages into errors."""
    try:
        return cache.get(key)
    except RedisError:
        raise
    except Exception as exc:  # unpickling: AttributeError, ModuleNotFoundError, UnpicklingError ...
        log.warning("cached value under %s no longer loads (%s): made again", key, exc)
        return None


def cached(key: str, make):
    """``make()``, kept in the cache under ``key``, whose parts must name everything it depends on. A cache server
    that is down (Redis) makes a miss, not an error page; so does a value that no longer loads."""
    value = None
    try:
        value = _get(key)
        if value is not None:
            return value
        with _MAKING[hash(key) % len(_MAKING)]:
            value = _get(key)  # made meanwhile by the thread this one waited for?
            if value is None:
                value = make()
                cache.set(key, value, CACHE_SECONDS)
            return value
    except RedisError as exc:
        log.warning("cache unavailable: %s", exc)
        return make() if value is None else value
