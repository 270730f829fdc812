"""On CI the suite runs on the services production runs on: PostgreSQL for the database, Redis for the Celery
broker and the shared cache ("pages"; "default" stays in each process's memory by design, see config/settings.py).
A run that quietly fell back to SQLite, memory and the embedded broker (DATABASE_URL or REDIS_URL lost on the way)
would pass while testing something else; on a laptop that fallback is the default, and the check skips."""

import pytest
from django.db import connection

from tests.needs import need
from tests.worker_process import redis_available


def not_postgresql_and_redis(vendor: str, cache_backend: str, broker_url: str) -> list[str]:
    """What differs from production, each with the setting that fixes it; empty if nothing does."""
    wrong = []
    if vendor != "postgresql":
        wrong.append(f"the test database is {vendor}, not PostgreSQL (set DATABASE_URL=postgres://...)")
    if not cache_backend.endswith(".RedisCache"):
        wrong.append(f"the pages cache is {cache_backend}, not Redis (set REDIS_URL=redis://...)")
    scheme = broker_url.partition("://")[0]
    if scheme not in ("redis", "rediss"):
        wrong.append(f"the Celery broker is {scheme}://, not Redis (set REDIS_URL=redis://...)")
    return wrong


@pytest.mark.django_db
def test_on_ci_the_database_is_postgresql_and_the_cache_and_broker_are_redis(settings):
    from config.celery import app

    wrong = not_postgresql_and_redis(connection.vendor, settings.CACHES["pages"]["BACKEND"], app.conf.broker_url)
    need(not wrong, "; ".join(wrong))
    need(redis_available(app.conf.broker_url), f"Redis does not answer at {app.conf.broker_url}")


def test_it_names_each_service_that_is_not_the_production_one():
    assert not_postgresql_and_redis("sqlite", "django.core.cache.backends.locmem.LocMemCache",
                                    "sqla+sqlite:///var/broker.sqlite3") == [
        "the test database is sqlite, not PostgreSQL (set DATABASE_URL=postgres://...)",
        "the pages cache is django.core.cache.backends.locmem.LocMemCache, not Redis (set REDIS_URL=redis://...)",
        "the Celery broker is sqla+sqlite://, not Redis (set REDIS_URL=redis://...)",
    ]
    assert not_postgresql_and_redis("postgresql", "django.core.cache.backends.locmem.LocMemCache",
                                    "redis://127.0.0.1:6379/15") == [
        "the pages cache is django.core.cache.backends.locmem.LocMemCache, not Redis (set REDIS_URL=redis://...)",
    ]


def test_the_production_services_pass():
    assert not_postgresql_and_redis("postgresql", "django.core.cache.backends.redis.RedisCache",
                                    "redis://127.0.0.1:6379/15") == []
