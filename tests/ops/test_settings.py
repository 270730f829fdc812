"""Settings come from the environment; a bad value stops the start with a clear message."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL.split(':')[0], settings.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SVERKA_VAR_DIR": "/tmp/sverka-settings", **env},
    )


def test_with_nothing_set_it_is_production_and_refuses_the_development_secret_key():
    out = load_settings()
    assert out.returncode != 0
    assert "Set SECRET_KEY: the development key is refused when DEBUG is off." in out.stderr


def test_in_development_it_uses_sqlite_and_a_serverless_broker():
    out = load_settings(DEBUG="true")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["django.db.backends.sqlite3", "sqla+sqlite", "True"]


def test_with_the_variables_set_it_uses_postgresql_and_redis():
    out = load_settings(DEBUG="true", DATABASE_URL="postgres://u@db:5432/sverka", REDIS_URL="redis://redis:6379/0")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["alignment.ops.postgres", "redis", "True"]


def test_production_mode_refuses_the_development_secret_key():
    out = load_settings(DEBUG="false")
    assert out.returncode != 0
    assert "Set SECRET_KEY: the development key is refused when DEBUG is off." in out.stderr


def test_production_mode_is_the_default_and_starts_with_a_real_secret_key():
    out = load_settings(SECRET_KEY="s" * 50)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "False"


def test_a_malformed_boolean_or_number_is_named():
    assert "DEBUG must be true or false, not 'maybe'" in load_settings(DEBUG="maybe").stderr
    assert "SVERKA_MAX_SENTENCES must be a whole number, not 'lots'" in load_settings(DEBUG="true", SVERKA_MAX_SENTENCES="lots").stderr


def test_a_worker_priority_out_of_range_is_named():
    out = load_settings(DEBUG="true", SVERKA_WORKER_NICE="25")
    assert out.returncode != 0
    assert "SVERKA_WORKER_NICE must be from 0 to 19, not 25." in out.stderr


def test_a_negative_proxy_count_is_named():
    out = load_settings(DEBUG="true", SVERKA_PROXY_COUNT="-1")
    assert out.returncode != 0
    assert "SVERKA_PROXY_COUNT must be 0 or more." in out.stderr


def test_with_redis_the_rate_limits_count_there_and_without_it_in_memory():
    def limits_backend(**env):
        code = "from django.conf import settings; print(settings.CACHES['limits']['BACKEND'].rsplit('.', 1)[-1])"
        clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SVERKA_VAR_DIR": "/tmp/sverka-settings",
                 "DEBUG": "true", **env},
        ).stdout.strip()

    assert limits_backend() == "LocMemCache"
    assert limits_backend(REDIS_URL="redis://redis:6379/0") == "RedisCache"


def test_password_reset_mail_goes_to_the_log_until_a_mail_server_is_set(client, owner):
    # Django's test runner swaps in its own mail backend, so the default is read from a fresh process.
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("SVERKA_EMAIL_BACKEND", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "django.core.mail.backends.console.EmailBackend", out.stderr
    owner.email = "owner@example.org"
    owner.save()
    response = client.post("/accounts/password_reset/", {"email": "owner@example.org"})
    assert response.status_code == 302  # sent, not a server error
