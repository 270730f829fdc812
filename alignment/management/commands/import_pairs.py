"""python manage.py import_pairs MANIFEST --collection NAME [--owner USERNAME]

Import the story pairs a manifest lists into a collection (made if it is missing), and print one JSON object:

    {"collection": ID, "queued": N, "skipped": N, "errors": [{"row": N, "reason": "..."}]}

The manifest is a CSV or TSV file with a header row: `title`, `en`, `ru`, and optionally `published` (an ISO
date) and `outlet`. `en` and `ru` each hold a file path relative to the manifest, or an http(s) URL (a worker
fetches it). Each good row is queued: as a story, or, for a URL, as a fetch; "skipped" counts the rows whose
story was imported before (it joins the collection as it is). A bad row is listed under "errors" with its line
in the file, and the rest go on. The command exits 0 when at least one row was queued, 1 otherwise.

Without --owner the collection belongs to the only account, or else to the first superuser.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alignment.corpus import imports
from alignment.ingest.batch import read_manifest
from alignment.ingest.errors import IngestError
from alignment.models import Collection, ImportBatch, ImportItemStatus


class Command(BaseCommand):
    help = "Import the story pairs a CSV or TSV manifest lists into a collection, and print what was queued."

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="a CSV or TSV file: title, en, ru[, published][, outlet]")
        parser.add_argument("--collection", required=True, help="the collection's name (made if it is missing)")
        parser.add_argument("--owner", help="the username that owns the collection and its stories")

    def handle(self, *args, manifest, collection, owner, **options):
        path = Path(manifest)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read the manifest {manifest}: {exc.strerror or exc}") from None
        user = self._owner(owner)
        name = collection.strip()
        if not name:
            raise CommandError("--collection needs a name.")
        try:
            batch = read_manifest(path.name, data, path.resolve().parent, settings.SVERKA_MAX_UPLOAD_BYTES)
        except IngestError as exc:
            raise CommandError(str(exc)) from None
        with transaction.atomic():
            target, _ = Collection.objects.get_or_create(owner=user, name=name[:200])
            record = imports.start_import(target, user, batch, ImportBatch.Source.COMMAND, path.name)
        items = record.items.order_by("row")
        statuses = [status for status in items.values_list("status", flat=True)]
        queued = sum(s in (ImportItemStatus.QUEUED, ImportItemStatus.FETCHING) for s in statuses)
        summary = {
            "collection": target.pk,
            "queued": queued,
            "skipped": statuses.count(ImportItemStatus.DUPLICATE),
            "errors": [{"row": row, "reason": reason}
                       for row, reason in items.filter(status=ImportItemStatus.FAILED).values_list("row", "reason")],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not queued:
            sys.exit(1)

    def _owner(self, username: str | None):
        User = get_user_model()
        if username:
            try:
                return User._default_manager.get_by_natural_key(username)
            except User.DoesNotExist:
                raise CommandError(f"No user named {username!r}.") from None
        users = list(User.objects.order_by("pk")[:2])
        if len(users) == 1:
            return users[0]
        superuser = User.objects.filter(is_superuser=True).order_by("pk").first()
        if superuser is None:
            raise CommandError("Say whose collection it is with --owner USERNAME (there is no single account).")
        return superuser
