"""The worker side of a story's life: run a job (load its rows, call the pipeline, save the results in one
transaction), keep its heartbeat, recover a job whose worker died, and sweep for jobs no worker looks after.

The Celery tasks (alignment.tasks) call these with a job's id; this module never imports them, so the sweeper is
handed the function that sends a job to the broker. This is the one place where a PipelineError becomes a failed
job. The web side (create, queue, re-run, delete) is alignment.stories.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from alignment import keeping, reading, translation, workers
from alignment.corpus import furniture
from alignment.glossary.entries import for_story as glossary_for
from alignment.models import Divergence, Document, Job, JobStatus, Language, Pair, Sentence, SimilarityMap, Story
from alignment.ops.logging import job_context
from alignment.pipeline import AlignConfig, AlignmentResult, PipelineError, align_texts
from alignment.results import stored_counterpart
from alignment.pipeline.recurring import furniture_key

log = logging.getLogger(__name__)

# Where each pipeline stage sits in the job's overall progress bar, without and with translation. Translation
# takes its share from embedding: both run over every sentence, in seconds for a story.
STAGES = {"read": (0.0, 0.0), "segment": (0.0, 0.05), "embed": (0.05, 0.6), "align": (0.6, 0.9), "diverge": (0.9, 0.95)}
TRANSLATED_STAGES = {
    "read": (0.0, 0.0), "segment": (0.0, 0.05), "translate": (0.05, 0.4), "embed": (0.4, 0.7), "align": (0.7, 0.9),
    "diverge": (0.9, 0.95),
}
SAVE_STAGE = ("save", 0.95)
READ_STAGE = ("read", 0.0)  # a page or a .docx read into text first (alignment.reading): its share is small


def config(translate: bool = False, story: Story | None = None) -> AlignConfig:
    """The pipeline's settings for a run; for a ``story``, with the furniture its collections know, and the
    glossaries of its owner and its collections."""
    known, struck = furniture.known_for(story) if story is not None else (frozenset(), frozenset())
    return AlignConfig(
        embedder=settings.SVERKA_EMBEDDER, max_sentences=settings.SVERKA_MAX_SENTENCES, translate=translate,
        mono_embedder=settings.SVERKA_MONO_EMBEDDER or None, known_furniture=known, not_furniture=struck,
        glossary=glossary_for(story) if story is not None else (),
    )


def run_job(job_id: int) -> Job | None:
    """Take the job (``take``) and run it; the tasks do the same in two steps, to keep the claim for their
    error handling. None if the job no longer exists (its story was deleted)."""
    claim = take(job_id)
    if claim is not None:
        run_claimed(job_id, claim)
    return Job.objects.filter(pk=job_id).first()


def take(job_id: int) -> int | None:
    """Claim a queued job for this process: its status becomes running and its attempt count, the claim, goes up
    by one. Returns the claim, or None if the job is not queued (a duplicate message: one job never runs twice at
    once) or no longer exists.

    Every later write of this run (heartbeat, progress, results, the end) holds only while the job is still
    running under this claim: once the sweeper has given the job to another run, or failed it, or the story was
    deleted, what this run saves is thrown away (``current``)."""
    now = timezone.now()
    with transaction.atomic():
        taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started=now, heartbeat=now, stage="segment", progress=0.0, error="",
            attempts=F("attempts") + 1, worker=workers.identity(),
        )
        job = Job.objects.filter(pk=job_id).only("status", "attempts", "story_id").first()
    if job is None:
        log.info("job %s no longer exists (its story was deleted); nothing to do", job_id)
        return None
    if not taken:
        log.info("job %s is already %s; this message is a duplicate", job_id, job.status)
        return None
    return job.attempts


def current(job_id: int, claim: int):
    """The job's row while it still runs under ``claim``: filter on it, or lock it, before writing."""
    return Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=claim)


def run_claimed(job_id: int, claim: int) -> None:
    """Run the pipeline for a job taken with ``claim`` and save its results. A PipelineError fails the job with
    its message; any other exception propagates so the task can retry it."""
    story = Story.objects.filter(jobs=job_id).first()
    docs = {d.language: d for d in story.documents.all()} if story else {}
    if len(docs) < 2:
        log.info("job %s: its story was deleted while it waited; nothing to do", job_id)
        return
    with job_context(job=job_id, story=story.pk), _heartbeat(job_id, claim):
        state = translation.status()
        translator = translation.translator(state)
        reporter = ProgressReporter(job_id, TRANSLATED_STAGES if translator else STAGES, claim)
        if reading.unread(docs):
            reporter(*READ_STAGE)
            error = reading.read_files(docs, job=(job_id, claim))
            if error:
                finish(job_id, claim, JobStatus.FAILED, error=error)
                return
        locked, locked_texts = keeping.locked_beads(story)

        def run(locked):
            return align_texts(
                docs[Language.EN].text, docs[Language.RU].text, config(translator is not None, story),
                progress=reporter, translator=translator,
                known_translations=known_translations(story, state.label) if translator else None, locked=locked,
            )

        try:
            try:
                result = run(locked)
            except PipelineError as exc:
                if exc.code != "bad_locked":
                    raise
                result = None
            if locked and (result is None or not keeping.same_sentences(result, locked_texts)):
                # The text reads as other sentences now (a newer segmenter): the locks name what is no longer there.
                log.warning("job %s: the locked pairs no longer fit the story's sentences; aligned afresh", job_id)
                result = run(())
        except PipelineError as exc:
            finish(job_id, claim, JobStatus.FAILED, error=str(exc))
            return
        reporter(*SAVE_STAGE)
        if save_result(story, docs, result, translator=state.label, translation_skipped=state.why_not,
                       job=(job_id, claim)):
            finish(job_id, claim, JobStatus.DONE)


def recover(job: Job, now=None, resend: bool = True) -> str:
    """A running job whose worker died: queue it again ("requeued"), or fail it with a reason once it has used
    its attempts ("failed"). "" if it changed meanwhile. With ``resend`` the sweeper sends it to the broker
    again; without, the caller runs it itself. Either way its old run's claim is no longer current."""
    now = now or timezone.now()
    # Compare and set on the claim and heartbeat read: of two that both found it lost, one recovers it.
    same = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, heartbeat=job.heartbeat)
    if job.attempts >= settings.SVERKA_JOB_MAX_ATTEMPTS:
        error = (f"The worker stopped responding during {job.stage or 'processing'} {job.attempts} times; "
                 "giving up. Press Retry to try again.")
        return "failed" if same.update(status=JobStatus.FAILED, finished=now, stage="failed", error=error) else ""
    return "requeued" if same.update(status=JobStatus.QUEUED, heartbeat=now, enqueued=not resend) else ""


def lost(job: Job, now=None) -> bool:
    """Whether a running job has lost its worker: its process is known to be gone (``workers.gone``), or its
    heartbeat is older than SVERKA_JOB_STALE_SECONDS (a worker on another host, or one that cannot reach the
    database: if it is alive after all, its claim is no longer current and what it saves is thrown away)."""
    stale = (now or timezone.now()) - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS)
    return job.status == JobStatus.RUNNING and (
        workers.gone(job.worker) or job.heartbeat is None or job.heartbeat < stale
    )


def recover_redelivered(job_id: int) -> None:
    """The broker handed a job's message out again (Celery's reject_on_worker_lost, Redis's visibility timeout).
    If the job is still running and has lost its worker, take it back; a job that runs well elsewhere is left
    alone, and the message does nothing (``take``)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is not None and lost(job):
        with job_context(job=job_id, story=job.story_id):
            log.warning("job %s came back from the broker after its worker died: %s", job_id,
                        recover(job, resend=False) or "changed meanwhile")


@contextmanager
def _heartbeat(job_id: int, claim: int) -> Iterator[None]:
    """Write the job's heartbeat every SVERKA_JOB_HEARTBEAT_SECONDS from a thread while the block runs, so a
    long stage with no progress to report still shows the worker is alive."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.SVERKA_JOB_HEARTBEAT_SECONDS):
                try:
                    if not current(job_id, claim).update(heartbeat=timezone.now()):
                        return  # taken back, finished or deleted: nothing left to keep alive
                except DatabaseError as exc:  # the next beat tries again; the sweeper waits several beats
                    log.warning("job %s: could not write the heartbeat: %s", job_id, exc)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-job-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def known_translations(story: Story, translator: str) -> dict[tuple[str, str], str]:
    """The translations the story's sentences got from this same translator last time, by (language, text),
    so that a re-run translates only the sentences that changed."""
    if not translator or story.translator != translator:
        return {}
    rows = Sentence.objects.filter(document__story=story).exclude(translation="")
    return {(lang, text): gloss for lang, text, gloss in rows.values_list("language", "text", "translation")}


def fail_job(job_id: int, claim: int, error: str) -> None:
    finish(job_id, claim, JobStatus.FAILED, error=error)


def release(job_id: int, claim: int) -> bool:
    """Give a job back to the queue for the task to retry after a transient error, if the claim is current."""
    return bool(current(job_id, claim).update(status=JobStatus.QUEUED, stage="retrying", heartbeat=timezone.now()))


def finish(job_id: int, claim: int, status: str, error: str = "") -> None:
    """End the job as done or failed, if ``claim`` is still current; otherwise log and leave it."""
    now = timezone.now()
    fields = {"status": status, "error": error, "finished": now, "heartbeat": now}
    # A failed job keeps the progress it reached, so the page shows where it stopped.
    if status == JobStatus.DONE:
        fields.update(progress=1.0, stage="done")
    else:
        fields["stage"] = "failed"
    if current(job_id, claim).update(**fields):
        log.info("job %s finished: %s %s", job_id, status, error)
    else:
        log.warning("job %s: attempt %s ended (%s) after its claim lapsed; the job's state is left as it is",
                    job_id, claim, status)


class ProgressReporter:
    """Writes the stage and progress to the job row, at most every half second except at stage changes.
    ``stages`` places each stage in the overall progress (STAGES or TRANSLATED_STAGES)."""

    def __init__(self, job_id: int, stages: dict[str, tuple[float, float]] = STAGES, claim: int | None = None):
        self.job_id, self.claim = job_id, claim
        self.stages = stages
        self.stage = None
        self.last = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        low, high = self.stages.get(stage, (SAVE_STAGE[1], 1.0))
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.5:
            return
        self.stage, self.last = stage, now
        rows = Job.objects.filter(pk=self.job_id) if self.claim is None else current(self.job_id, self.claim)
        rows.update(
            stage=stage, progress=low + (high - low) * fraction, heartbeat=timezone.now()
        )


@transaction.atomic
def save_result(
    story: Story, docs: dict, result: AlignmentResult, translator: str = "", translation_skipped: str = "",
    job: tuple[int, int] | None = None,
) -> bool:
    """Replace the story's sentences, pairs, divergences and similarity map with ``result``, all or nothing.
    ``translator`` names what translated the sentences ("" if nothing did), ``translation_skipped`` why nothing
    did. With ``job`` (its id and the run's claim), the results are saved only while that claim is current:
    a run that the sweeper has given to another worker, or whose story was deleted, saves nothing, so that it
    never replaces a newer run's results and the verdicts and corrections made on them. False if not saved."""
    # Two runs of one story (a duplicate message) save one after the other, never interleaved.
    story.lock()
    if job is not None and not current(*job).select_for_update().exists():
        log.warning("job %s: attempt %s finished after its claim lapsed (taken back, failed or its story "
                    "deleted); its results are thrown away", *job)
        return False
    kept = keeping.snapshot(story)
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
            start=s.start, end=s.end, paragraph=s.paragraph, translation=s.translation or "",
            furniture=result.furniture.get(lang, {}).get(s.index, "")[:40], key=furniture_key(s.text),
        )
        for lang, sentences in ((Language.EN, result.en), (Language.RU, result.ru))
        for s in sentences
    )
    Divergence.objects.bulk_create(
        Divergence(
            pair=pair, kind=d.kind.value, severity=d.severity, reason=d.reason[:500],
            en_spans=[list(s) for s in d.en_spans], ru_spans=[list(s) for s in d.ru_spans],
            counterpart=stored_counterpart(d.en_counterpart, d.ru_counterpart),
        )
        for pair, bead in zip(pairs, result.beads)
        for d in bead.divergences
    )
    keeping.restore(story, kept)
    story.stats = result.stats.to_dict()
    story.embedder = result.embedder
    story.translator, story.translation_skipped = translator, translation_skipped[:300]
    story.save(update_fields=["stats", "embedder", "translator", "translation_skipped", "updated"])
    SimilarityMap.objects.filter(story=story).delete()
    if result.similarity_map is not None:
        SimilarityMap.objects.create(story=story, **asdict(result.similarity_map))
    story.bump_version()
    return True


def story_chars(job_id: int) -> int:
    """The length of the job's story, both sides, in characters (0 if it is gone). A file not read yet counts by
    its bytes: more than the text a page holds, so a big page is never taken for a small story."""
    size = Sum(Length("text") + Coalesce(Length("raw"), 0))
    return Document.objects.filter(story__jobs=job_id).aggregate(chars=size)["chars"] or 0


def mark_sent(job_id: int) -> None:
    """The broker accepted the job's message. For a queued job the heartbeat is when it was last sent: the
    sweeper sends it again if no worker has taken it long after that (a broker restarted without its data loses
    its messages)."""
    Job.objects.filter(pk=job_id).update(enqueued=True, heartbeat=timezone.now())


def sweep(send: Callable[[int], bool], now=None) -> dict:
    """Recover jobs no worker is looking after, so that none stays queued or running forever. ``send`` hands a
    job to the broker, True if it took it (alignment.tasks.enqueue).

    A running job that lost its worker (``lost``: its process is gone, or its heartbeat is older than the stale
    limit) is queued again, or failed with a reason once it has used its attempts. A queued job the broker never
    accepted is sent again, and so is one that no worker has taken SVERKA_JOB_RESEND_SECONDS after it was sent
    (its message may have been lost with a broker's data); a duplicate message does nothing (``take``).
    """
    now = now or timezone.now()
    resend = now - timedelta(seconds=settings.SVERKA_JOB_RESEND_SECONDS)
    requeued, failed, resent = [], [], []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not lost(job, now):
            continue
        outcome = recover(job, now)
        if outcome == "failed":
            failed.append(job.pk)
        elif outcome == "requeued":
            requeued.append(job.pk)
    unsent = Q(enqueued=False, created__lt=now - timedelta(seconds=5))
    untaken = Q(enqueued=True) & (Q(heartbeat__lt=resend) | Q(heartbeat=None, created__lt=resend))
    for job in Job.objects.filter(unsent | untaken, status=JobStatus.QUEUED):
        if send(job.pk):
            resent.append(job.pk)
    for pk in requeued:
        if send(pk):
            resent.append(pk)
    if requeued or failed or resent:
        log.warning("sweep: requeued %s, failed %s, sent %s", requeued, failed, resent)
    return {"requeued": requeued, "failed": failed, "sent": sorted(set(resent))}
