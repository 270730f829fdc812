"""python manage.py api_token USERNAME [--reset]

Make the user an API token and print its key, once: only its hash is kept. Send it as
``Authorization: Token <key>``. It works for SVERKA_TOKEN_DAYS days; ``--reset`` replaces it at any time (the old
key stops working at once), and a user whose token has expired simply gets a new one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from alignment import tokens


class Command(BaseCommand):
    help = "Make a user's API token and print its key (shown this once). --reset replaces a token that still works."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="replace the token with a new one; the old one stops working"
        )

    def handle(self, *args, username, reset, **opts):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(
                f"No user named {username!r}. Create one first, e.g. with manage.py createsuperuser."
            ) from None
        live = tokens.live_token(user)
        if live is not None and not reset:
            raise CommandError(
                f"{username} already has an API token ({live.prefix}…, until {live.expires:%Y-%m-%d}). Its key was "
                "shown when it was made and is not kept. Run again with --reset for a new one; the old one then "
                "stops working."
            )
        if not user.is_active:
            self.stderr.write(f"Warning: {username} is inactive; the API refuses their token until reactivated.")
        token, key = tokens.issue(user)
        self.stderr.write(f"Valid until {token.expires:%Y-%m-%d %H:%M} UTC. It is shown only now: keep it safe.")
        self.stdout.write(key)
