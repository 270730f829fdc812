"""A real `celery worker` process for the tests that need jobs to finish: test_worker_e2e.py and the browser tests.

The worker is another process, so it sees only committed rows: the tests that use it need transactional database
access, and on SQLite a test database in a file (settings.py gives it one).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from alignment.models import JobStatus
from tests.conftest import ROOT
from tests.needs import need

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def database_url() -> str:
    """The test database (not the configured one) as a DATABASE_URL for the worker."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def redis_available(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_broker() -> str:
    """REDIS_URL if it answers; otherwise skip the test, or fail it on CI, which must provide Redis."""
    need(redis_available(), f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def embedded_broker(folder: Path) -> str:
    return f"sqla+sqlite:///{folder / 'broker.sqlite3'}"


@contextmanager
def running_worker(broker: str, folder: Path):
    """Start a worker on its own queue; point this process's Celery app at the same broker and queue, so that
    whatever this process enqueues (a view in the live server thread too) reaches that worker.
    Yields the process and its log file."""
    queue = f"sverka-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "SVERKA_QUEUE": queue,
        "SVERKA_VAR_DIR": str(folder),
        "PYTHONPATH": str(ROOT),
    }
    log = folder / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery", "worker", "--loglevel", "INFO",
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
        # To the main process only: its warm shutdown stops the pool child, which a signal of its own would kill
        # abruptly (and the pool would then wait on it). The group is killed only if it does not stop.
        proc.send_signal(signal.SIGTERM)
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


def worker_log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


def wait_for(job, timeout: float, proc, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"job ended as {job.status!r} ({job.stage}); worker log:\n{worker_log_tail(log)}")
