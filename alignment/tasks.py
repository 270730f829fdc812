"""Thin Celery tasks: ids in, a call to alignment.jobs, retries and time limits. No logic lives here.

``enqueue`` is how a job reaches the broker: the web side (alignment.stories) calls it once the job is saved, and
the sweeper is handed it, as alignment.jobs never imports this module.
"""

from __future__ import annotations

import logging
import os

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, connection

from alignment import jobs
from alignment.corpus import furniture
from alignment.models import Collection, JobStatus, PendingFile
from alignment.ops.logging import job_context

log = logging.getLogger(__name__)

TRANSIENT = (DatabaseError, InterfaceError, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.SVERKA_JOB_MAX_ATTEMPTS,
    soft_time_limit=settings.SVERKA_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.SVERKA_JOB_SOFT_TIME_LIMIT + 30,
)
def process_story(self, job_id: int) -> None:
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    claim = None
    with job_context(job=job_id, task=self.request.id):
        try:
            if redelivered:
                jobs.recover_redelivered(job_id)
            claim = jobs.take(job_id)
            if claim is not None:
                jobs.run_claimed(job_id, claim)
                learn_soon(job_id)
        except SoftTimeLimitExceeded:
            limit = settings.SVERKA_JOB_SOFT_TIME_LIMIT
            _fail(job_id, claim, f"Processing took longer than the limit of {limit} seconds. Press Retry, "
                                 "or split the story into smaller parts.")
        except TRANSIENT as exc:
            if self.request.retries >= self.max_retries:
                log.error("job %s gave up after %s attempts: %s", job_id, self.request.retries + 1, exc)
                _fail(job_id, claim, f"Gave up after {self.request.retries + 1} attempts: the database or the "
                                     "broker kept failing. Press Retry to try again.")
                return
            countdown = 2 ** self.request.retries * settings.SVERKA_RETRY_BACKOFF
            log.warning("job %s hit a transient error, retrying in %ss: %s", job_id, countdown, exc)
            if claim is not None and not jobs.release(job_id, claim):
                log.warning("job %s: its claim lapsed meanwhile; not retrying this run", job_id)
                return
            raise self.retry(exc=exc, countdown=countdown)
        except Exception:
            log.exception("job %s failed", job_id)
            _fail(job_id, claim, "An unexpected error stopped the processing; it is logged for the operators. "
                                 "Press Retry to try again.")


def _fail(job_id: int, claim: int | None, error: str) -> None:
    """Fail the job this run holds; a run that never took it (the error came first) leaves it to its owner."""
    if claim is not None:
        jobs.fail_job(job_id, claim, error)


def learn_soon(job_id: int) -> None:
    """Once a story of a collection is done, learn the collection's furniture again a little later: once for
    all the stories done meanwhile, not once per story of a batch."""
    delay = settings.SVERKA_FURNITURE_LEARN_SECONDS
    for collection_id in Collection.objects.filter(stories__jobs=job_id, stories__jobs__status=JobStatus.DONE
                                                   ).values_list("pk", flat=True).distinct():
        try:
            if cache.add(f"sverka:learn-furniture:{collection_id}", 1, delay):
                learn_furniture.apply_async(args=[collection_id], countdown=delay, retry=False)
        except Exception as exc:  # the broker or the cache is down: the next story done tries again
            log.warning("could not schedule learning the furniture of collection %s: %s", collection_id, exc)


@shared_task(ignore_result=True)
def learn_furniture(collection_id: int) -> int:
    collection = Collection.objects.filter(pk=collection_id).first()
    return furniture.learn(collection) if collection is not None else 0


def enqueue(job_id: int) -> bool:
    """Hand the job to the broker. If the broker is down the job stays queued; the sweeper retries it.

    A story longer than SVERKA_BIG_STORY_CHARS (both sides) goes to a queue of its own (SVERKA_BIG_QUEUE): every
    worker takes from both queues in turn, so that one huge story, or a batch of them, never holds the others
    back."""
    big = jobs.story_chars(job_id) > settings.SVERKA_BIG_STORY_CHARS
    queue = settings.SVERKA_BIG_QUEUE if big else None
    try:
        # Without limits in the message, so the worker's own SVERKA_JOB_SOFT_TIME_LIMIT applies, not the sender's.
        process_story.apply_async(args=[job_id], retry=False, time_limit=None, soft_time_limit=None, queue=queue)
    except Exception as exc:  # kombu raises many kinds; the story is safe in the database either way
        log.warning("broker unreachable, job %s stays queued for the sweeper: %s", job_id, exc)
        return False
    jobs.mark_sent(job_id)
    return True


@shared_task
def sweep_stuck_jobs() -> dict:
    found = jobs.sweep(enqueue)
    # Files kept for an upload form that came back with errors, and never sent again.
    found["pending_files_deleted"] = PendingFile.expired().delete()[0]
    return found


@worker_process_init.connect
def yield_to_the_web(**kwargs) -> None:
    """Each pool process runs its jobs at a lower priority than the web's (SVERKA_WORKER_NICE, added to the nice
    value it started with): a job then takes the CPU that the pages leave."""
    os.nice(settings.SVERKA_WORKER_NICE)


@worker_ready.connect
def take_back_lost_jobs(**kwargs) -> None:
    """A worker that starts takes back at once the jobs of worker processes that are gone from its host (a
    worker restarted after a crash), and any other job the sweeper would: it need not wait for the schedule."""
    try:
        found = jobs.sweep(enqueue)
        if found["requeued"] or found["failed"]:
            log.warning("took back lost jobs at start-up: %s (failed: %s)", found["requeued"], found["failed"])
    except Exception as exc:  # the database is not up yet: the scheduled sweep will do it
        log.warning("could not look for lost jobs at start-up: %s", exc)
    finally:
        connection.close()  # the main process's; the pool processes have their own
