"""A batch import into a collection: each item of a zip or a manifest (alignment.ingest.batch) becomes a story of
the collection, queued on its own, or is listed with the reason it could not. A side given as a URL is fetched by
a worker first (alignment.corpus.fetching), never in the web request.

Importing the same batch again creates nothing new: a story is known by its texts (``batch.fingerprint``) or,
for items given by URL, by its two URLs; a known one joins the collection as it is, and its item says so.

An import's progress is its items' and their stories' latest jobs': ``progress`` counts them as queued,
running, done and failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from alignment import stories
from alignment.corpus.items import known_by_texts, known_by_urls, mark_created, mark_duplicate
from alignment.corpus.tasks import enqueue_fetch
from alignment.ingest.batch import Batch, BatchItem, fingerprint
from alignment.models import Collection, ImportBatch, ImportItem, ImportItemStatus, JobStatus, Story

# A story's latest job as a progress count.
COUNTED = {JobStatus.QUEUED: "queued", JobStatus.RUNNING: "running", JobStatus.DONE: "done",
           JobStatus.FAILED: "failed"}


@dataclass(frozen=True)
class Progress:
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.running + self.done + self.failed

    @property
    def finished(self) -> bool:
        return not (self.queued or self.running)

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100

    def as_json(self) -> dict:
        return {"queued": self.queued, "running": self.running, "done": self.done, "failed": self.failed}


def start_import(collection: Collection, owner, batch: Batch, source: str, file_name: str = "") -> ImportBatch:
    """Record the import and each of its items, make the stories of the items given as text (their jobs are sent
    once this commits) and send the items given by URL to a worker to fetch."""
    with transaction.atomic():
        record = ImportBatch.objects.create(collection=collection, owner=owner, source=source,
                                            file_name=file_name[:255])
        ImportItem.objects.bulk_create(
            ImportItem(batch=record, row=error.row, name=error.name[:300], status=ImportItemStatus.FAILED,
                       reason=error.reason[:500])
            for error in batch.errors
        )
        for item in batch.items:
            add_item(record, item)
    return record


def add_item(record: ImportBatch, item: BatchItem) -> ImportItem:
    entry = ImportItem(batch=record, row=item.row, name=item.title[:300], published=item.published,
                       outlet=(item.outlet or record.collection.outlet)[:200])
    if item.en.url or item.ru.url:
        entry.en_url, entry.ru_url = item.en.url or "", item.ru.url or ""
        entry.en_text, entry.ru_text = item.en.text or "", item.ru.text or ""
        entry.en_raw, entry.ru_raw = item.en.raw, item.ru.raw
        entry.en_file_name, entry.ru_file_name = item.en.file_name[:255], item.ru.file_name[:255]
        if (story := known_by_urls(record.owner, entry.en_url, entry.ru_url)) is not None:
            return mark_duplicate(entry, story)
        entry.status = ImportItemStatus.FETCHING
        entry.save()
        transaction.on_commit(lambda: enqueue_fetch(entry.pk))
        return entry
    if (story := known_by_texts(record.owner, fingerprint(item.en.content, item.ru.content))) is not None:
        return mark_duplicate(entry, story)
    story = stories.create_story(
        record.owner, item.title, _side(item.en), _side(item.ru), via="import", published=item.published,
        outlet=entry.outlet,
    )
    return mark_created(entry, story)


def _side(side) -> stories.SideInput:
    return stories.SideInput(text=side.text, file_name=side.file_name or "", encoding=side.encoding or "",
                             raw=side.raw)


def progress(items, stories_too=None) -> Progress:
    """How many of ``items`` (an import's, or all of a collection's) are queued (waiting to be fetched, or their
    story's latest job waiting), running, done, or failed (the item, or its story's latest job). Each story counts
    once, however many items found it; so do ``stories_too`` (a queryset: a collection's stories added by hand)."""
    counts = dict.fromkeys(("queued", "running", "done", "failed"), 0)
    story_ids = set()
    for status, story_id in items.values_list("status", "story_id"):
        if story_id:
            story_ids.add(story_id)
        else:
            counts["failed" if status == ImportItemStatus.FAILED else "queued"] += 1
    chosen = Story.objects.filter(pk__in=story_ids)
    if stories_too is not None:
        chosen = chosen | stories_too
    for status in chosen.distinct().with_latest_job().values_list("latest_status", flat=True):
        counts[COUNTED.get(status, "queued")] += 1
    return Progress(**counts)


def collection_progress(collection: Collection) -> Progress:
    """The progress of every import into the collection, and of its other stories: each story once."""
    return progress(ImportItem.objects.filter(batch__collection=collection),
                    Story.objects.filter(collections=collection))
