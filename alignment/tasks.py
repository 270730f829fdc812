"""Thin Celery tasks: ids in, a call to alignment.jobs, retries and time limits. No logic lives here.

``enqueue`` is how a job reaches the broker: the web side (alignment.stories) calls it once the job is saved, and
the sweeper is handed it, as alignment.jobs never imports this module.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

from alignment import jobs
from alignment.ops.logging import job_context
from alignment.models import Job, JobStatus

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
    with job_context(job=job_id, task=self.request.id):
        try:
            if redelivered:
                jobs.recover_redelivered(job_id)
            jobs.run_job(job_id)
        except SoftTimeLimitExceeded:
            limit = settings.SVERKA_JOB_SOFT_TIME_LIMIT
            jobs.fail_job(job_id, f"Processing took longer than the limit of {limit} seconds. Press Retry, "
                                  "or split the story into smaller parts.")
        except TRANSIENT as exc:
            if self.request.retries >= self.max_retries:
                jobs.fail_job(job_id, f"Gave up after {self.request.retries + 1} attempts: {exc}")
                return
            countdown = 2 ** self.request.retries * settings.SVERKA_RETRY_BACKOFF
            log.warning("job %s hit a transient error, retrying in %ss: %s", job_id, countdown, exc)
            Job.objects.filter(pk=job_id).update(
                status=JobStatus.QUEUED, stage="retrying", heartbeat=timezone.now()
            )
            raise self.retry(exc=exc, countdown=countdown)
        except Exception as exc:
            log.exception("job %s failed", job_id)
            jobs.fail_job(job_id, f"Unexpected error: {exc.__class__.__name__}: {exc}")


def enqueue(job_id: int) -> bool:
    """Hand the job to the broker. If the broker is down the job stays queued; the sweeper retries it."""
    try:
        # Without limits in the message, so the worker's own SVERKA_JOB_SOFT_TIME_LIMIT applies, not the sender's.
        process_story.apply_async(args=[job_id], retry=False, time_limit=None, soft_time_limit=None)
    except Exception as exc:  # kombu raises many kinds; the story is safe in the database either way
        log.warning("broker unreachable, job %s stays queued for the sweeper: %s", job_id, exc)
        return False
    jobs.mark_sent(job_id)
    return True


@shared_task
def sweep_stuck_jobs() -> dict:
    return jobs.sweep(enqueue)
