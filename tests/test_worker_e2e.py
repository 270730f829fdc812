"""A real `celery worker` process picks up an uploaded story and processes it to the end."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from alignment import services
from alignment.celery import app as celery_app
from alignment.models import JobStatus
from tests.conftest import ROOT, dev_story

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def broker(request, tmp_path):
    if request.param == "redis":
        if not redis_available():
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must provide it")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        return REDIS_URL
    return f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"


@pytest.fixture
def worker(broker, tmp_path):
    """Start a worker on its own queue; point this process's Celery app at the same broker and queue."""
    queue = f"sverka-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "SVERKA_QUEUE": queue,
        "SVERKA_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "alignment.celery", "worker", "--loglevel", "INFO",
             "--concurrency", "1", "--pool", "prefork", "-n", f"{queue}@%h",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    saved = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    celery_app.conf.broker_url, celery_app.conf.task_default_queue = broker, queue
    reset_connections()
    try:
        yield proc, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        celery_app.conf.broker_url, celery_app.conf.task_default_queue = saved
        reset_connections()


def reset_connections():
    # The app caches its connection and producer pools on first use: drop them so the new broker is used.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(job, timeout: float, proc, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"job ended as {job.status!r} ({job.stage}); worker log:\n{log.read_text()[-4000:]}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["redis", "embedded"], indirect=True)
def test_a_real_worker_processes_an_uploaded_story_to_the_end(owner, worker, broker):
    proc, log = worker
    en, ru, gold = dev_story("abcnews.306755")
    story = services.create_story(
        owner, "Warren", services.SideInput("\n\n".join(en)), services.SideInput("\n\n".join(ru))
    )
    job = story.jobs.get()
    job = wait_for(job, 180, proc, log)
    assert job.status == JobStatus.DONE, job.error
    assert job.enqueued and job.attempts == 1 and job.progress == 1.0
    pairs = list(story.pairs.prefetch_related("sentences"))
    assert [[[s.index for s in p.sentences.all() if s.language == lang] for lang in ("en", "ru")] for p in pairs] == gold
