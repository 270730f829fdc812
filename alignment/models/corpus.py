"""Stories in numbers: Collections of stories (an outlet, a month, a project), the batch imports that fill them,
item by item, and the sentences each collection counts as its outlet's furniture."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from alignment.models.stories import Language, Story


class Collection(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    outlet = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    # A story may belong to several collections; deleting either side removes only the link.
    stories = models.ManyToManyField(Story, related_name="collections", blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_collection_name_per_owner")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collection", args=[self.code])


class ImportBatch(models.Model):
    """One import into a collection: a zip of file pairs, a manifest, or the command line's manifest."""

    class Source(models.TextChoices):
        ZIP = "zip", "Zip of file pairs"
        MANIFEST = "manifest", "Manifest"
        COMMAND = "command", "Command line"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="imports")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports")
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import {self.file_name or self.get_source_display()} into {self.collection}"

    def get_absolute_url(self):
        return reverse("import", args=[self.code])


class ImportItemStatus(models.TextChoices):
    FETCHING = "fetching", "Fetching"  # a side given as a URL, waiting for a worker to fetch it
    QUEUED = "queued", "Story created"  # its story exists; the story's job tells the rest
    DUPLICATE = "duplicate", "Already imported"  # the same texts or URLs: the existing story joins the collection
    FAILED = "failed", "Failed"  # a bad item: ``reason`` says why, and the rest of the batch goes on


class ImportItem(models.Model):
    """One row of a manifest or one pair of files of a zip, and what became of it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    row = models.PositiveIntegerField()  # the manifest's line number, or the pair's place in the zip
    name = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=ImportItemStatus.choices)
    reason = models.CharField(max_length=500, blank=True)
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_items")
    # A side given as a URL waits here for a worker to fetch it; the other side's text, if it came as text, too.
    en_url = models.URLField(max_length=2000, blank=True)
    ru_url = models.URLField(max_length=2000, blank=True)
    en_text = models.TextField(blank=True)
    ru_text = models.TextField(blank=True)
    # ... or, if it came as a page or a .docx, the file as it came, which the story's job reads.
    en_raw = models.BinaryField(null=True, blank=True, editable=False)
    ru_raw = models.BinaryField(null=True, blank=True, editable=False)
    en_file_name = models.CharField(max_length=255, blank=True)
    ru_file_name = models.CharField(max_length=255, blank=True)
    published = models.DateField(null=True, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    updated = models.DateTimeField(default=timezone.now)  # for an item waiting to be fetched: when last sent

    class Meta:
        ordering = ["batch", "row"]
        indexes = [models.Index(fields=["status", "updated"], name="import_item_status_updated")]

    def __str__(self):
        return f"{self.row}: {self.name} ({self.status})"


class FurnitureSource(models.TextChoices):
    LEARNED = "learned", "Learned from the collection"
    ADDED = "added", "Added by the owner"
    REMOVED = "removed", "Removed by the owner"  # learned, but the owner says it is not furniture


class CollectionFurniture(models.Model):
    """A sentence the collection counts as its outlet's furniture (a newsletter box, a donation appeal), or one the
    owner has struck off. ``key`` is its normalised form (alignment.pipeline's), which sentences are matched by."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="furniture")
    language = models.CharField(max_length=2, choices=Language.choices)
    key = models.CharField(max_length=64)
    text = models.TextField(max_length=2000)
    source = models.CharField(max_length=10, choices=FurnitureSource.choices)
    stories = models.PositiveIntegerField(default=0)  # in how many of the collection's stories it recurs
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collection", "language", "-stories"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "language", "key"], name="one_furniture_entry_per_text")
        ]

    def __str__(self):
        return f"{self.language}: {self.text[:60]}"
