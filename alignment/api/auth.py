"""``Authorization: Token <key>`` for the API, against the hashed tokens of alignment.tokens."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from alignment import tokens


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's reading of the header (and its 401 with ``WWW-Authenticate: Token``), with the key checked by its
    hash and its expiry."""

    def authenticate_credentials(self, key):
        token = tokens.find(key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if token.expired:
            raise AuthenticationFailed(
                f"This token expired on {token.expires:%Y-%m-%d}. Ask for a new one "
                "(manage.py api_token USERNAME --reset)."
            )
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        tokens.touch(token)
        return token.user, token
