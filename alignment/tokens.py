"""API tokens: made for a user (``manage.py api_token``), shown once, kept only as a hash, and refused once
expired (SVERKA_TOKEN_DAYS after they were made).

A key is 40 random URL-safe characters, so a plain SHA-256 is enough to keep it: there is nothing to guess
from a hash of 240 random bits, and a slow password hash would cost every API request its time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alignment.models import ApiToken

PREFIX_CHARS = 8
# last_used is written at most this often per token, not on every request.
TOUCH_SECONDS = 60


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def live_token(user) -> ApiToken | None:
    """The user's newest token that has not expired, if any."""
    return user.api_tokens.filter(expires__gt=timezone.now()).first()


def issue(user) -> tuple[ApiToken, str]:
    """A new token for ``user``, replacing every one they had (which stop working at once). Returns the row and
    the key: the only time the key is known."""
    key = secrets.token_urlsafe(30)
    now = timezone.now()
    with transaction.atomic():
        user.api_tokens.all().delete()
        token = ApiToken.objects.create(
            user=user, prefix=key[:PREFIX_CHARS], digest=digest(key), created=now,
            expires=now + timedelta(days=settings.SVERKA_TOKEN_DAYS),
        )
    return token, key


def find(key: str) -> ApiToken | None:
    """The token whose key this is, expired or not; None for a key that is no token's. Found by its prefix and
    compared by hash in constant time."""
    wanted = digest(key)
    for token in ApiToken.objects.filter(prefix=key[:PREFIX_CHARS]).select_related("user"):
        if hmac.compare_digest(token.digest, wanted):
            return token
    return None


def touch(token: ApiToken) -> None:
    """Note that the token was just used."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= timedelta(seconds=TOUCH_SECONDS):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
