"""The rate limits' counters hold exactly, counted from many threads at once and from separate processes (with
Redis), where a get and a set of a list let the same count be read twice.

The threads' cache is the process's memory made slow between reading a value and handing it back, as a busy
Redis or a thread switch may be: with a get and a set, many threads read the same count and all go through."""

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from django.core.cache.backends.locmem import LocMemCache

from alignment.ops.counters import RateWindow
from alignment.ops.limits import upload_wait
from tests.conftest import ROOT
from tests.worker_process import redis_broker

THREADS = 16
LIMIT = 5


class SlowLocMemCache(LocMemCache):
    """The process's memory, with a pause after each read."""

    def get(self, *args, **kwargs):
        value = super().get(*args, **kwargs)
        time.sleep(0.002)
        return value

    def get_many(self, *args, **kwargs):
        values = super().get_many(*args, **kwargs)
        time.sleep(0.002)
        return values


def at_once(count: int, action) -> list:
    """``action()`` in ``count`` threads released together; their results."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(n):
        start.wait()
        results[n] = action()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def slow_cache(settings):
    """Every cache the limits could use is one slow memory cache."""
    slow = {"BACKEND": "tests.ops.test_counters.SlowLocMemCache", "LOCATION": f"slow-{uuid.uuid4()}"}
    settings.CACHES = {**settings.CACHES, "default": slow, "limits": slow}


@pytest.fixture
def redis_cache(settings):
    url = redis_broker()  # skips without Redis (fails on CI)
    settings.CACHES = {**settings.CACHES, "limits": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
    }}
    return url


def someone():
    """A user as upload_wait sees one, new each time."""
    return SimpleNamespace(pk=uuid.uuid4().int % 10**9, date_joined=datetime.now(timezone.utc))


def test_uploads_from_many_threads_at_once_stop_exactly_at_the_limit(slow_cache, settings):
    settings.SVERKA_UPLOADS_PER_HOUR = LIMIT
    user = someone()
    waits = at_once(THREADS, lambda: upload_wait(user))
    assert waits.count(0) == LIMIT
    assert all(wait > 0 for wait in waits if wait)
    assert upload_wait(user) > 0  # and the hour stays full


def test_refusals_do_not_count(slow_cache):
    window = RateWindow("test", LIMIT, 3600)
    key = str(uuid.uuid4())
    start = 960_000.0  # the start of a minute
    assert [window.hit(key, start) for _ in range(LIMIT - 1)] == [0] * (LIMIT - 1)
    half_past = at_once(THREADS, lambda: window.hit(key, start + 1800))
    assert sorted(half_past) == [0] + [1800] * (THREADS - 1)  # room when the first minute's leave the hour
    # An hour on, the first minute's have left; of the half past's, only the one that went through is left.
    assert [window.hit(key, start + 3600) for _ in range(LIMIT)].count(0) == LIMIT - 1


def test_no_throttle_of_the_api_counts_with_drfs_get_and_set(settings):
    from django.utils.module_loading import import_string
    from rest_framework.throttling import SimpleRateThrottle

    for path in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]:
        assert not issubclass(import_string(path), SimpleRateThrottle), path


def test_many_threads_at_once_on_redis_stop_exactly_at_the_limit(redis_cache):
    window = RateWindow("test", LIMIT, 3600)
    key = str(uuid.uuid4())
    assert at_once(THREADS, lambda: window.hit(key)).count(0) == LIMIT


COUNTER = """
import os, sys, time
import django
django.setup()
from alignment.ops.counters import RateWindow
window = RateWindow("test", int(sys.argv[2]), 3600)
print("ready", flush=True)
while not os.path.exists(sys.argv[3]):
    time.sleep(0.001)
print(sum(window.hit(sys.argv[1]) == 0 for _ in range(int(sys.argv[4]))), flush=True)
"""


def test_two_processes_counting_on_redis_stop_exactly_at_the_limit(redis_cache, tmp_path):
    limit, tries = 40, 60
    key, go = str(uuid.uuid4()), tmp_path / "go"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", "REDIS_URL": redis_cache,
        "PYTHONPATH": str(ROOT), "SVERKA_VAR_DIR": str(tmp_path),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, key, str(limit), str(go), str(tries)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        go.touch()
        accepted = [int(proc.communicate(timeout=120)[0].strip()) for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    # Whether they ran side by side or one after the other, each saw the other's counts.
    assert sum(accepted) == limit
