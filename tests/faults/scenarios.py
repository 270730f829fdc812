"""Faults caused for real, each with what must hold afterwards: a worker killed mid-job, Redis stopped and
started again, an upload while the broker is down, PostgreSQL restarted under gunicorn, a job over its time
limit.

Each scenario takes a ``Site`` (a scratch folder, the database this process shares with the worker processes,
the owner of the stories) and returns an ``Outcome``: the checks it made, each passed or not. The tests in this
folder assert that every check passed; benchmarks/reliability.py prints them as a table. Waiting is bounded by
generous deadlines only; no check depends on how fast this machine is.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.processes import (
    ROOT, Gunicorn, OwnPostgres, OwnRedis, Unavailable, Worker, app_env, log_tail, wait_until,
)

FAULT_APP = "tests.faults.worker_app"
# Short enough for a test, long enough that a live job's heartbeat never looks stale.
FAST_RECOVERY = {"SVERKA_JOB_HEARTBEAT_SECONDS": 1, "SVERKA_JOB_STALE_SECONDS": 4, "SVERKA_SWEEP_SECONDS": 1,
                 "SVERKA_JOB_RESEND_SECONDS": 4}
# The deadline for anything a worker does once it can: processing the sample story takes seconds.
DEADLINE = 90


@dataclass
class Site:
    folder: Path
    database_url: str  # this process's database, as the worker processes reach it
    owner: object


@dataclass
class Outcome:
    fault: str
    checks: list[tuple[str, bool]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""  # a figure worth printing: how long recovery took

    def check(self, what: str, ok: object) -> bool:
        self.checks.append((what, bool(ok)))
        return bool(ok)

    @property
    def survived(self) -> bool:
        return bool(self.checks) and all(ok for _, ok in self.checks)

    def report(self) -> str:
        lines = [f"{self.fault}:"] + [f"  {'ok  ' if ok else 'FAIL'} {what}" for what, ok in self.checks]
        if not self.survived:
            lines += [f"--- {path.name}\n{log_tail(path)}" for path in self.logs]
        return "\n".join(lines)


def run(scenario: Callable[[Site, Outcome], None], site: Site, fault: str) -> Outcome:
    """Run one scenario; a deadline missed or an error becomes a failed check, with the logs kept."""
    outcome = Outcome(fault)
    start = time.monotonic()
    try:
        scenario(site, outcome)
    except Unavailable:
        raise
    except Exception as exc:
        outcome.check(f"ran to the end ({exc.__class__.__name__}: {exc})", False)
        outcome.logs.append(_write_traceback(site.folder))
    outcome.seconds = time.monotonic() - start
    return outcome


def _write_traceback(folder: Path) -> Path:
    path = folder / f"traceback-{uuid.uuid4().hex[:6]}.txt"
    path.write_text(traceback.format_exc())
    return path


# ---------------------------------------------------------------------------------------------------- helpers


@contextmanager
def sending_to(broker: str, queue: str) -> Iterator[None]:
    """Point this process's Celery app (what the views and stories enqueue with) at ``broker`` and ``queue``."""
    from django.core.cache import cache

    from config.celery import app

    from django.conf import settings
    from kombu import Exchange, Queue

    saved = (app.conf.broker_url, app.conf.task_default_queue)

    def switch(url, name):
        app.conf.broker_url, app.conf.task_default_queue = url, name
        # A big story goes to the big queue of the workers' own (settings.SVERKA_BIG_QUEUE in theirs).
        settings.SVERKA_BIG_QUEUE = f"{name}-big"
        app.conf.task_queues = [Queue(q, Exchange(q), routing_key=q) for q in (name, f"{name}-big")]
        app.amqp.queues = app.amqp.Queues(app.conf.task_queues)
        # The app caches its pools on first use; health caches the broker's state.
        app._pool = None
        app.amqp._producer_pool = None
        cache.clear()

    switch(broker, queue)
    try:
        yield
    finally:
        switch(*saved)


def new_queue() -> str:
    return f"sverka-fault-{uuid.uuid4().hex[:8]}"


def upload(site: Site, title: str, texts: tuple[str, str] | None = None):
    """A story of the sample texts (or ``texts``, English and Russian), created as the upload view does: its job
    is sent once it commits."""
    from alignment import samples, stories

    if texts is None:
        sample = samples.sample_story()
        texts = sample.en, sample.ru
    return stories.create_story(site.owner, title, stories.SideInput(texts[0]), stories.SideInput(texts[1]))


def web_client(site: Site):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(site.owner)
    return client


def job_row(job_id: int):
    from alignment.models import Job

    return Job.objects.get(pk=job_id)


def wait_for_job(job_id: int, statuses: set[str], timeout: float = DEADLINE, worker: Worker | None = None):
    def reached():
        job = job_row(job_id)
        if worker and worker.proc.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.proc.returncode}")
        return job if job.status in statuses else None

    return wait_until(reached, timeout, f"job {job_id} to become {' or '.join(sorted(statuses))}", interval=0.2)


def result_rows(story) -> tuple[int, int, int]:
    """(pairs, sentences, divergences) saved for the story."""
    from alignment.models import Divergence, Pair, Sentence

    return (Pair.objects.filter(story=story).count(), Sentence.objects.filter(document__story=story).count(),
            Divergence.objects.filter(pair__story=story).count())


def results_are_whole(story) -> bool:
    """Every sentence of both sides saved once, each in a pair, pairs numbered without a gap, as the stats say."""
    from alignment.models import Sentence

    story.refresh_from_db()
    sentences = Sentence.objects.filter(document__story=story)
    orders = list(story.pairs.order_by("order").values_list("order", flat=True))
    return (
        bool(orders) and orders == list(range(len(orders)))
        and sentences.filter(language="en").count() == story.stats.get("en_sentences")
        and sentences.filter(language="ru").count() == story.stats.get("ru_sentences")
        and not sentences.filter(pair=None).exists()
    )


def held_pid(marker: Path, worker: Worker) -> int:
    def written():
        if worker.proc.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.proc.returncode}")
        return marker.exists() and marker.read_text()

    return int(wait_until(written, DEADLINE, f"the job to reach the fault ({marker.name})"))


# ---------------------------------------------------------------------------------------------------- scenarios


def worker_killed_mid_save(site: Site, outcome: Outcome) -> None:
    """SIGKILL to the pool process while its transaction holds every result row, unsaved: Celery gives the
    message back (acks_late, reject_on_worker_lost), the job runs again, and the rows are all or nothing."""
    from alignment.models import JobStatus

    queue, marker = new_queue(), site.folder / "held-in-save"
    with OwnRedis(site.folder) as redis, sending_to(redis.url, queue):
        worker = Worker(site.folder, site.database_url, redis.url, queue, app=FAULT_APP,
                        SVERKA_FAULT_HOLD_IN_SAVE=marker, **FAST_RECOVERY)
        outcome.logs.append(worker.log)
        try:
            story = upload(site, "Killed while saving")
            job = story.jobs.get()
            pid = held_pid(marker, worker)
            outcome.check("while the save is held, none of its rows is visible", result_rows(story) == (0, 0, 0))
            os.kill(pid, signal.SIGKILL)
            killed = time.monotonic()
            outcome.check("after SIGKILL, no half-written pairs, sentences or divergences remain",
                          result_rows(story) == (0, 0, 0))
            job = wait_for_job(job.pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            outcome.note = f"done {time.monotonic() - killed:.1f} s after the kill"
            outcome.check("the job was picked up again and finished", job.status == JobStatus.DONE)
            outcome.check("on its second attempt", job.attempts == 2)
            outcome.check("its results are whole", results_are_whole(story))
        finally:
            worker.stop()


def worker_lost(site: Site, outcome: Outcome, max_attempts: int = 3) -> None:
    """SIGKILL to a whole worker (main process and pool) mid-job, as when its machine dies: its message stays
    unacknowledged, so the job's silence tells. Another worker's sweeper queues the job again once its
    heartbeat is stale, or fails it with a reason once it has used ``max_attempts``."""
    from alignment.models import JobStatus

    queue, marker = new_queue(), site.folder / "held-in-embed-lost"
    with OwnRedis(site.folder) as redis, sending_to(redis.url, queue):
        first = Worker(site.folder, site.database_url, redis.url, queue, app=FAULT_APP,
                       SVERKA_FAULT_HOLD_IN_EMBED=marker, SVERKA_JOB_MAX_ATTEMPTS=max_attempts, **FAST_RECOVERY)
        outcome.logs.append(first.log)
        second = None
        try:
            story = upload(site, "Worker lost")
            job = story.jobs.get()
            held_pid(marker, first)
            beat = job_row(job.pk).heartbeat
            outcome.check("a job held inside one stage still writes its heartbeat",
                          wait_until(lambda: job_row(job.pk).heartbeat > beat, 10, "a heartbeat"))
            first.kill_all()
            killed = time.monotonic()
            second = Worker(site.folder, site.database_url, redis.url, queue, beat=True,
                            SVERKA_JOB_MAX_ATTEMPTS=max_attempts, **FAST_RECOVERY)
            outcome.logs.append(second.log)
            stale = FAST_RECOVERY["SVERKA_JOB_STALE_SECONDS"]
            job = wait_for_job(job.pk, {JobStatus.DONE, JobStatus.FAILED}, stale + DEADLINE, worker=second)
            outcome.note = f"{job.status} {time.monotonic() - killed:.1f} s after the kill (stale limit {stale} s)"
            if max_attempts > 1:
                outcome.check("the sweeper queued it again and it finished", job.status == JobStatus.DONE)
                outcome.check("on its second attempt", job.attempts == 2)
                outcome.check("its results are whole", results_are_whole(story))
            else:
                outcome.check("with its attempts used, it failed", job.status == JobStatus.FAILED)
                outcome.check("saying why and what to do", "stopped responding during embed" in job.error
                              and "Retry" in job.error)
                outcome.check("leaving no results", result_rows(story) == (0, 0, 0))
        finally:
            if second:
                second.stop()
            if first.proc.poll() is None:
                first.stop()


def worker_lost_on_defaults(site: Site, outcome: Outcome, broker: str = "redis",
                            texts: tuple[str, str] | None = None) -> None:
    """SIGKILL to a whole worker mid-job, with the default heartbeat and stale limits and no sweeper running, and
    a new worker started on the same host, as after a crash or a laptop's reboot: the new worker takes the job
    back as it starts, since the process that held it is gone, without waiting for its heartbeat to go stale.
    On the embedded broker the message went with the dead worker; on Redis it stays unacknowledged for an hour:
    either way the job is sent again."""
    from alignment.models import JobStatus

    queue, marker = new_queue(), site.folder / f"held-in-embed-{broker}"
    with ExitStack() as stack:
        if broker == "redis":
            url = stack.enter_context(OwnRedis(site.folder)).url
        else:
            url = f"sqla+sqlite:///{site.folder / 'broker.sqlite3'}"
        stack.enter_context(sending_to(url, queue))
        first = Worker(site.folder, site.database_url, url, queue, app=FAULT_APP, SVERKA_FAULT_HOLD_IN_EMBED=marker)
        stack.callback(lambda: first.proc.poll() is None and first.stop())
        outcome.logs.append(first.log)
        story = upload(site, f"Worker lost on {broker}", texts)
        job = story.jobs.get()
        held_pid(marker, first)
        first.kill_all()
        second = Worker(site.folder, site.database_url, url, queue)
        stack.callback(second.stop)
        outcome.logs.append(second.log)
        ready = wait_until(lambda: " ready." in second.log.read_text(errors="replace") and time.time(),
                           DEADLINE, "the new worker to start")
        job = wait_for_job(job.pk, {JobStatus.DONE, JobStatus.FAILED}, DEADLINE, worker=second)
        outcome.note = (f"taken back {max(0.0, job.started.timestamp() - ready):.1f} s, {job.status} "
                        f"{job.finished.timestamp() - ready:.1f} s after the new worker was ready")
        outcome.check("the new worker took the job back as it started",
                      f"took back lost jobs at start-up: [{job.pk}]" in second.log.read_text(errors="replace"))
        outcome.check("and it finished, on its second attempt", job.status == JobStatus.DONE and job.attempts == 2)
        outcome.check("its results are whole", results_are_whole(story))


def redis_restarted(site: Site, outcome: Outcome) -> None:
    """Redis stops while one job runs and another waits in its queue, and comes back empty. The running job
    finishes (it needs only the database), the pages keep working and say processing is delayed, and the
    sweeper sends the lost job again once Redis is back."""
    from alignment.models import JobStatus

    queue, marker = new_queue(), site.folder / "held-in-embed-redis"
    redis = OwnRedis(site.folder).start()
    with sending_to(redis.url, queue):
        worker = Worker(site.folder, site.database_url, redis.url, queue, app=FAULT_APP, beat=True,
                        SVERKA_FAULT_HOLD_IN_EMBED=marker, SVERKA_FAULT_HOLD_SECONDS=6, **FAST_RECOVERY)
        outcome.logs += [worker.log, redis.log]
        try:
            running, waiting = upload(site, "Running when Redis stops"), upload(site, "Queued when Redis stops")
            held_pid(marker, worker)
            outcome.check("one job runs while the other waits in Redis",
                          job_row(waiting.jobs.get().pk).status == JobStatus.QUEUED)
            redis.stop()
            stopped = time.monotonic()
            pages_keep_working(site, outcome, [running, waiting], "Processing is delayed: the task queue cannot be "
                                                                  "reached.", waiting)
            job = wait_for_job(running.jobs.get().pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            outcome.check("the running job finished while Redis was down", job.status == JobStatus.DONE)
            redis.start()
            job = wait_for_job(waiting.jobs.get().pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            outcome.note = f"the lost job done {time.monotonic() - stopped:.1f} s after Redis stopped"
            outcome.check("the job lost with Redis's queue was sent again and finished",
                          job.status == JobStatus.DONE and results_are_whole(waiting))
            outcome.check("its page no longer says it is delayed",
                          "Processing is delayed" not in page_text(site, waiting))
        finally:
            worker.stop()
            redis.stop()


def upload_while_broker_down(site: Site, outcome: Outcome) -> None:
    """An upload through the web form while Redis is down: the story is saved, its page says processing is
    delayed, and once Redis is up the sweeper sends the job and a worker (waiting for the broker) runs it."""
    from alignment.models import JobStatus, Story

    queue = new_queue()
    redis = OwnRedis(site.folder)  # not started yet: the broker is down
    with sending_to(redis.url, queue):
        worker = Worker(site.folder, site.database_url, redis.url, queue, beat=True, **FAST_RECOVERY)
        outcome.logs += [worker.log, redis.log]
        try:
            from alignment import samples

            sample = samples.sample_story()
            response = web_client(site).post("/stories/new/", {
                "title": "Uploaded while the broker is down", "en_text": sample.en, "ru_text": sample.ru,
            })
            story = Story.objects.filter(owner=site.owner, title="Uploaded while the broker is down").first()
            outcome.check("the upload answers with the story page",
                          response.status_code == 302 and story and response.url == story.get_absolute_url())
            job = story.jobs.get()
            outcome.check("the story and both its versions are saved, its job queued but not sent",
                          story.documents.count() == 2 and job.status == JobStatus.QUEUED and not job.enqueued)
            pages_keep_working(site, outcome, [story], "Waiting for the queue: processing is delayed", story)
            redis.start()
            started = time.monotonic()
            job = wait_for_job(job.pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            outcome.note = f"done {time.monotonic() - started:.1f} s after Redis started"
            outcome.check("once the broker is back the sweeper sent it and it finished",
                          job.status == JobStatus.DONE and job.enqueued and results_are_whole(story))
        finally:
            worker.stop()
            redis.stop()


def pages_keep_working(site: Site, outcome: Outcome, stories: list, notice: str, delayed) -> None:
    from django.core.cache import cache

    cache.clear()  # the broker's state is remembered for a few seconds
    client = web_client(site)
    codes = [client.get(url).status_code for url in ["/stories/", *(s.get_absolute_url() for s in stories)]]
    outcome.check("with the broker down, the story list and story pages answer 200", set(codes) == {200})
    outcome.check(f"the waiting story's page says so: {notice!r}", notice in page_text(site, delayed))


def page_text(site: Site, story) -> str:
    return web_client(site).get(story.get_absolute_url()).content.decode()


def job_over_time_limit(site: Site, outcome: Outcome) -> None:
    """A job held past SVERKA_JOB_SOFT_TIME_LIMIT is stopped and failed with the reason; Retry on its page
    queues a new job, which the same worker runs to the end."""
    from alignment.models import JobStatus

    queue, marker, limit = new_queue(), site.folder / "held-in-embed-limit", 10
    with OwnRedis(site.folder) as redis, sending_to(redis.url, queue):
        worker = Worker(site.folder, site.database_url, redis.url, queue, app=FAULT_APP,
                        SVERKA_FAULT_HOLD_IN_EMBED=marker, SVERKA_JOB_SOFT_TIME_LIMIT=limit)
        outcome.logs.append(worker.log)
        try:
            story = upload(site, "Over its time limit")
            job = wait_for_job(story.jobs.get().pk, {JobStatus.DONE, JobStatus.FAILED}, limit + DEADLINE, worker)
            outcome.note = f"failed {(job.finished - job.started).total_seconds():.1f} s after it started (limit {limit} s)"
            outcome.check("the job over its limit was stopped and failed", job.status == JobStatus.FAILED)
            outcome.check("saying why and what to do", f"longer than the limit of {limit} seconds" in job.error
                          and "Retry" in job.error)
            outcome.check("its page shows the reason and a Retry button",
                          job.error.split(".")[0] in page_text(site, story) and ">Retry</button>" in page_text(site, story))
            outcome.check("the worker kept running", worker.proc.poll() is None)
            response = web_client(site).post(f"/stories/{story.code}/retry/")
            retry = story.latest_job()
            outcome.check("Retry queued a new job", response.status_code == 302 and retry.pk != job.pk)
            retry = wait_for_job(retry.pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            outcome.check("which ran to the end", retry.status == JobStatus.DONE and results_are_whole(story))
        finally:
            worker.stop()


def postgres_restarted(site: Site, outcome: Outcome) -> None:
    """PostgreSQL stops under a running gunicorn and starts again: meanwhile every page is a 503 (the API's
    JSON, /healthz names the database), never a traceback; afterwards every request succeeds, from the same
    gunicorn processes (persistent connections checked before reuse: CONN_HEALTH_CHECKS)."""
    import httpx

    pg = OwnPostgres()
    web = None
    try:
        pg.init()
        outcome.logs.append(pg.log)
        env = app_env(site.folder, pg.create_database("sverka"), DEBUG="false",
                      SECRET_KEY="fault-scenario-" + "k" * 40, SVERKA_HTTPS="false", SVERKA_DB_CONNECT_TIMEOUT=2,
                      SVERKA_HEALTH_TOKEN="fault-health-token",
                      CELERY_BROKER_URL=f"sqla+sqlite:///{site.folder / 'broker.sqlite3'}")
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*manage, "createsuperuser", "--no-input", "--username", "ops", "--email", "ops@example.org"],
                       env={**env, "DJANGO_SUPERUSER_PASSWORD": "ops-password-123"}, cwd=ROOT, check=True,
                       capture_output=True)
        web = Gunicorn(site.folder, env)
        outcome.logs.append(web.log)
        # A new connection per request, so that both gunicorn workers serve some.
        http = httpx.Client(base_url=web.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
        login = http.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        http.post("/accounts/login/", data={"username": "ops", "password": "ops-password-123",
                                            "csrfmiddlewaretoken": token})
        workers = web.worker_pids()
        outcome.check("before: pages answer 200", {http.get("/stories/").status_code for _ in range(6)} == {200})

        pg.stop()
        down = [http.get("/stories/") for _ in range(6)]
        outcome.check("while PostgreSQL is down: every page is a 503", {r.status_code for r in down} == {503})
        outcome.check("with the short page, not a traceback",
                      all("temporarily unavailable" in r.text and "Traceback" not in r.text for r in down))
        api = http.get("/api/stories/")
        outcome.check("the API answers 503 with JSON", api.status_code == 503 and "error" in api.json())
        # With the database down no login can be read: the monitor's token shows the detail.
        health = http.get("/healthz", headers={"Authorization": "Bearer fault-health-token"})
        outcome.check("/healthz answers 503 naming the database",
                      health.status_code == 503 and health.json()["database"].startswith("error"))

        pg.start()
        after = [http.get("/stories/").status_code for _ in range(12)]
        outcome.note = f"{len(down)}/{len(down)} answered 503 while down, {after.count(200)}/{len(after)} 200 after"
        outcome.check("after the restart: every request succeeds at once", set(after) == {200})
        outcome.check("/healthz is 200 again", http.get("/healthz").status_code == 200)
        outcome.check("from the same gunicorn processes, never restarted",
                      web.proc.poll() is None and web.worker_pids() == workers)
    finally:
        if web:
            web.stop()
        pg.remove()


SCENARIOS: list[tuple[str, Callable[[Site, Outcome], None]]] = [
    ("worker SIGKILLed while saving results", worker_killed_mid_save),
    ("whole worker SIGKILLed mid-job (another worker recovers it)", worker_lost),
    ("whole worker SIGKILLed mid-job, attempts used up", lambda site, outcome: worker_lost(site, outcome, 1)),
    ("whole worker SIGKILLed mid-job, new worker on defaults (embedded broker)",
     lambda site, outcome: worker_lost_on_defaults(site, outcome, "embedded")),
    ("whole worker SIGKILLed mid-job, new worker on defaults (Redis)",
     lambda site, outcome: worker_lost_on_defaults(site, outcome, "redis")),
    ("Redis stopped mid-job and restarted empty", redis_restarted),
    ("upload while the broker is down", upload_while_broker_down),
    ("PostgreSQL restarted under gunicorn", postgres_restarted),
    ("job over its time limit, then Retry", job_over_time_limit),
]
