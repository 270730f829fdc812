"""The rules that keep one job from running twice, or from being lost, when messages are duplicated or workers
die; the real processes that exercise them are in the other tests here."""

import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from alignment import jobs, stories, tasks, workers
from alignment.models import Divergence, Job, JobStatus, Pair, Verdict
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


@pytest.fixture(scope="module")
def dead_worker():
    """A worker process of this host that has ended, as a job records it."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    worker = workers.identity(proc.pid)
    proc.wait()
    return worker


def test_a_message_redelivered_after_its_worker_died_runs_the_job_again(job, dead_worker):
    # The heartbeat is fresh: the worker died a moment ago, and its process, gone from this host, tells.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1,
                                         worker=dead_worker)
    jobs.recover_redelivered(job.pk)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_redelivered_job_that_used_its_attempts_is_failed_with_a_reason(job, settings, dead_worker):
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=settings.SVERKA_JOB_MAX_ATTEMPTS, stage="align",
        worker=dead_worker,
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
    long_ago = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_RESEND_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(enqueued=True, heartbeat=long_ago, created=long_ago)
    assert jobs.sweep(tasks.enqueue)["sent"] == [job.pk]
    # Sent now, so not again at the next sweep; without time limits, so that the worker's own apply.
    assert jobs.sweep(tasks.enqueue)["sent"] == []
    assert sent == [([job.pk], {"retry": False, "time_limit": None, "soft_time_limit": None, "queue": None})]


def test_the_sweeper_leaves_a_recently_sent_job_in_its_queue(job, no_broker, settings):
    Job.objects.filter(pk=job.pk).update(enqueued=True, heartbeat=timezone.now(),
                                         created=timezone.now() - timedelta(hours=1))
    assert jobs.sweep(tasks.enqueue)["sent"] == []
    # Nor one waiting behind a long job for longer than a running job's heartbeat may be silent.
    waited = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS * 2)
    Job.objects.filter(pk=job.pk).update(heartbeat=waited)
    assert settings.SVERKA_JOB_RESEND_SECONDS > settings.SVERKA_JOB_STALE_SECONDS * 2
    assert jobs.sweep(tasks.enqueue)["sent"] == []


def test_a_redelivered_message_leaves_a_job_that_runs_well_elsewhere_alone(job):
    # A live worker (this process) with a fresh heartbeat: the broker's second copy is a duplicate.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1,
                                         worker=workers.identity())
    jobs.recover_redelivered(job.pk)
    assert jobs.run_job(job.pk).status == JobStatus.RUNNING
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1 and not job.story.pairs.exists()


def test_the_sweeper_takes_back_at_once_a_job_whose_process_is_gone_from_this_host(job, dead_worker):
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1,
                                         worker=dead_worker, enqueued=True)
    assert jobs.sweep(lambda pk: True) == {"requeued": [job.pk], "failed": [], "sent": [job.pk]}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_the_sweeper_waits_for_the_heartbeat_of_a_live_or_distant_worker(job, settings):
    fresh = timezone.now()
    for worker in (workers.identity(), "another-host 12 345", ""):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=fresh, attempts=1, worker=worker)
        assert jobs.sweep(lambda pk: True)["requeued"] == [], worker
    stale = fresh - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat=stale)
    assert jobs.sweep(lambda pk: True)["requeued"] == [job.pk]


def test_a_starting_worker_takes_back_the_jobs_of_workers_that_are_gone(job, dead_worker, monkeypatch):
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=1,
                                         worker=dead_worker)
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda pk: sent.append(pk) or True)
    closed = []
    monkeypatch.setattr(tasks, "connection", SimpleNamespace(close=lambda: closed.append(True)))  # the test's own
    from celery.signals import worker_ready

    worker_ready.send(sender=None)
    assert sent == [job.pk] and closed == [True]
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


# ------------------------------------------------------------------------------------------- one result per claim


def _divergent_story(owner):
    en = ("The council met on Monday. It approved the new budget. The mayor was absent. "
          "A spokesman declined to comment on the decision.")
    ru = "Совет собрался в понедельник. Он утвердил новый бюджет. Мэр отсутствовал."
    return make_story(owner, process=False, en=en, ru=ru)


def test_a_run_whose_claim_lapsed_saves_nothing_and_the_reviewers_work_stays(owner, no_broker, monkeypatch):
    """The sweeper took the job back from a slow but live run (its heartbeat could not be written); a second run
    finished and a reviewer ruled on it; then the first run reaches its save: it is thrown away."""
    story = _divergent_story(owner)
    job = story.jobs.get()
    first = jobs.take(job.pk)
    real_align = jobs.align_texts

    def meanwhile(*args, **kwargs):
        result = real_align(*args, **kwargs)
        lost = Job.objects.get(pk=job.pk)
        assert jobs.recover(lost) == "requeued"  # as the sweeper does with a stale heartbeat
        monkeypatch.setattr(jobs, "align_texts", real_align)
        assert jobs.run_job(job.pk).status == JobStatus.DONE
        Divergence.objects.filter(pair__story=story).update(verdict=Verdict.CONFIRMED, note="checked by hand")
        second.extend(Pair.objects.filter(story=story).values_list("pk", flat=True))
        return result

    second = []
    monkeypatch.setattr(jobs, "align_texts", meanwhile)
    jobs.run_claimed(job.pk, first)  # reaches its save after the second run's
    assert second and sorted(Pair.objects.filter(story=story).values_list("pk", flat=True)) == sorted(second)
    reviewed = Divergence.objects.filter(pair__story=story)
    assert reviewed.exists() and all(d.verdict == Verdict.CONFIRMED and d.note for d in reviewed)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_lapsed_claim_neither_finishes_fails_nor_releases_the_job(job):
    first = jobs.take(job.pk)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # taken back by the sweeper
    second = jobs.take(job.pk)
    assert (first, second) == (1, 2)
    jobs.finish(job.pk, first, JobStatus.DONE)
    jobs.fail_job(job.pk, first, "late")
    assert not jobs.release(job.pk, first)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.RUNNING, 2, "")
    jobs.run_claimed(job.pk, second)
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_story_deleted_while_its_job_runs_ends_the_job_quietly(owner, no_broker, monkeypatch, caplog):
    story = _divergent_story(owner)
    job = story.jobs.get()
    real_align = jobs.align_texts

    def deleted_meanwhile(*args, **kwargs):
        result = real_align(*args, **kwargs)
        stories.delete_story(story, owner, "page")
        return result

    monkeypatch.setattr(jobs, "align_texts", deleted_meanwhile)
    retried = []
    monkeypatch.setattr(tasks.process_story, "retry", lambda **kw: retried.append(kw))
    tasks.process_story.apply(args=[job.pk])
    assert not Job.objects.filter(pk=job.pk).exists() and not Pair.objects.filter(story_id=story.pk).exists()
    assert retried == [] and "Traceback" not in caplog.text and "transient" not in caplog.text
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    # And a message for a job whose story is already gone does nothing at all.
    tasks.process_story.apply(args=[job.pk])
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


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


def test_a_big_story_goes_to_a_queue_of_its_own(owner, monkeypatch, settings, no_broker):
    monkeypatch.undo()
    sent = []
    monkeypatch.setattr(tasks.process_story, "apply_async", lambda args, **options: sent.append(options["queue"]))
    settings.SVERKA_BIG_STORY_CHARS = 500
    small = make_story(owner, process=False, en="A short story.", ru="Короткая история.").jobs.get()
    big = make_story(owner, process=False, en="A long sentence here. " * 20, ru="Длинное предложение тут. " * 20)
    assert tasks.enqueue(small.pk) and tasks.enqueue(big.jobs.get().pk)
    assert sent == [None, settings.SVERKA_BIG_QUEUE]


def test_a_big_page_not_read_yet_goes_to_the_big_queue(owner, monkeypatch, settings, no_broker):
    from django.db import transaction

    from alignment import stories

    monkeypatch.undo()
    sent = []
    monkeypatch.setattr(tasks.process_story, "apply_async", lambda args, **options: sent.append(options["queue"]))
    settings.SVERKA_BIG_STORY_CHARS = 500
    page = ("<html><body><article>" + "<p>A long sentence here.</p>" * 30 + "</article></body></html>").encode()
    with transaction.atomic():
        story = stories.create_story(owner, "Page", stories.SideInput(text="", raw=page, file_name="p.html"),
                                     stories.SideInput(text="Короткая история."))
    assert tasks.enqueue(story.jobs.get().pk)
    assert sent == [settings.SVERKA_BIG_QUEUE]


def test_the_two_queues_never_share_a_message(settings):
    """Bound to one exchange with one routing key, both queues would get a copy of every job's message."""
    from config.celery import app

    queues = {q.name: q for q in app.amqp.Queues(settings.CELERY_TASK_QUEUES).values()}
    assert set(queues) == {settings.CELERY_TASK_DEFAULT_QUEUE, settings.SVERKA_BIG_QUEUE}
    bindings = {(q.exchange.name, q.routing_key) for q in queues.values()}
    assert len(bindings) == 2, bindings
