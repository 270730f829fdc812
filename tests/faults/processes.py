"""Real processes for the fault scenarios, each on its own loopback port so that stopping it disturbs nothing
else on the machine: a Redis server, a PostgreSQL cluster, Celery workers and gunicorn.

Nothing here uses pytest: benchmarks/reliability.py starts the same processes. A process that cannot start
raises ``Unavailable`` (the tests skip on it, or fail on CI).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


class Unavailable(RuntimeError):
    """A server binary this scenario needs is not installed, or would not start."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str, interval: float = 0.1):
    """Poll ``check`` until it returns something true; raise TimeoutError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the process; SIGKILL to its whole group if it does not stop in time."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def log_tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


class OwnRedis:
    """A redis-server without persistence, like a broker that restarts empty: what it held is lost."""

    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            raise Unavailable("redis-server is not installed")
        self.folder, self.port, self.proc = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = folder / f"redis-{self.port}.log"

    def start(self) -> OwnRedis:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                 "no", "--dir", str(self.folder)],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_until(self.answers, 10, f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc:
            _stop(self.proc)
            self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise Unavailable(f"PostgreSQL's {name} is not installed")
    return path


class OwnPostgres:
    """A throwaway PostgreSQL cluster (trust auth, no fsync) in a temporary folder. As root the server runs as
    the ``postgres`` user, which PostgreSQL requires."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="sverka-pg-"))
        self.data, self.port = self.folder / "data", free_port()
        self.log = self.folder / "postgres.log"
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise Unavailable(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}\n"
                              f"{log_tail(self.log)}")

    def init(self) -> OwnPostgres:
        self._run(_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync",
                  "-E", "UTF8", "--locale", "C")
        return self.start()

    def start(self) -> OwnPostgres:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run(_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        except Unavailable:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


def app_env(folder: Path, database_url: str, **extra: object) -> dict[str, str]:
    """The environment of a Sverka process (worker, gunicorn, manage.py) on the given database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SVERKA_VAR_DIR": str(folder),
        "SVERKA_TRANSLATE": "0",  # the scenarios are about processes, not translation: keep each job short
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Worker:
    """A `celery worker` (one pool process) on its own queue. ``app`` may name the Celery app module with faults
    planted (tests/faults/worker_app.py); ``beat`` runs the sweeper's schedule inside it."""

    def __init__(self, folder: Path, database_url: str, broker: str, queue: str, app: str = "config.celery",
                 beat: bool = False, **env: object):
        self.name = f"{queue}-{uuid.uuid4().hex[:4]}"
        self.log = folder / f"worker-{self.name}.log"
        args = [sys.executable, "-m", "celery", "-A", app, "worker", "--loglevel", "INFO", "--concurrency", "1",
                "--pool", "prefork", "-n", f"{self.name}@%h", "--without-gossip", "--without-mingle"]
        if beat:
            args += ["--beat", "--schedule", str(folder / f"beat-{self.name}")]
        self.env = app_env(folder, database_url, CELERY_BROKER_URL=broker, SVERKA_QUEUE=queue, **env)
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def kill_all(self) -> None:
        """SIGKILL to the worker and every process it started, as when its machine dies."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        # To the main process only: its warm shutdown stops the pool child (see tests/worker_process.py).
        _stop(self.proc)

    def tail(self) -> str:
        return log_tail(self.log)


class Gunicorn:
    """The web app as a real gunicorn (gunicorn.conf.py at the root), on its own port."""

    def __init__(self, folder: Path, env: dict[str, str], workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{self.port}.log"
        env = {**env, "PORT": str(self.port), "WEB_CONCURRENCY": str(workers),
               "WEB_THREADS": str(threads)}
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi"], cwd=ROOT, env=env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until(self._listening, 30, f"gunicorn on port {self.port}")
        except TimeoutError:
            self.stop()
            raise Unavailable(f"gunicorn did not start:\n{log_tail(self.log)}") from None

    def _listening(self) -> bool:
        if self.proc.poll() is not None:
            raise Unavailable(f"gunicorn exited:\n{log_tail(self.log)}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def stop(self) -> None:
        _stop(self.proc)
