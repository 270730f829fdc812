"""A story and what is made of it: two Documents of Sentences, aligned into Pairs with Divergences, computed by
Jobs, corrected and ruled on in Edits; and the audit log and API tokens."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from alignment.pipeline.types import NAMES, Kind, Lang


class Language(models.TextChoices):
    EN = Lang.EN.value, NAMES[Lang.EN]
    RU = Lang.RU.value, NAMES[Lang.RU]


KIND_LABELS = {
    Kind.ONLY_EN: "Only in English",
    Kind.ONLY_RU: "Only in Russian",
    Kind.BOILERPLATE: "Boilerplate",
    Kind.NUMBER: "Number",
    Kind.NAME: "Name",
    Kind.MEANING: "Meaning",
    Kind.PARTIAL: "Partial",
    Kind.MOVED: "Moved",
}


class DivergenceKind(models.TextChoices):
    ONLY_EN = Kind.ONLY_EN.value, KIND_LABELS[Kind.ONLY_EN]
    ONLY_RU = Kind.ONLY_RU.value, KIND_LABELS[Kind.ONLY_RU]
    BOILERPLATE = Kind.BOILERPLATE.value, KIND_LABELS[Kind.BOILERPLATE]
    NUMBER = Kind.NUMBER.value, KIND_LABELS[Kind.NUMBER]
    NAME = Kind.NAME.value, KIND_LABELS[Kind.NAME]
    MEANING = Kind.MEANING.value, KIND_LABELS[Kind.MEANING]
    PARTIAL = Kind.PARTIAL.value, KIND_LABELS[Kind.PARTIAL]
    MOVED = Kind.MOVED.value, KIND_LABELS[Kind.MOVED]


class StoryQuerySet(models.QuerySet):
    def with_latest_job(self) -> StoryQuerySet:
        """Each story with its latest job's id and status (``latest_job_id``, ``latest_status``; None without a
        job), in the one query for the stories: for lists."""
        latest = Job.objects.filter(story=OuterRef("pk")).order_by(*Job.NEWEST_FIRST)
        return self.annotate(
            latest_job_id=Subquery(latest.values("pk")[:1]), latest_status=Subquery(latest.values("status")[:1])
        )

    def latest_job_done(self) -> StoryQuerySet:
        """The stories whose latest job is done, as ``with_latest_job().filter(latest_status=DONE)`` finds them,
        but as a done job with no newer one (Job.NEWEST_FIRST): PostgreSQL estimates that semi- and anti-join,
        while on the latest job's subquery it expects a handful of stories and joins a thousand as a handful."""
        newer = Job.objects.filter(story=OuterRef("story")).filter(
            Q(created__gt=OuterRef("created")) | Q(created=OuterRef("created"), pk__gt=OuterRef("pk"))
        )
        latest_done = Job.objects.filter(story=OuterRef("pk"), status=JobStatus.DONE).exclude(Exists(newer))
        return self.filter(Exists(latest_done))


# What results_ready is told when the caller has not looked the latest job up: not None, which means "no job".
_NOT_LOOKED_UP = object()


class Story(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)
    # Denormalised from the last finished job, so the list page needs no join per story.
    stats = models.JSONField(default=dict, blank=True)
    embedder = models.CharField(max_length=300, blank=True)
    # The translator of the last run's glosses, with its package versions: a re-run by the same one reuses the
    # translations of unchanged sentences. Empty when that run did not translate; translation_skipped says why.
    translator = models.CharField(max_length=300, blank=True)
    translation_skipped = models.CharField(max_length=300, blank=True)
    # One more with every change to what the story's page shows (bump_version), in the transaction
    # that makes it: the key of the page's cached rows, so that no change can leave a stale copy served.
    version = models.PositiveIntegerField(default=0, editable=False)
    # When the outlet published it, and which outlet: from an import's manifest or the fetched page, if known.
    published = models.DateField(null=True, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    # SHA-256 of both texts (alignment.ingest.batch.fingerprint): importing the same pair again finds it.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "-created"], name="story_owner_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story", args=[self.code])

    def latest_job(self) -> Job | None:
        """The story's newest job, which its page, the API and the review go by."""
        return self.jobs.order_by(*Job.NEWEST_FIRST).first()

    def results_ready(self, latest_job: Job | None | object = _NOT_LOOKED_UP) -> bool:
        """Whether the story has results to show, review, export and serve: its latest job is done. A story
        without a job has none, whatever rows it kept: its page offers to process it. Pass ``latest_job`` (None
        for none) when you hold it already, to save the query."""
        job = self.latest_job() if latest_job is _NOT_LOOKED_UP else latest_job
        return job is not None and job.status == JobStatus.DONE

    @property
    def has_unread_file(self) -> bool:
        """Whether a side is still the file it came as: its job has not read it, or could not."""
        return self.documents.filter(raw__isnull=False).exists()

    def lock(self) -> None:
        """Call in a transaction: changes to one story (a run's results, a correction) go one at a time.
        PostgreSQL waits here; SQLite serialises writes anyway."""
        Story.objects.select_for_update().filter(pk=self.pk).exists()

    def bump_version(self) -> None:
        """Call in the transaction that changes what the story's page shows: a new version, so that the page's
        rows cached under the old one (alignment.web.rows) are never served again. This instance learns it too."""
        Story.objects.filter(pk=self.pk).update(version=models.F("version") + 1)
        self.refresh_from_db(fields=["version"])

    def document(self, language: str) -> Document | None:
        return next((d for d in self.documents.all() if d.language == language), None)

    def divergence_total(self) -> int:
        return sum((self.stats.get("divergences") or {}).values())


class Document(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(max_length=2, choices=Language.choices)
    text = models.TextField()
    source_url = models.URLField(max_length=2000, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    # What the fetched page said of itself (trafilatura's metadata), when the text came from a URL.
    page_title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    # An uploaded page or .docx as it came, until a worker reads its text (the job's "read" stage) and clears
    # it: extracting an article costs too much for a web request. ``text`` is "" until then.
    raw = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "language"], name="one_document_per_language")]

    def __str__(self):
        return f"{self.story} ({self.get_language_display()})"


class Pair(models.Model):
    """One bead: consecutive English sentences aligned with consecutive Russian ones (either may be none)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="pairs")
    order = models.PositiveIntegerField()
    score = models.FloatField(default=0.0)
    similarity = models.FloatField(default=0.0)
    # Denormalised for filters and the list page: the kinds among this pair's divergences.
    kinds = models.CharField(max_length=200, blank=True)
    # Made by a reviewer's correction rather than by the aligner. Its similarity was never measured: it stands
    # at its story's typical similarity, so that the meaning check and the story's profile are left alone.
    manual = models.BooleanField(default=False)
    # Kept as it is when the story is aligned again, the rest aligned around it (alignment.pipeline.align.anchors):
    # a reviewer locked it, or made it by a correction.
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["story", "order"]
        constraints = [models.UniqueConstraint(fields=["story", "order"], name="pair_order_unique")]

    def __str__(self):
        return f"{self.story} #{self.order}"


class Sentence(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sentences")
    pair = models.ForeignKey(Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="sentences")
    language = models.CharField(max_length=2, choices=Language.choices)  # copied from the document for queries
    index = models.PositiveIntegerField()
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    paragraph = models.PositiveIntegerField(default=0)
    translation = models.TextField(blank=True, default="")  # machine translation into the other language
    # The kind of outlet furniture the run took the sentence for ("donation appeal"), or "": a correction
    # judges a sentence it leaves unpaired by it, as it cannot read the whole page again.
    furniture = models.CharField(max_length=40, blank=True, default="")
    # furniture_key(text), by which a collection counts its recurring lines in SQL: whatever writes the text sets it.
    key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["document", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="sentence_index_unique")]

    def __str__(self):
        return f"{self.language}#{self.index}: {self.text[:60]}"


class Verdict(models.TextChoices):
    PENDING = "pending", "Not reviewed"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class DivergenceCategory(models.TextChoices):
    """What a reviewer found a divergence to be."""

    EDITORIAL_CUT = "editorial_cut", "Editorial cut"
    MISTRANSLATION = "mistranslation", "Mistranslation"
    LOCALISATION = "localisation", "Localisation"
    BOILERPLATE = "boilerplate", "Boilerplate"
    OTHER = "other", "Other"


class Divergence(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="divergences")
    kind = models.CharField(max_length=20, choices=DivergenceKind.choices)
    severity = models.FloatField()
    reason = models.CharField(max_length=500)
    en_spans = models.JSONField(default=list, blank=True)  # [[start, end], ...] in the English text
    ru_spans = models.JSONField(default=list, blank=True)
    # A moved passage's counterpart, {"en": [sentence indices], "ru": [...]}: where the other version has it.
    # Sentence indices, not pairs, so that it holds whatever corrections do to the pairs. Empty for other kinds.
    counterpart = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    note = models.TextField(blank=True, max_length=2_000)  # a reviewer's remark, not a document
    category = models.CharField(max_length=20, choices=DivergenceCategory.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pair", "-severity"]
        indexes = [models.Index(fields=["kind"], name="divergence_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reason}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """One run of the pipeline over a story. The page polls this row; the result backend is not used."""

    # Newest first, and of two created in the same instant the one saved last: the order "the latest job" means.
    NEWEST_FIRST = ("-created", "-pk")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(default=0.0)  # 0..1 over the whole job
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now, editable=False)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)  # last sign of life from the worker
    enqueued = models.BooleanField(default=False)  # False while the broker could not be reached
    # The process running it, "HOST PID START" (alignment.workers), so that a worker can tell it is gone.
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["status", "heartbeat"], name="job_status_heartbeat"),
            models.Index(fields=["story", "-created"], name="job_story_created"),
        ]

    def __str__(self):
        return f"Job {self.pk} for {self.story}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * max(0.0, min(1.0, self.progress)))


class EditAction(models.TextChoices):
    MERGE = "merge", "Merge"
    SPLIT = "split", "Split"
    MOVE = "move", "Move"
    DETACH = "detach", "No counterpart"
    UNDO = "undo", "Undo"
    VERDICT = "verdict", "Verdict"
    RERUN = "rerun", "Run again"
    LOCK = "lock", "Lock"
    UNLOCK = "unlock", "Unlock"
    RECHECK = "recheck", "Re-check"  # the names found again against a changed glossary, not re-aligned


# The actions that change which sentences a pair holds: the ones an undo takes back, one at a time.
CORRECTIONS = (EditAction.MERGE, EditAction.SPLIT, EditAction.MOVE, EditAction.DETACH)


class Edit(models.Model):
    """One change a person made to a story's results: a correction, an undo, a verdict or a new run.

    ``payload`` holds what the change needs to be told and undone (see alignment.review); ``summary`` says it
    in words, with the pair numbers of the moment, which later corrections shift."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="edits")
    # The run whose results were changed: a new run's results make its edits history only.
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="edits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=EditAction.choices)
    summary = models.CharField(max_length=300)
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["story", "-created"], name="edit_story_created")]

    def __str__(self):
        return self.summary


class SimilarityMap(models.Model):
    """The picture of a story's last run: every English sentence against every Russian one, max-pooled into
    at most 600 x 600 cells of one byte (alignment.pipeline.simmap). A row of its own, so that loading a story
    never loads its picture."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, primary_key=True, related_name="similarity_map")
    rows = models.PositiveIntegerField()
    cols = models.PositiveIntegerField()
    en_block = models.PositiveIntegerField()  # English sentences per row
    ru_block = models.PositiveIntegerField()  # Russian sentences per column
    cells = models.BinaryField()  # rows x cols bytes, row-major

    def __str__(self):
        return f"Similarity map of {self.story}"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    DELETE = "delete", "Deleted"
    RERUN = "rerun", "Ran again"
    SHARE = "share", "Shared"
    UNSHARE = "unshare", "Revoked a shared link"
    SHARE_OPEN = "share_open", "Opened a shared link"


class AuditEntry(models.Model):
    """Who created, deleted or re-ran what, and when (see alignment.audit). Written once, never changed.

    Not the admin's LogEntry: that row is deleted with its user (a required foreign key with CASCADE), knows
    only add, change and delete, and is written by the admin alone, not by the pages and the API. An entry
    here outlives both the story (it holds the story's public code, not a foreign key) and the user (whose
    name is copied)."""

    when = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)  # the model's name: "story"
    object_code = models.CharField(max_length=64)  # its public id (a story's UUID)
    # "page", "api", "admin", "account" (its owner deleted), or "link" (a shared link opened)
    via = models.CharField(max_length=10, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # the title, the owner, what was deleted ...

    class Meta:
        ordering = ["-when", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["-when"], name="audit_when"),
            models.Index(fields=["object_type", "object_code"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.username or 'someone'} {self.get_action_display().lower()} {self.object_type} {self.object_code}"
