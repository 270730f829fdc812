"""Create the first account if there is none, and say how to log in.

`make run` calls this, so a newcomer can log in at once. Later runs only repeat the instructions.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin account on an empty database and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        note = settings.VAR_DIR / "first-login.txt"
        if not User.objects.exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            note.write_text(f"username: {username}\npassword: {password}\n", encoding="utf-8")
            note.chmod(0o600)
            self.stdout.write(f"Created the account {username!r} with password {password}")
            self.stdout.write(f"(also saved in {note}; change it in the admin)")
        elif note.exists():
            self.stdout.write(f"Log in with the account in {note}.")
        else:
            self.stdout.write("Log in with your account. Add one with: python manage.py createsuperuser")
