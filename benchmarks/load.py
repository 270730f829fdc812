"""Load: readers of the alignment view and uploaders of new stories at once, against a real gunicorn and a
real Celery worker, with a fixed number of requests.

    python -m benchmarks.load [--readers 50] [--reads 40] [--think 0.25] [--uploaders 5] [--uploads 2]
                              [--pairs 200] [--workers 2] [--threads 4] [--database postgres|sqlite]

Each reader is one logged-in session that asks, in turn, for the story page, the divergent-only fragment and the
second page of rows (htmx fragments), waiting ``--think`` seconds between requests, as a person reading does.
Meanwhile each uploader posts ``--uploads`` stories through the upload form, and one worker processes them.
Everything runs in a throwaway folder on its own ports: a PostgreSQL cluster (or SQLite) and a Redis server of
its own, so it never touches your data. Run it from the project root (see benchmarks/web.py for why).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .report import print_table
from .servers import ROOT, own_servers

TARGETS = "target for the alignment view: 0 errors, >= 100 req/s and p95 <= 250 ms while uploads are processed"


@dataclass
class Timings:
    """Latencies in seconds of one kind of request, and its errors (non-2xx/3xx answers or exceptions)."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str = "") -> None:
        with self.lock:
            self.seconds.append(seconds)
            if error:
                self.errors.append(error)

    def row(self, name: str, wall: float) -> list[object]:
        ms = sorted(s * 1000 for s in self.seconds)
        q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        return [name, len(ms), len(self.errors), len(ms) / wall, q[49], q[94], q[98]]


class Session:
    """One keep-alive HTTP connection with a logged-in session cookie (and the CSRF cookie once it is set)."""

    def __init__(self, port: int, cookie: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie
        self.answered = None  # when the last answer came: the connection has been idle since

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        """(seconds, status, error or "", the body of a GET or the Location of anything else). A GET on a
        connection that sat idle past the server's keep-alive, which closed it, is sent again on a new one, as a
        browser does; nothing else is retried."""
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1", **(headers or {})}
        idle = self.answered is not None and time.perf_counter() - self.answered > 1.0
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.answered = None
            closed = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
            if idle and method == "GET" and isinstance(exc, closed):
                return self.request(method, path, body, headers)
            return time.perf_counter() - start, 0, f"{exc.__class__.__name__}: {exc}", ""
        elapsed = time.perf_counter() - start
        self.answered = time.perf_counter()
        if csrf := re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or ""):
            self.cookie = f"{self.cookie.split('; csrftoken=')[0]}; csrftoken={csrf.group(1)}"
        error = "" if response.status < 400 else f"HTTP {response.status} for {path}"
        return elapsed, response.status, error, text if method == "GET" else response.getheader("Location", "")


def prepare(folder: Path, database: str, pairs: int, sessions: int):
    """Start the servers, migrate, and build the story to read and the logged-in sessions. Returns the
    processes to stop, the environment of app processes, the story's code and the session cookies."""
    servers = own_servers(folder, database, redis=True)
    stop, database = servers.stops, servers.database
    from tests.faults.processes import app_env

    env = app_env(folder, servers.database_url, DEBUG="false", SECRET_KEY="load-benchmark-" + "k" * 40,
                  SVERKA_HTTPS="false", CELERY_BROKER_URL=servers.redis_url, SVERKA_QUEUE="sverka-load",
                  LOG_LEVEL="WARNING")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SVERKA_VAR_DIR", "DEBUG", "SECRET_KEY", "SVERKA_HTTPS",
                                            "CELERY_BROKER_URL", "SVERKA_QUEUE", "SVERKA_TRANSLATE", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from .web import make_big_story

    owner = get_user_model().objects.create_user("reader", password="load-password-1")
    story = make_big_story(owner, pairs)
    cookies = []
    for _ in range(sessions):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return stop, env, story.code, cookies, database


def read(session: Session, code, reads: int, think: float, timings: dict[str, Timings]) -> None:
    kinds = [
        ("story page", f"/stories/{code}/", {}),
        ("divergent-only fragment", f"/stories/{code}/pairs/?filter=divergent", {"HX-Request": "true"}),
        ("second page fragment", f"/stories/{code}/pairs/?page=2", {"HX-Request": "true"}),
    ]
    for k in range(reads):
        name, path, headers = kinds[k % len(kinds)]
        elapsed, _, error, _ = session.request("GET", path, headers=headers)
        timings[name].add(elapsed, error)
        time.sleep(think)


def upload(session: Session, count: int, pause: float, timings: Timings, codes: list[str]) -> None:
    from urllib.parse import urlencode

    from alignment import samples

    sample = samples.sample_story()
    for k in range(count):
        time.sleep(pause)
        _, _, error, form = session.request("GET", "/stories/new/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if error or not token:
            timings.add(0.0, error or "no CSRF token on the upload form")
            continue
        body = urlencode({"csrfmiddlewaretoken": token.group(1), "title": f"Load upload {k}",
                          "en_text": sample.en, "ru_text": sample.ru})
        elapsed, status, error, location = session.request(
            "POST", "/stories/new/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        timings.add(elapsed, error or ("" if status == 302 else f"HTTP {status} from the upload"))
        if match := re.search(r"/stories/([0-9a-f-]{36})/", location):
            codes.append(match.group(1))


def finished_jobs(codes: list[str], timeout: float) -> list:
    """The uploaded stories' jobs, once all have finished (or at the deadline)."""
    from alignment.models import Job, JobStatus

    deadline = time.monotonic() + timeout
    jobs = []
    while time.monotonic() < deadline:
        jobs = list(Job.objects.filter(story__code__in=codes))
        if jobs and all(j.status in (JobStatus.DONE, JobStatus.FAILED) for j in jobs):
            break
        time.sleep(0.5)
    return jobs


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--reads", type=int, default=40, help="requests per reader")
    parser.add_argument("--think", type=float, default=0.25, help="seconds a reader waits between requests")
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--uploads", type=int, default=2, help="stories per uploader")
    parser.add_argument("--pairs", type=int, default=200, help="pairs in the story the readers read")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sverka-load-") as tmp:
        folder = Path(tmp)
        stop, env, code, cookies, database = prepare(folder, args.database, args.pairs,
                                                     args.readers + args.uploaders)
        from tests.faults.processes import Gunicorn, Worker

        web = worker = None
        try:
            web = Gunicorn(folder, env, workers=args.workers, threads=args.threads)
            worker = Worker(folder, env["DATABASE_URL"], env["CELERY_BROKER_URL"], "sverka-load",
                            LOG_LEVEL="WARNING")
            sessions = [Session(web.port, cookie) for cookie in cookies]
            warm(sessions, code, worker)
            timings = {name: Timings() for name in ("story page", "divergent-only fragment",
                                                     "second page fragment")}
            uploads, codes = Timings(), []
            readers = [threading.Thread(target=read, args=(s, code, args.reads, args.think, timings))
                       for s in sessions[:args.readers]]
            # Uploads spread over the readers' expected run, so that the worker is busy while they read.
            expected = args.reads * args.think
            pause = expected / (args.uploads + 1)
            uploaders = [threading.Thread(target=upload, args=(s, args.uploads, pause, uploads, codes))
                         for s in sessions[args.readers:]]
            load_before = os.getloadavg()[0]
            start = time.perf_counter()
            for thread in readers + uploaders:
                thread.start()
            for thread in readers:
                thread.join()
            wall = time.perf_counter() - start
            for thread in uploaders:
                thread.join()
            jobs = finished_jobs(codes, timeout=300)
            report(args, database, timings, uploads, wall, jobs, load_before)
        finally:
            for process in (worker, web):
                if process:
                    process.stop()
            for stop_one in reversed(stop):
                stop_one()


def warm(sessions: list[Session], code, worker) -> None:
    """Every session's first request (its connection) and a first job, so the worker has its model loaded."""
    for s in sessions:
        _, _, error, _ = s.request("GET", "/stories/new/")
        if error:
            raise RuntimeError(f"warming up: {error}")
    from alignment import samples, stories
    from alignment.models import Job, JobStatus, Story

    sample = samples.sample_story()
    owner = Story.objects.get(code=code).owner
    job = stories.create_story(owner, "Warm-up", stories.SideInput(sample.en), stories.SideInput(sample.ru)).jobs.get()
    deadline = time.monotonic() + 300
    while Job.objects.get(pk=job.pk).status not in (JobStatus.DONE, JobStatus.FAILED):
        if time.monotonic() > deadline or worker.proc.poll() is not None:
            raise RuntimeError(f"the worker did not finish the warm-up job:\n{worker.tail()}")
        time.sleep(0.2)


def report(args, database, timings, uploads, wall, jobs, load_before) -> None:
    reads = Timings()
    for t in timings.values():
        reads.seconds += t.seconds
        reads.errors += t.errors
    rows = [t.row(name, wall) for name, t in timings.items()] + [reads.row("all alignment views", wall)]
    rows.append(uploads.row("upload (form POST)", wall))
    met = not reads.errors and rows[-2][3] >= 100 and rows[-2][5] <= 250
    print_table(
        f"Load: {args.readers} readers x {args.reads} requests ({args.think}s think time), {args.uploaders} "
        f"uploaders x {args.uploads} stories, a {args.pairs}-pair story; gunicorn {args.workers} workers x "
        f"{args.threads} threads, {database}, Redis, 1 Celery worker; {os.cpu_count()} cores, load average "
        f"{load_before:.1f} before",
        ["requests", "count", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"], rows,
        [TARGETS + f": {'met' if met else 'NOT met'}"]
        + [f"  error: {e}" for e in sorted(set(reads.errors + uploads.errors))[:5]],
    )
    done = [j for j in jobs if j.started and j.finished]
    waits = [(j.started - j.created).total_seconds() for j in done]
    work = [(j.finished - j.started).total_seconds() for j in done]
    total = [(j.finished - j.created).total_seconds() for j in done]
    stat_rows = [[name, len(v), statistics.median(v) if v else None, max(v) if v else None]
                 for name, v in (("waited in the queue", waits), ("processing", work), ("upload to done", total))]
    print_table(
        f"Uploaded stories while the readers read: {len(done)} of {len(jobs)} done "
        f"({sum(j.status == 'failed' for j in jobs)} failed)",
        ["seconds", "stories", "median", "max"], stat_rows,
        ["one worker process takes one job at a time: a story waits for the ones uploaded before it"],
    )


if __name__ == "__main__":
    main()
