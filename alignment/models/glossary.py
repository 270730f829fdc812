"""Names glossaries: each user's, and each collection's, pairs of English and Russian spellings of a name, which
the name check takes as its owner's word (alignment.pipeline.diverge.listed); and the re-checks a change to one
sets off over the stories it concerns."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.models.corpus import Collection
from alignment.pipeline.types import GlossaryPair


class GlossaryEntry(models.Model):
    """One name: its usual English and Russian spellings, other spellings of each, and a note. It belongs to its
    owner's own glossary, or (with ``collection``) to that collection's, whose owner is its owner too."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glossary_entries")
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, null=True, blank=True, related_name="glossary_entries"
    )
    en = models.CharField("English", max_length=200)
    ru = models.CharField("Russian", max_length=200)
    en_variants = models.JSONField("other English spellings", default=list, blank=True)
    ru_variants = models.JSONField("other Russian spellings", default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # The pair case aside (casefold, which the databases' own lower() is not for Cyrillic in SQLite): one a glossary.
    key = models.CharField(max_length=1000, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["en", "ru", "pk"]
        verbose_name_plural = "glossary entries"
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], condition=models.Q(collection__isnull=True),
                                    name="one_glossary_pair_per_user"),
            models.UniqueConstraint(fields=["collection", "key"], name="one_glossary_pair_per_collection"),
        ]

    def __str__(self):
        return f"{self.en} ↔ {self.ru}"

    @staticmethod
    def key_of(en: str, ru: str) -> str:
        return f"{en.casefold()}\x1f{ru.casefold()}"

    def save(self, *args, **kwargs):
        self.key = self.key_of(self.en, self.ru)
        super().save(*args, **kwargs)

    def spellings(self, language: str) -> list[str]:
        """The usual spelling first, then the others."""
        return [self.en, *self.en_variants] if language == "en" else [self.ru, *self.ru_variants]

    def as_pair(self) -> GlossaryPair:
        return GlossaryPair(tuple(self.spellings("en")), tuple(self.spellings("ru")))


class RecheckStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class GlossaryRecheck(models.Model):
    """The stories of a glossary (its owner's, or its collection's) re-checked by a worker after the glossary
    changed: those that name one of ``spellings``, the names added, changed or taken away."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glossary_rechecks")
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, null=True, blank=True, related_name="glossary_rechecks"
    )
    # [[English spellings], [Russian spellings]] of each name concerned; empty: every name of the glossary.
    spellings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=RecheckStatus.choices, default=RecheckStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)  # stories to look at
    done = models.PositiveIntegerField(default=0)  # looked at so far
    changed = models.PositiveIntegerField(default=0)  # whose name divergences changed
    error = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    heartbeat = models.DateTimeField(null=True, blank=True)  # the worker's last progress
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["owner", "-created"], name="glossary_recheck_owner")]

    def __str__(self):
        return f"Re-check of {self.collection or self.owner}'s glossary: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (RecheckStatus.QUEUED, RecheckStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (0 if self.is_active else 100)
