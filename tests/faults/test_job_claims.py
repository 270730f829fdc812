"""The rules that keep one job from running twice, or from being lost, when messages are duplicated or workers
die; the real processes that exercise them are in the other tests here."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from alignment import jobs, tasks
from alignment.models import Job, JobStatus
from tests.conftest import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(owner, no_broker):
    return make_story(owner, process=False).jobs.get()


def test_a_second_message_for_a_running_job_does_nothing(job):
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1
    assert not job.story.pairs.exists()


def test_a_message_redelivered_after_its_worker_died_runs_the_job_again(job):
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1)
    jobs.recover_redelivered(job.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_redelivered_job_that_used_its_attempts_is_failed_with_a_reason(job, settings):
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=settings.SVERKA_JOB_MAX_ATTEMPTS, stage="align"
    )
    jobs.recover_redelivered(job.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith(f"The worker stopped responding during align {settings.SVERKA_JOB_MAX_ATTEMPTS} times")


def test_a_redelivered_message_for_a_finished_job_changes_nothing(job):
    jobs.run_job(job.pk)
    jobs.recover_redelivered(job.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_the_sweeper_sends_again_a_queued_job_no_worker_took_long_after_it_was_sent(job, settings, monkeypatch):
    monkeypatch.undo()  # the real enqueue, up to the broker
    sent = []
    monkeypatch.setattr(tasks.process_story, "apply_async", lambda args, **options: sent.append((args, options)))
    long_ago = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(enqueued=True, heartbeat=long_ago, created=long_ago)
    assert jobs.sweep(tasks.enqueue)["sent"] == [job.pk]
    # Sent now, so not again at the next sweep; without time limits, so that the worker's own apply.
    assert jobs.sweep(tasks.enqueue)["sent"] == []
    assert sent == [([job.pk], {"retry": False, "time_limit": None, "soft_time_limit": None})]


def test_the_sweeper_leaves_a_recently_sent_job_in_its_queue(job, no_broker):
    Job.objects.filter(pk=job.pk).update(enqueued=True, heartbeat=timezone.now(),
                                         created=timezone.now() - timedelta(hours=1))
    assert jobs.sweep(tasks.enqueue)["sent"] == []


@pytest.mark.django_db(transaction=True)
def test_a_running_job_writes_its_heartbeat_during_a_long_stage(owner, no_broker, settings, monkeypatch):
    settings.SVERKA_JOB_HEARTBEAT_SECONDS = 0.1
    job = make_story(owner, process=False).jobs.get()
    beats = []
    real_align = jobs.align_texts

    def slow_align(*args, **kwargs):
        deadline = time.monotonic() + 30
        while len(set(beats)) < 3 and time.monotonic() < deadline:  # no progress reported meanwhile
            beats.append(Job.objects.get(pk=job.pk).heartbeat)
            time.sleep(0.05)
        return real_align(*args, **kwargs)

    monkeypatch.setattr(jobs, "align_texts", slow_align)
    jobs.run_job(job.pk)
    assert len(set(beats)) >= 3
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
