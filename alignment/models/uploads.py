"""What a user holds outside their stories. An API token (alignment.tokens). A file uploaded with a form that came
back with errors: kept, so that the person who chose it need not choose it again; the form carries only its
token, and the next submission, by the same person, takes it back. Files left behind are deleted by the sweeper
(``PendingFile.expired``) after SVERKA_PENDING_FILE_HOURS."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingFile(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_files")
    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.file_name

    @classmethod
    def expired(cls, now=None):
        hours = settings.SVERKA_PENDING_FILE_HOURS
        return cls.objects.filter(created__lt=(now or timezone.now()) - timedelta(hours=hours))


class ApiToken(models.Model):
    """A key to the JSON API (alignment.tokens makes and checks them). Only the key's SHA-256 is kept: the key
    itself is shown once, when it is made. ``prefix``, its first characters, finds it and names it in lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)  # hex SHA-256 of the key
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()
