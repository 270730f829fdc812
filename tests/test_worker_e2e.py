"""A real `celery worker` process picks up an uploaded story and processes it to the end."""

import pytest

from alignment import stories
from alignment.models import JobStatus
from tests.conftest import dev_story
from tests.worker_process import embedded_broker, redis_broker, running_worker, wait_for


@pytest.fixture
def broker(request, tmp_path):
    return redis_broker() if request.param == "redis" else embedded_broker(tmp_path)


@pytest.fixture
def worker(broker, tmp_path):
    with running_worker(broker, tmp_path) as proc_and_log:
        yield proc_and_log


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["redis", "embedded"], indirect=True)
def test_a_real_worker_processes_an_uploaded_story_to_the_end(owner, worker, broker):
    proc, log = worker
    en, ru, gold = dev_story("abcnews.306755")
    story = stories.create_story(
        owner, "Warren", stories.SideInput("\n\n".join(en)), stories.SideInput("\n\n".join(ru))
    )
    job = story.jobs.get()
    job = wait_for(job, 180, proc, log)
    assert job.status == JobStatus.DONE, job.error
    assert job.enqueued and job.attempts == 1 and job.progress == 1.0
    pairs = list(story.pairs.prefetch_related("sentences"))
    assert [[[s.index for s in p.sentences.all() if s.language == lang] for lang in ("en", "ru")] for p in pairs] == gold
