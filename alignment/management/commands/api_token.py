"""python manage.py api_token USERNAME [--reset]

Print the user's API token, creating it on first use. Send it as ``Authorization: Token <token>``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print a user's API token, creating it if the user has none."

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
        if not user.is_active:
            self.stderr.write(f"Warning: {username} is inactive; the API refuses their token until reactivated.")
        if reset:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
