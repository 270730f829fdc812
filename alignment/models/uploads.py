"""A file uploaded with a form that came back with errors: kept, so that the person who chose it need not choose
it again. The form carries only its token; the next submission, by the same person, takes it back. Files left
behind are deleted by the sweeper (``PendingFile.expired``) after SVERKA_PENDING_FILE_HOURS."""

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
