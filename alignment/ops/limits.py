"""What an upload may cost: each file streams to disk and only as much of it is kept as the form could accept, and
one account may send only so many stories an hour, on the upload page and through the API alike."""

from __future__ import annotations

import logging
import math

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from alignment.ops.counters import RateWindow

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


class CappedUploadHandler(FileUploadHandler):
    """Streams each uploaded file to a temporary file, keeping one byte more than the per-side limit: enough for
    the form to refuse it. The rest is counted but not kept, so the form can still say how large the file was,
    and the fields after it in the request (the other side's text) are read as usual.

    The file's name is never part of the path: Django's own handler puts its extension in the temporary file's
    name, and an extension of 300 characters is an error from the file system."""

    setting = "SVERKA_MAX_UPLOAD_BYTES"  # the limit per file

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile("upload", self.content_type, 0, self.charset, self.content_type_extra)
        self.file.name = self.file_name  # the setter keeps a base name of at most 255 characters
        self.room = getattr(settings, self.setting) + 1

    def receive_data_chunk(self, raw_data, start):
        if self.room > 0:
            self.file.write(raw_data[: self.room])
            self.room -= len(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = file_size  # every byte received, kept or not
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()  # a NamedTemporaryFile: closing it removes it


class BatchUploadHandler(CappedUploadHandler):
    """The same for a batch import's one file (a zip of pairs, a manifest), up to SVERKA_BATCH_MAX_UPLOAD_BYTES.
    The import view puts it in place of the other before it reads the request."""

    setting = "SVERKA_BATCH_MAX_UPLOAD_BYTES"


def upload_wait(user, now: float | None = None) -> int:
    """Count one story sent by ``user``. Returns 0 if it is within SVERKA_UPLOADS_PER_HOUR for the last hour, else
    the seconds until the oldest of those leaves the hour (and does not count it). Counted atomically in the shared
    cache (alignment.ops.counters), so the limit holds across the web processes and their threads."""
    window = RateWindow("uploads", settings.SVERKA_UPLOADS_PER_HOUR, WINDOW_SECONDS)
    # The join date too: SQLite hands a deleted user's id to the next one, and a test database deletes many.
    try:
        return window.hit(f"{user.pk}:{user.date_joined.timestamp()}", now)
    except Exception as exc:  # Redis down: uploads still work (and wait for the broker), uncounted
        log.warning("could not count an upload: %s", exc)
        return 0


def too_many_uploads(wait: int) -> str:
    limit = settings.SVERKA_UPLOADS_PER_HOUR
    minutes = math.ceil(wait / 60)
    return (
        f"You have sent {limit} {'story' if limit == 1 else 'stories'} in the last hour, the most one account may. "
        f"Try again in {minutes} minute{'' if minutes == 1 else 's'}."
    )


class UploadThrottle(BaseThrottle):
    """The hourly limit for ``POST /api/stories/`` (the page's is in alignment.ops.middleware): 429 past it, with
    Retry-After. Not one of DRF's own throttles: those keep a list of times with a get and a set, which two
    processes (or threads) can interleave."""

    def allow_request(self, request, view):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name != "api:stories":
            return True
        wait = upload_wait(request.user)
        if wait:
            raise Throttled(wait, detail=too_many_uploads(wait))
        return True
