"""The app started as production starts it, with every optional integration on: error reporting (SENTRY_DSN),
PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), DEBUG off, a real SECRET_KEY. An upgrade that breaks one of
them at start-up (sentry-sdk 3.0's `init` refused an option settings.py passed) fails here, in CI, instead of
in production.

Each test starts real processes: `manage.py` and gunicorn. Without a PostgreSQL server or Redis they skip, and
on CI (CI=true), which must provide both, they fail.
"""

import gc
import json
import os
import runpy
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import ROOT
from tests.faults.processes import Gunicorn, Unavailable, app_env, log_tail
from tests.needs import missing
from tests.worker_process import redis_broker

# The discard port of this machine: nothing listens there, so nothing the client sends leaves the machine.
SENTRY_DSN = "http://public@127.0.0.1:9/1"
HEALTH_TOKEN = "integrations-" + secrets.token_hex(8)


def postgres_server() -> str:
    """The PostgreSQL server of DATABASE_URL (or this machine's) as a URL of its maintenance database, if it
    answers; otherwise skip the test, or fail it on CI, which must provide PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432"
    server = urlsplit(url)._replace(path="/postgres").geturl()
    try:
        psycopg.connect(server, connect_timeout=2).close()
    except psycopg.OperationalError as exc:
        missing(f"PostgreSQL is not reachable at {server} ({exc})")
    return server


@pytest.fixture(scope="module")
def database():
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    server = postgres_server()
    name = f"sverka_integrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(server)._replace(path=f"/{name}").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def production(database, tmp_path):
    """The environment of a production process with every integration on, as docker/compose.yaml sets it
    (plain HTTP on the machine: SVERKA_HTTPS=false)."""
    env = app_env(
        tmp_path, database, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
        SVERKA_HTTPS="false", SENTRY_DSN=SENTRY_DSN, REDIS_URL=redis_broker(), SVERKA_HEALTH_TOKEN=HEALTH_TOKEN,
    )
    for name in ("CELERY_BROKER_URL", "SVERKA_QUEUE", "SENTRY_ENVIRONMENT", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def manage(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_deploy_checks_pass_with_every_integration_on(production):
    done = manage(production, "check", "--deploy")
    assert done.returncode == 0, done.stderr


def test_error_reporting_is_really_on(production):
    code = "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active(), c.options['dsn'], " \
           "c.options['environment'])"
    done = manage(production, "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["True", SENTRY_DSN, "production"], done.stdout + done.stderr


def test_gunicorn_serves_the_health_check_from_postgresql_and_redis(production, tmp_path):
    try:
        web = Gunicorn(tmp_path, production, workers=1, threads=2)
    except Unavailable as exc:  # here it is the app that did not start, not a missing server: a failure
        pytest.fail(str(exc))
    request = urllib.request.Request(f"{web.url}/healthz", headers={"Authorization": f"Bearer {HEALTH_TOKEN}"})
    try:
        # No proxy: the request goes to this machine's gunicorn whatever the environment says.
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30) as response:
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:  # a 503 says which part is down
        status, body = exc.code, exc.read().decode(errors="replace")
    except OSError as exc:  # no answer at all: a worker that could not load the app (its log below)
        status, body = None, repr(exc)
    finally:
        web.stop()
    assert status == 200, f"{status} {body}\n{log_tail(web.log)}"
    assert (body["database"], body["broker"]) == ("ok", "ok"), body


def test_a_gunicorn_worker_sets_the_loaded_app_aside_from_the_garbage_collector():
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
