import io
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from alignment import jobs
from alignment.ops.logging import ContextFilter, JsonFormatter, job_context
from tests.conftest import ROOT, make_story


@pytest.fixture
def log_lines():
    """What the configured console handler would print, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_each_event_is_one_json_line_with_the_ids_bound_around_it(log_lines):
    log = logging.getLogger("alignment.test")
    with job_context(job=7, story=3):
        log.warning("first\nsecond line", extra={"stage": "embed"})
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("it failed")
    log.warning("outside")
    inside, failed, outside = log_lines()
    assert inside["message"] == "first\nsecond line" and inside["level"] == "WARNING"
    assert inside["job"] == 7 and inside["story"] == 3 and inside["stage"] == "embed"
    assert "ValueError: boom" in failed["exception"] and failed["job"] == 7
    assert "job" not in outside and "story" not in outside


@pytest.mark.django_db
def test_every_line_logged_while_a_job_runs_names_its_story_and_job(owner, no_broker, log_lines):
    story = make_story(owner, process=False)
    job = story.jobs.get()
    jobs.run_job(job.pk)
    lines = [line for line in log_lines() if line["logger"].startswith("alignment")]
    assert lines, "the job logged nothing"
    assert all(line["job"] == job.pk and line["story"] == story.pk for line in lines)


def test_the_settings_log_json_lines_by_default():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["job_context"]


class _Envelopes(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self):
        self.received.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _report_an_error(env: dict) -> subprocess.CompletedProcess:
    code = ("import django, sentry_sdk; django.setup(); "
            "print(sentry_sdk.get_client().is_active()); "
            "sentry_sdk.capture_exception(RuntimeError('boom')); sentry_sdk.flush(5)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_errors_go_to_sentry_only_when_sentry_dsn_is_set():
    server = HTTPServer(("127.0.0.1", 0), _Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        off = _report_an_error({"SENTRY_DSN": ""})
        assert off.stdout.strip() == "False", off.stderr
        on = _report_an_error({"SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42"})
        assert on.stdout.strip() == "True", on.stderr
    finally:
        server.shutdown()
    assert _Envelopes.received == ["/api/42/envelope/"]
