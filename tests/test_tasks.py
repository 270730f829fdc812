import os

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from alignment import jobs, stories, tasks
from alignment.models import JobStatus
from tests.conftest import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_job(owner, no_broker):
    return make_story(owner, process=False).jobs.get()


def test_the_task_runs_the_job_to_done(queued_job):
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.DONE
    assert queued_job.story.pairs.exists()


def test_a_transient_error_is_retried_and_then_succeeds(queued_job, monkeypatch, settings):
    settings.SVERKA_RETRY_BACKOFF = 0
    real_run = jobs.run_claimed
    calls = []

    def flaky(job_id, claim):
        calls.append(claim)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_run(job_id, claim)

    monkeypatch.setattr(jobs, "run_claimed", flaky)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert calls == [1, 2]  # each run under a claim of its own
    assert queued_job.status == JobStatus.DONE and queued_job.attempts == 2


def test_a_transient_error_that_persists_fails_the_job_with_a_reason(queued_job, monkeypatch, settings):
    settings.SVERKA_RETRY_BACKOFF = 0

    def always_down(job_id, claim):
        raise OperationalError("could not connect to server at 10.1.2.3")

    monkeypatch.setattr(jobs, "run_claimed", always_down)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "kept failing" in queued_job.error and "attempts" in queued_job.error
    assert "10.1.2.3" not in queued_job.error  # the operator's log has it; the user gets what to do


def test_a_job_over_its_time_limit_is_failed_and_can_be_retried(queued_job, monkeypatch, no_broker):
    def too_slow(job_id, claim):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "run_claimed", too_slow)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "longer than the limit" in queued_job.error
    monkeypatch.undo()
    retry = stories.rerun(queued_job.story)
    assert retry.status == JobStatus.QUEUED


def test_an_unexpected_error_fails_the_job_with_a_clear_message_instead_of_leaving_it_running(
    queued_job, monkeypatch, caplog
):
    def bug(job_id, claim):
        raise KeyError("secret-internal-name")

    monkeypatch.setattr(jobs, "run_claimed", bug)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "unexpected error" in queued_job.error and "Retry" in queued_job.error
    assert "KeyError" not in queued_job.error and "secret-internal-name" not in queued_job.error
    assert "secret-internal-name" in caplog.text  # logged with its traceback for the operators


def test_a_worker_pool_process_runs_its_jobs_below_the_web(settings):
    settings.SVERKA_WORKER_NICE = 7
    read, write = os.pipe()
    pid = os.fork()  # a child, so that the test's own process keeps its priority
    if pid == 0:
        try:
            before = os.nice(0)
            tasks.yield_to_the_web()
            os.write(write, f"{before} {os.nice(0)}".encode())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    before, after = map(int, os.read(read, 100).split())
    assert after == before + 7


def test_the_sweep_task_calls_the_sweeper(monkeypatch):
    monkeypatch.setattr(jobs, "sweep", lambda send: {"requeued": [1], "failed": [], "sent": [1]})
    assert tasks.sweep_stuck_jobs.apply().get() == {
        "requeued": [1], "failed": [], "sent": [1], "pending_files_deleted": 0,
    }


def test_the_sweep_deletes_files_kept_for_a_form_only_once_they_expire(owner, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from alignment.models import PendingFile

    monkeypatch.setattr(jobs, "sweep", lambda send: {})
    settings.SVERKA_PENDING_FILE_HOURS = 24
    old = PendingFile.objects.create(owner=owner, file_name="old.html", data=b"<p>old</p>")
    PendingFile.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=25))
    fresh = PendingFile.objects.create(owner=owner, file_name="fresh.html", data=b"<p>fresh</p>")
    assert tasks.sweep_stuck_jobs.apply().get() == {"pending_files_deleted": 1}
    assert list(PendingFile.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_enqueue_keeps_the_job_queued_when_the_broker_is_unreachable(owner, monkeypatch, no_broker):
    story = make_story(owner, process=False)
    job = story.jobs.get()
    monkeypatch.undo()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.process_story, "apply_async", refuse)
    assert tasks.enqueue(job.pk) is False
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.enqueued is False
