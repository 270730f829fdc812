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
    real_run_job = jobs.run_job
    calls = []

    def flaky(job_id):
        calls.append(job_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_run_job(job_id)

    monkeypatch.setattr(jobs, "run_job", flaky)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert len(calls) == 2
    assert queued_job.status == JobStatus.DONE


def test_a_transient_error_that_persists_fails_the_job_with_a_reason(queued_job, monkeypatch, settings):
    settings.SVERKA_RETRY_BACKOFF = 0

    def always_down(job_id):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(jobs, "run_job", always_down)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "could not connect to server" in queued_job.error
    assert "attempts" in queued_job.error


def test_a_job_over_its_time_limit_is_failed_and_can_be_retried(queued_job, monkeypatch, no_broker):
    def too_slow(job_id):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "run_job", too_slow)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "longer than the limit" in queued_job.error
    monkeypatch.undo()
    retry = stories.rerun(queued_job.story)
    assert retry.status == JobStatus.QUEUED


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(queued_job, monkeypatch):
    def bug(job_id):
        raise KeyError("en")

    monkeypatch.setattr(jobs, "run_job", bug)
    tasks.process_story.apply(args=[queued_job.pk])
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    assert "KeyError" in queued_job.error


def test_the_sweep_task_calls_the_sweeper(monkeypatch):
    monkeypatch.setattr(jobs, "sweep", lambda send: {"requeued": [1], "failed": [], "sent": [1]})
    assert tasks.sweep_stuck_jobs.apply().get() == {"requeued": [1], "failed": [], "sent": [1]}


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
