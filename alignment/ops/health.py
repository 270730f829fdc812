"""How the parts around the web process are doing: /healthz, and why a queued job is late (the notice on its
status).

/healthz answers 200 while the database and the broker answer, 503 when either does not. Anyone may ask, and
learns only that: {"status": "ok"} or {"status": "down"}. Staff, and a monitor that sends the configured token
(SVERKA_HEALTH_TOKEN, as "Authorization: Bearer ..."), also get each part's state and the workers that answered a
ping (none is "degraded", still 200: the site works, jobs wait; null when the broker cannot be asked): host names
and error classes are for operators, not for whoever finds the URL.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from alignment.models import JobStatus
from config.celery import app as celery_app

log = logging.getLogger(__name__)

# Seconds. A ping waits its whole timeout for answers, so its result is kept for a while.
PING_TIMEOUT = 1.0
WORKERS_CACHE_SECONDS = 15
BROKER_CACHE_SECONDS = 5


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any driver error means "not ok"; say which
        return f"error: {exc.__class__.__name__}"


def _broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def broker_status() -> str:
    """The broker check, remembered for a few seconds: job status fragments poll every second, and /healthz may
    be polled by anyone, so neither opens a broker connection per request."""
    status = cache.get("sverka:health:broker")
    if status is None:
        status = _broker()
        cache.set("sverka:health:broker", status, BROKER_CACHE_SECONDS)
    return status


def _workers() -> list[str] | None:
    """The names of the workers that answered a ping, or None if they cannot be asked: the broker is down, or
    cannot broadcast (the embedded SQLite broker of `make run`)."""
    names = cache.get("sverka:health:workers")
    if names is None:
        try:
            if not _can_broadcast():
                return None
            replies = celery_app.control.ping(timeout=PING_TIMEOUT) or []
        except Exception as exc:
            log.warning("could not ping the workers: %s", exc)
            return None
        names = sorted(name for reply in replies for name in reply)
        cache.set("sverka:health:workers", names, WORKERS_CACHE_SECONDS)
    return names


def _can_broadcast() -> bool:
    with celery_app.connection_for_write() as conn:
        return "fanout" in conn.transport.implements.exchange_type


@never_cache
def healthz(request):
    checks = {"database": _database(), "broker": broker_status()}
    up = all(v == "ok" for v in checks.values())
    if not _may_see_detail(request):
        if not up:
            log.warning("health check: down", extra={"checks": checks})
        return JsonResponse({"status": "ok" if up else "down"}, status=200 if up else 503)
    workers = _workers() if checks["broker"] == "ok" else None
    status = "down" if not up else "degraded" if workers == [] else "ok"
    if status != "ok":
        log.warning("health check: %s", status, extra={"checks": checks, "workers": workers})
    return JsonResponse({"status": status, **checks, "workers": workers}, status=200 if up else 503)


def _may_see_detail(request) -> bool:
    """The configured token (which works while the database, and so every login, is down), or a staff login."""
    token = settings.SVERKA_HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    try:
        return request.user.is_staff
    except DatabaseError:  # the session or the user could not be read
        return False


def delay_reason(job) -> str:
    """Why a queued job is late, in words for its page; "" while it is not."""
    if job is None or job.status != JobStatus.QUEUED:
        return ""
    if broker_status() != "ok":
        return "the task queue cannot be reached. The story is saved and will be processed when it is back."
    waited = (timezone.now() - (job.heartbeat or job.created)).total_seconds()
    if job.enqueued and waited > settings.SVERKA_JOB_DELAYED_SECONDS:
        return f"no worker has started it for {round(waited / 60) or 1} min. It stays in the queue."
    return ""
