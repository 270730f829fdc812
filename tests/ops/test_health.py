from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import timezone

from alignment.models import Job, JobStatus
from alignment.ops import health
from alignment.ops.middleware import DatabaseUnavailableMiddleware
from tests.conftest import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty(empty_cache):
    """Each test starts and ends with an empty cache (see tests/conftest.py)."""


@pytest.fixture
def operator(client, staff):
    """A staff login: it sees each part's state and the workers."""
    client.force_login(staff)
    return client


@pytest.fixture
def broadcasting(monkeypatch):
    """A broker that can reach every worker, as Redis can (the tests may run on the embedded one)."""
    monkeypatch.setattr(health, "_can_broadcast", lambda: True)


@pytest.fixture
def broker_down():
    from config.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app._pool = None
    yield
    app.conf.broker_url = saved
    app._pool = None


def test_healthz_reports_the_database_the_broker_and_the_workers(operator, monkeypatch, broadcasting):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [{"w1@host": {"ok": "pong"}}])
    response = operator.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "workers": ["w1@host"]}


def test_healthz_is_degraded_but_200_when_no_worker_answers(operator, monkeypatch, broadcasting):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])
    response = operator.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["workers"] == []


def test_the_worker_ping_is_remembered_for_a_while(operator, monkeypatch, broadcasting):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    pings = []
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: pings.append(timeout) or [])
    operator.get("/healthz")
    operator.get("/healthz")
    assert pings == [health.PING_TIMEOUT]


def test_healthz_is_503_and_names_the_failing_part_when_the_broker_is_down(operator, broker_down):
    response = operator.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["database"] == "ok" and body["broker"].startswith("error")
    assert body["workers"] is None


def test_healthz_is_503_when_the_database_is_down(operator, monkeypatch):
    monkeypatch.setattr(health, "_database", lambda: "error: OperationalError")
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])
    response = operator.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_an_anonymous_caller_learns_only_that_it_is_up(client, monkeypatch, broadcasting):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [{"w1@secret-host": {"ok": "pong"}}])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])  # no worker: still just up
    health.cache.clear()
    assert client.get("/healthz").json() == {"status": "ok"}


def test_an_anonymous_caller_learns_only_that_it_is_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down"}


def test_a_user_who_is_not_staff_is_told_no_more_than_anyone(client, owner, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    client.force_login(owner)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_monitor_with_the_configured_token_sees_the_detail(client, monkeypatch, settings, broadcasting):
    settings.SVERKA_HEALTH_TOKEN = "monitor-token-1234"
    monkeypatch.setattr(health, "_database", lambda: "error: OperationalError")
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])
    response = client.get("/healthz", headers={"Authorization": "Bearer monitor-token-1234"})
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "error: OperationalError", "broker": "ok", "workers": []}
    for wrong in ("Bearer monitor-token-123", "Token monitor-token-1234", "Bearer "):
        assert client.get("/healthz", headers={"Authorization": wrong}).json() == {"status": "down"}


def test_without_a_configured_token_no_token_opens_the_detail(client, monkeypatch, settings):
    settings.SVERKA_HEALTH_TOKEN = ""
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    assert client.get("/healthz", headers={"Authorization": "Bearer "}).json() == {"status": "ok"}


def test_the_broker_is_not_asked_on_every_call(client, monkeypatch):
    asked = []
    monkeypatch.setattr(health, "_broker", lambda: asked.append(1) or "ok")
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert asked == [1]


def test_a_database_error_in_a_view_is_a_503_page_without_a_traceback():
    request = RequestFactory().get("/stories/")
    request.resolver_match = None
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(
        request, OperationalError('connection to server at "127.0.0.1" failed: Connection refused')
    )
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "temporarily unavailable" in html and "Connection refused" not in html and "Traceback" not in html


def test_other_errors_are_left_to_django():
    request = RequestFactory().get("/stories/")
    assert DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, KeyError("x")) is None


def test_a_queued_job_says_processing_is_delayed_while_the_broker_is_down(client, owner, no_broker, broker_down):
    story = make_story(owner, process=False)
    client.force_login(owner)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Processing is delayed: the task queue cannot be reached." in html


def test_a_job_no_worker_took_for_long_says_it_is_delayed(client, owner, no_broker, settings):
    story = make_story(owner, process=False)
    sent = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_DELAYED_SECONDS + 60)
    Job.objects.filter(story=story).update(enqueued=True, heartbeat=sent)
    client.force_login(owner)
    assert "Processing is delayed: no worker has started it for 2 min." in client.get("/stories/").content.decode()
    Job.objects.filter(story=story).update(heartbeat=timezone.now())
    assert "Processing is delayed" not in client.get("/stories/").content.decode()
    Job.objects.filter(story=story).update(status=JobStatus.RUNNING, heartbeat=sent)
    assert "Processing is delayed" not in client.get("/stories/").content.decode()


def test_workers_are_unknown_on_a_broker_that_cannot_broadcast(operator, monkeypatch, tmp_path):
    from config.celery import app

    monkeypatch.setattr(app.conf, "broker_url", f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}")
    app._pool = None
    try:
        response = operator.get("/healthz")
    finally:
        app._pool = None
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["workers"] is None
