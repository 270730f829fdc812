import pytest

from alignment import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_broker(client, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_and_names_the_failing_part_when_the_broker_is_down(client, settings):
    from alignment.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app._pool = None
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = saved
        app._pool = None
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error")
