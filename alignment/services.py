"""The glue between rows and the pipeline: load rows -> call the pipeline -> save results in one transaction.

Views and the API call ``create_story`` and ``rerun``; the Celery task calls ``run_job``; the periodic
task calls ``sweep``. This is the one place where a PipelineError becomes a failed job.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alignment.models import Divergence, Document, Job, JobStatus, Language, Pair, Sentence, Story
from alignment.pipeline import AlignConfig, AlignmentResult, PipelineError, align_texts

log = logging.getLogger(__name__)

# Where each pipeline stage sits in the job's overall progress bar.
STAGES = {"segment": (0.0, 0.05), "embed": (0.05, 0.6), "align": (0.6, 0.9), "diverge": (0.9, 0.95)}
SAVE_STAGE = ("save", 0.95)


@dataclass(frozen=True)
class SideInput:
    text: str
    source_url: str = ""
    file_name: str = ""
    encoding: str = ""


def create_story(owner, title: str, en: SideInput, ru: SideInput) -> Story:
    """Save the story and its two documents, and queue its first job once the transaction commits."""
    with transaction.atomic():
        story = Story.objects.create(owner=owner, title=title.strip()[:300])
        for language, side in ((Language.EN, en), (Language.RU, ru)):
            Document.objects.create(
                story=story, language=language, text=side.text, source_url=side.source_url,
                file_name=side.file_name[:255], encoding=side.encoding,
            )
        queue_job(story)
    return story


def queue_job(story: Story) -> Job:
    """A new queued job for the story, sent to the broker after the surrounding transaction commits."""
    job = Job.objects.create(story=story)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Hand the job to the broker. If the broker is down the job stays queued; ``sweep`` retries it."""
    from alignment.tasks import process_story

    try:
        process_story.apply_async(args=[job_id], retry=False)
    except Exception as exc:  # kombu raises many kinds; the story is safe in the database either way
        log.warning("broker unreachable, job %s stays queued for the sweeper: %s", job_id, exc)
        return False
    Job.objects.filter(pk=job_id).update(enqueued=True)
    return True


def rerun(story: Story) -> Job:
    with transaction.atomic():
        return queue_job(story)


def config() -> AlignConfig:
    return AlignConfig(embedder=settings.SVERKA_EMBEDDER, max_sentences=settings.SVERKA_MAX_SENTENCES)


def run_job(job_id: int) -> Job:
    """Run the pipeline for one job and save its results. A PipelineError fails the job with its message;
    any other exception propagates so the task can retry it."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING, started=now, heartbeat=now, stage="segment", progress=0.0, error="",
    )
    job = Job.objects.select_related("story").get(pk=job_id)
    if not updated:
        log.info("job %s is already %s; nothing to do", job_id, job.status)
        return job
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    story = job.story
    docs = {d.language: d for d in story.documents.all()}
    reporter = _ProgressReporter(job_id)
    try:
        result = align_texts(docs[Language.EN].text, docs[Language.RU].text, config(), progress=reporter)
    except PipelineError as exc:
        return _finish(job_id, JobStatus.FAILED, error=str(exc))
    reporter(*SAVE_STAGE)
    save_result(story, docs, result)
    return _finish(job_id, JobStatus.DONE)


def fail_job(job_id: int, error: str) -> Job:
    return _finish(job_id, JobStatus.FAILED, error=error)


def _finish(job_id: int, status: str, error: str = "") -> Job:
    now = timezone.now()
    fields = {"status": status, "error": error, "finished": now, "heartbeat": now}
    # A failed job keeps the progress it reached, so the page shows where it stopped.
    if status == JobStatus.DONE:
        fields.update(progress=1.0, stage="done")
    else:
        fields["stage"] = "failed"
    Job.objects.filter(pk=job_id).update(**fields)
    job = Job.objects.get(pk=job_id)
    log.info("job %s for story %s finished: %s %s", job_id, job.story_id, status, error)
    return job


class _ProgressReporter:
    """Writes the stage and progress to the job row, at most every half second except at stage changes."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stage = None
        self.last = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        low, high = STAGES.get(stage, (SAVE_STAGE[1], 1.0))
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.5:
            return
        self.stage, self.last = stage, now
        Job.objects.filter(pk=self.job_id).update(
            stage=stage, progress=low + (high - low) * fraction, heartbeat=timezone.now()
        )


@transaction.atomic
def save_result(story: Story, docs: dict, result: AlignmentResult) -> None:
    """Replace the story's sentences, pairs and divergences with ``result``, all or nothing."""
    Pair.objects.filter(story=story).delete()
    Sentence.objects.filter(document__story=story).delete()
    pairs = Pair.objects.bulk_create(
        Pair(
            story=story, order=k, score=bead.score, similarity=bead.similarity,
            kinds=",".join(sorted({d.kind.value for d in bead.divergences})),
        )
        for k, bead in enumerate(result.beads)
    )
    pair_of = {}
    for pair, bead in zip(pairs, result.beads):
        for i in bead.en:
            pair_of[(Language.EN, i)] = pair
        for j in bead.ru:
            pair_of[(Language.RU, j)] = pair
    Sentence.objects.bulk_create(
        Sentence(
            document=docs[lang], pair=pair_of[(lang, s.index)], language=lang, index=s.index, text=s.text,
            start=s.start, end=s.end, paragraph=s.paragraph,
        )
        for lang, sentences in ((Language.EN, result.en), (Language.RU, result.ru))
        for s in sentences
    )
    Divergence.objects.bulk_create(
        Divergence(
            pair=pair, kind=d.kind.value, severity=d.severity, reason=d.reason[:500],
            en_spans=[list(s) for s in d.en_spans], ru_spans=[list(s) for s in d.ru_spans],
        )
        for pair, bead in zip(pairs, result.beads)
        for d in bead.divergences
    )
    data = result.to_dict()
    story.stats = data["stats"]
    story.embedder = result.embedder
    story.save(update_fields=["stats", "embedder", "updated"])


def sweep(now=None) -> dict:
    """Recover jobs no worker is looking after, so that none stays queued or running forever.

    A running job whose heartbeat is older than the stale limit lost its worker: it is queued again, or
    failed with a reason once it has used its attempts. A queued job the broker never accepted is sent again.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS)
    requeued, failed, resent = [], [], []
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat__lt=stale):
        if job.attempts >= settings.SVERKA_JOB_MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, finished=now, stage="failed",
                error=f"The worker stopped responding during {job.stage or 'processing'} "
                f"{job.attempts} times; giving up. Press Retry to try again.",
            )
            failed.append(job.pk)
        elif Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, heartbeat=now, enqueued=False
        ):
            requeued.append(job.pk)
    for job in Job.objects.filter(status=JobStatus.QUEUED, enqueued=False, created__lt=now - timedelta(seconds=5)):
        if enqueue(job.pk):
            resent.append(job.pk)
    for pk in requeued:
        if enqueue(pk):
            resent.append(pk)
    if requeued or failed or resent:
        log.warning("sweep: requeued %s, failed %s, sent %s", requeued, failed, resent)
    return {"requeued": requeued, "failed": failed, "sent": sorted(set(resent))}
