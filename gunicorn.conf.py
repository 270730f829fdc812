"""gunicorn's settings for Sverka, read from the current folder by `gunicorn config.wsgi` (Procfile, docker).

Threads, not only processes: a request spends much of its time waiting on the database, and a thread is far
lighter than a process on a small machine. benchmarks/load.py measured these defaults on 2 cores.
"""

import gc
import os

# $PORT, as every Procfile runner and platform sets it; on this machine only unless SVERKA_HOST says otherwise.
bind = f"{os.environ.get('SVERKA_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
# A request that takes longer than this is stuck (the database caps connecting at SVERKA_DB_CONNECT_TIMEOUT).
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then so that a slow leak never grows without bound. Not often: a new worker loads the
# app again (a second of CPU) and starts with an empty cache of rendered rows, and at 100 requests a second 2000
# requests came round every 40 seconds.
max_requests = 20000
max_requests_jitter = 2000


def post_worker_init(worker):
    """The app is loaded, and with it the URLconf, which the first request would import: their objects live as long
    as the worker, so the garbage collector is told to leave them be. A full collection then scans little more than
    what requests made: it held every thread of the worker for 75 ms of CPU (benchmarks/load.py on 2 cores; far
    longer in wall time on a busy machine), 15-30 ms with the app's objects set aside."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
    gc.freeze()


# Logs on stderr, one JSON object per line like the app's (SVERKA_LOG_FORMAT=text for plain lines).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "alignment.ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("SVERKA_LOG_FORMAT", "json"),
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# No control socket: several gunicorns on one machine (tests, benchmarks) would share its one default path.
control_socket_disable = True
