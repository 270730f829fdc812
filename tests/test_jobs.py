from datetime import timedelta

import pytest
from django.utils import timezone

from alignment import jobs, stories, tasks
from alignment.models import Divergence, Job, JobStatus, Pair, Sentence
from tests.conftest import dev_story, make_story

pytestmark = pytest.mark.django_db


def test_run_job_saves_sentences_pairs_and_divergences(owner, no_broker):
    en, ru, gold = dev_story("abcnews.306755")
    story = make_story(owner, en="\n\n".join(en), ru="\n\n".join(ru[:3] + ru[4:]))
    job = story.jobs.get()
    assert job.status == JobStatus.DONE and job.progress == 1.0 and job.attempts == 1
    assert job.started and job.finished and job.error == ""
    assert Sentence.objects.filter(document__story=story, language="en").count() == len(en)
    assert Sentence.objects.filter(document__story=story, language="ru").count() == len(ru) - 1
    assert not Sentence.objects.filter(document__story=story, pair=None).exists()
    cut = Pair.objects.get(story=story, sentences__language="en", sentences__index=3)
    assert list(cut.sentences.values_list("language", flat=True)) == ["en"]
    assert "only_en" in cut.kinds
    assert Divergence.objects.filter(pair=cut, kind="only_en").exists()
    assert story.stats["divergences"]["only_en"] >= 1
    assert story.embedder == "use-m3"


def test_a_rerun_replaces_the_results_instead_of_adding_to_them(done_story, no_broker):
    counts = (Pair.objects.filter(story=done_story).count(), Sentence.objects.filter(document__story=done_story).count())
    job = stories.rerun(done_story)
    jobs.run_job(job.pk)
    assert (Pair.objects.filter(story=done_story).count(), Sentence.objects.filter(document__story=done_story).count()) == counts
    assert done_story.jobs.count() == 2


def test_a_pipeline_error_fails_the_job_with_the_message(owner, no_broker):
    story = make_story(owner, en="The talks failed in Geneva on Friday evening.", ru="The talks failed in Geneva on Friday evening.")
    job = story.jobs.get()
    assert job.status == JobStatus.FAILED
    assert "The Russian text is in English" in job.error
    assert not Pair.objects.filter(story=story).exists()


def test_a_finished_job_is_not_run_again(done_story, no_broker):
    job = done_story.jobs.get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_failed_save_leaves_the_previous_results_intact(done_story, monkeypatch, no_broker):
    before = list(Pair.objects.filter(story=done_story).values_list("pk", flat=True))

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    job = stories.rerun(done_story)
    monkeypatch.setattr(Divergence.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        jobs.run_job(job.pk)
    assert list(Pair.objects.filter(story=done_story).values_list("pk", flat=True)) == before


def test_the_sweeper_requeues_a_job_whose_worker_went_silent(owner, no_broker, settings):
    story = make_story(owner, process=False)
    job = story.jobs.get()
    long_ago = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=long_ago, attempts=1, enqueued=True)
    report = jobs.sweep(tasks.enqueue)
    job.refresh_from_db()
    assert report["requeued"] == [job.pk]
    assert job.status == JobStatus.QUEUED
    assert no_broker[-1] == job.pk


def test_the_sweeper_fails_a_job_that_used_all_its_attempts(owner, no_broker, settings):
    story = make_story(owner, process=False)
    job = story.jobs.get()
    long_ago = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat=long_ago, attempts=settings.SVERKA_JOB_MAX_ATTEMPTS, stage="embed"
    )
    assert jobs.sweep(tasks.enqueue)["failed"] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped responding during embed" in job.error


def test_the_sweeper_leaves_a_job_with_a_fresh_heartbeat_alone(owner, no_broker):
    story = make_story(owner, process=False)
    Job.objects.filter(story=story).update(status=JobStatus.RUNNING, heartbeat=timezone.now(), enqueued=True)
    assert jobs.sweep(tasks.enqueue) == {"requeued": [], "failed": [], "sent": []}


def test_a_job_the_broker_never_accepted_is_sent_by_the_sweeper(owner, monkeypatch):
    attempts = []

    def broker_down(job_id):
        attempts.append(job_id)
        return False

    monkeypatch.setattr(tasks, "enqueue", broker_down)
    story = make_story(owner, process=False)
    job = story.jobs.get()
    Job.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(minutes=1))
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda job_id: sent.append(job_id) or True)
    assert jobs.sweep(tasks.enqueue)["sent"] == [job.pk]
    assert sent == [job.pk]


def test_progress_is_recorded_stage_by_stage(owner, no_broker, monkeypatch):
    seen = []
    original = jobs.ProgressReporter.__call__

    def spy(self, stage, fraction):
        original(self, stage, fraction)
        job = Job.objects.get(pk=self.job_id)
        seen.append((job.stage, job.progress))

    monkeypatch.setattr(jobs.ProgressReporter, "__call__", spy)
    make_story(owner)
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["segment", "embed", "align", "diverge", "save"]
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[-1] < 1.0
