"""One settings file, driven by the environment. With nothing set: SQLite and a serverless broker."""
# Longer than 400 lines because every setting the environment drives is here, each next to its reason, in one file
# an operator reads from the top; splitting it would scatter them.

import os
import re
from pathlib import Path

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


DEV_SECRET_KEY = "sverka-development-key-do-not-use-in-production"
# Off unless asked for: `make run` (and the test run) say DEBUG=true; a server that says nothing runs as production.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development key is refused when DEBUG is off.")
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "axes",  # locks out a username, or an address, after repeated failed logins
    "alignment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A body larger than any view takes is refused (413) before a byte of it is read.
    "alignment.ops.middleware.RequestSizeLimitMiddleware",
    # A database that is down (or restarting) answers 503 with a short page, not a traceback.
    "alignment.ops.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alignment.ops.middleware.UploadRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the login page saying so (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR = Path(env_str("SVERKA_VAR_DIR", str(BASE_DIR / "var")))

_database_url = env_str("DATABASE_URL")
if _database_url:
    import dj_database_url

    # Connections persist between requests and are checked before a request reuses one (on PostgreSQL, one idle for a
    # second or more: alignment/ops/postgres), so the web process outlives a database restart: the requests during it
    # get a 503, the first one after it a new connection.
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("SVERKA_DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "alignment.ops.postgres"
        # A server that does not answer fails the request in seconds instead of holding a web worker.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("SVERKA_DB_CONNECT_TIMEOUT", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "sverka.sqlite3",
            # The web process and the worker share the file: wait for a lock instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so that a real worker process in the tests can share it; one per test
            # run, so that two runs at once do not trample each other.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Served by WhiteNoise, so gunicorn alone is enough. Without collectstatic (a laptop), from the source folders.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The embedder every alignment uses unless a caller names another: "use-m3" or
# "sentence-transformers:<name-or-path>".
# Mail, for password resets: printed to the log unless a real backend is set (SMTP: SVERKA_EMAIL_BACKEND=
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).
EMAIL_BACKEND = env_str("SVERKA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sverka@localhost")

SVERKA_EMBEDDER = env_str("SVERKA_EMBEDDER", "use-m3")

# Argos Translate packages (en→ru, ru→en), installed with `manage.py install_models`. Without both, Sverka aligns
# by multilingual embeddings alone (system check sverka.W001).
SVERKA_ARGOS_DIR = Path(env_str("SVERKA_ARGOS_DIR", str(VAR_DIR / "argos")))
# Models saved for offline use by `manage.py install_models --sentence-transformers NAME`.
SVERKA_MODELS_DIR = Path(env_str("SVERKA_MODELS_DIR", str(VAR_DIR / "models")))
# CTranslate2 batches run in parallel (inter_threads), one thread each: on 2 shared cores two one-thread workers
# beat one two-thread worker (benchmarks/translation.py). Greedy search (beam 1) keeps a story under 5 s.
SVERKA_TRANSLATE_THREADS = env_int("SVERKA_TRANSLATE_THREADS", 2)
SVERKA_TRANSLATE_BEAM_SIZE = env_int("SVERKA_TRANSLATE_BEAM_SIZE", 1)
if SVERKA_TRANSLATE_THREADS < 1 or SVERKA_TRANSLATE_BEAM_SIZE < 1:
    raise ImproperlyConfigured("SVERKA_TRANSLATE_THREADS and SVERKA_TRANSLATE_BEAM_SIZE must be at least 1.")
# Translate every sentence when both directions are installed; set to 0 to align by embeddings alone.
SVERKA_TRANSLATE = env_bool("SVERKA_TRANSLATE", True)
# The sentence-transformers model that compares a sentence with the translation of its counterpart, in one
# language ("sentence-transformers:<name-or-path>"); empty: the aligner uses the cross-lingual similarity alone.
SVERKA_MONO_EMBEDDER = env_str("SVERKA_MONO_EMBEDDER", "")
SVERKA_MAX_SENTENCES = env_int("SVERKA_MAX_SENTENCES", 5_000)  # per side
SVERKA_MAX_UPLOAD_BYTES = env_int("SVERKA_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)  # per side
# A file's text is sent back in the form after an error; in UTF-8 Russian takes two bytes a character.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * SVERKA_MAX_UPLOAD_BYTES + 64 * 1024
# Files stream to disk, and no more of each is kept than the per-side limit (alignment/ops/limits.py).
FILE_UPLOAD_HANDLERS = ["alignment.ops.limits.CappedUploadHandler"]
# A batch import's file (a zip of story pairs, or a manifest): under the request limit below.
SVERKA_BATCH_MAX_UPLOAD_BYTES = env_int("SVERKA_BATCH_MAX_UPLOAD_BYTES", 10 * SVERKA_MAX_UPLOAD_BYTES)
# The largest body any view takes is the API's: two sides in JSON, where a character may take six bytes (\uXXXX).
# A larger one is refused (413) by its Content-Length, before it is read (alignment/middleware.py).
SVERKA_MAX_REQUEST_BYTES = 12 * SVERKA_MAX_UPLOAD_BYTES + 128 * 1024
# A batch import (a zip of file pairs, or a manifest's rows and the files it names): at most this many files, and
# this many bytes unpacked, as the zip's directory declares them and as they are read.
SVERKA_BATCH_MAX_FILES = env_int("SVERKA_BATCH_MAX_FILES", 2 * 1_000)  # two files a pair
SVERKA_BATCH_MAX_BYTES = env_int("SVERKA_BATCH_MAX_BYTES", 200 * 1024 * 1024)
if SVERKA_BATCH_MAX_FILES < 2 or SVERKA_BATCH_MAX_BYTES < 1:
    raise ImproperlyConfigured("SVERKA_BATCH_MAX_FILES must be at least 2 and SVERKA_BATCH_MAX_BYTES at least 1.")
# An uploaded file kept for a form that came back with errors (alignment.models.uploads) is deleted after this.
SVERKA_PENDING_FILE_HOURS = env_int("SVERKA_PENDING_FILE_HOURS", 24)
# Pages fetched from an address (a batch import's URLs): only http and https, only public addresses unless this
# says otherwise (the tests serve pages from 127.0.0.1), within time and size limits (alignment/ingest/fetch.py).
SVERKA_FETCH_ALLOW_PRIVATE = env_bool("SVERKA_FETCH_ALLOW_PRIVATE", False)
SVERKA_FETCH_TIMEOUT = env_int("SVERKA_FETCH_TIMEOUT", 10)  # seconds to connect, and for each read
SVERKA_FETCH_TOTAL_SECONDS = env_int("SVERKA_FETCH_TOTAL_SECONDS", 30)  # the whole fetch, redirects included
# A page carries its site around the article: scripts, styles, menus. Four times what an upload may be.
SVERKA_FETCH_MAX_BYTES = env_int("SVERKA_FETCH_MAX_BYTES", 4 * SVERKA_MAX_UPLOAD_BYTES)
SVERKA_FETCH_MAX_REDIRECTS = env_int("SVERKA_FETCH_MAX_REDIRECTS", 5)
if min(SVERKA_FETCH_TIMEOUT, SVERKA_FETCH_TOTAL_SECONDS, SVERKA_FETCH_MAX_BYTES) < 1 or SVERKA_FETCH_MAX_REDIRECTS < 0:
    raise ImproperlyConfigured(
        "SVERKA_FETCH_TIMEOUT, SVERKA_FETCH_TOTAL_SECONDS and SVERKA_FETCH_MAX_BYTES must be at least 1, and "
        "SVERKA_FETCH_MAX_REDIRECTS 0 or more."
    )
# New stories per account per hour, from the page and the API together; 0 for no limit.
SVERKA_UPLOADS_PER_HOUR = env_int("SVERKA_UPLOADS_PER_HOUR", 60)
SVERKA_JOB_MAX_ATTEMPTS = env_int("SVERKA_JOB_MAX_ATTEMPTS", 3)
SVERKA_JOB_SOFT_TIME_LIMIT = env_int("SVERKA_JOB_SOFT_TIME_LIMIT", 600)  # seconds per attempt
# A running job whose worker has been silent this long lost its worker: the sweeper queues it again. A worker that
# is only slow (its database unreachable for that long) loses nothing by it: its run's claim lapses and what it
# saves is thrown away (alignment.jobs.take). A worker process known to be gone (same host) is not waited for.
SVERKA_JOB_STALE_SECONDS = env_int("SVERKA_JOB_STALE_SECONDS", 30)
SVERKA_SWEEP_SECONDS = env_int("SVERKA_SWEEP_SECONDS", 15)
# A running job writes its heartbeat this often, even inside a long stage, so a short stale limit is safe.
SVERKA_JOB_HEARTBEAT_SECONDS = env_int("SVERKA_JOB_HEARTBEAT_SECONDS", 5)
# A queued job that no worker has taken this long after it was sent is sent again (a broker restarted without
# its data loses its messages). Longer than a job may take: a job waiting behind a long one is not lost.
SVERKA_JOB_RESEND_SECONDS = env_int("SVERKA_JOB_RESEND_SECONDS", SVERKA_JOB_SOFT_TIME_LIMIT + 120)
# How much lower a worker process's scheduling priority is than the web's (its nice value, 0-19): on a machine that
# serves pages too, a job takes the CPU the pages leave, and the pages stay quick while stories are processed.
SVERKA_WORKER_NICE = env_int("SVERKA_WORKER_NICE", 10)
if not 0 <= SVERKA_WORKER_NICE <= 19:
    raise ImproperlyConfigured(f"SVERKA_WORKER_NICE must be from 0 to 19, not {SVERKA_WORKER_NICE}.")
# A queued job no worker has started this long after it was sent says "delayed" on its page.
SVERKA_JOB_DELAYED_SECONDS = env_int("SVERKA_JOB_DELAYED_SECONDS", 60)
if SVERKA_JOB_STALE_SECONDS <= 2 * SVERKA_JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("SVERKA_JOB_STALE_SECONDS must be more than twice SVERKA_JOB_HEARTBEAT_SECONDS.")
SVERKA_RETRY_BACKOFF = env_int("SVERKA_RETRY_BACKOFF", 5)  # seconds, doubled per retry

# Celery. With REDIS_URL unset the broker is a SQLite file: no server needed on a laptop.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
CELERY_TASK_DEFAULT_QUEUE = env_str("SVERKA_QUEUE", "sverka")
# Stories longer than this (both sides, in characters: about 1,500 sentences) go to a queue of their own, which
# every worker also takes from, in turn with the other: a batch of huge stories never holds the small ones back.
SVERKA_BIG_QUEUE = env_str("SVERKA_BIG_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-big")
SVERKA_BIG_STORY_CHARS = env_int("SVERKA_BIG_STORY_CHARS", 200_000)
# A line is a collection's furniture when it recurs in this many of its stories, and in this share of them at least.
SVERKA_FURNITURE_MIN_STORIES = env_int("SVERKA_FURNITURE_MIN_STORIES", 3)
SVERKA_FURNITURE_MIN_SHARE = float(os.environ.get("SVERKA_FURNITURE_MIN_SHARE", "0.05"))
SVERKA_FURNITURE_LEARN_SECONDS = env_int("SVERKA_FURNITURE_LEARN_SECONDS", 20)  # after a story is done
# Each queue on an exchange and routing key of its own: bound to the default exchange, a queue would also get a
# copy of every message sent to the other.
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE,
                                                                                SVERKA_BIG_QUEUE)]
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the Job row
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits out a broker outage of any length instead of exiting after 100 attempts.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Sending a task fails within seconds when the broker is down; the job stays queued for the sweeper.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-jobs": {"task": "alignment.tasks.sweep_stuck_jobs", "schedule": float(SVERKA_SWEEP_SECONDS)},
    "sweep-fetches": {"task": "alignment.corpus.tasks.sweep_fetches", "schedule": float(SVERKA_SWEEP_SECONDS) * 4},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Caches. "pages": the story page's rendered rows and review state (alignment/web/cache.py), keyed by the story's
# version so never stale; in each process's memory (at most 100 entries of up to a few hundred KB), or in Redis, shared
# by all processes, when REDIS_URL is set. A Redis that is down or slow costs the story page a second or two at most: it
# is rendered as if nothing were cached. "limits": the rate limits' counters (alignment/ops/counters.py), atomic in
# either place: in Redis, shared by every web process, when REDIS_URL is set; else in the web process's memory, shared
# by its threads but not with gunicorn's other processes (WEB_CONCURRENCY), so that without Redis an account may send
# up to that many times the hourly limit. While Redis is down nothing is counted. "default" (the health checks) stays
# in memory, so that it still answers while Redis, the broker, is down.
_REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": dict(_REDIS_CACHE) if REDIS_URL else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    "limits": dict(_REDIS_CACHE) if REDIS_URL else {
        # Sixty counters per account an hour: room for a few thousand accounts at once.
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits",
        "OPTIONS": {"MAX_ENTRIES": 300_000},
    },
}

# Sent by a monitor as "Authorization: Bearer <token>", it shows /healthz's detail (each part, the workers), as a
# staff login does; without it /healthz says only up or down. Empty: staff only.
SVERKA_HEALTH_TOKEN = env_str("SVERKA_HEALTH_TOKEN")

ADMIN_PATH = (env_str("SVERKA_ADMIN_PATH") or "admin/").strip("/") + "/"
if ADMIN_PATH == "/" or not re.fullmatch(r"[\w/-]+", ADMIN_PATH):
    raise ImproperlyConfigured(f"SVERKA_ADMIN_PATH must be a path such as staff-only/, not {ADMIN_PATH!r}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alignment.api.auth.ApiTokenAuthentication",  # "Authorization: Token <key>", stored as a hash
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # ?format= names an export format (tmx, tsv, ...), not DRF content negotiation.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": None,
    # New stories per account per hour (SVERKA_UPLOADS_PER_HOUR), counted with the upload page's: 429 past it.
    "DEFAULT_THROTTLE_CLASSES": ["alignment.ops.limits.UploadThrottle"],
    # Errors answer {"detail": "..."} in words: an exception's own text goes to the log, never to the caller.
    "EXCEPTION_HANDLER": "alignment.api.errors.exception_handler",
}

# An API token (manage.py api_token USER) works this many days from when it was made; --reset makes a new one.
SVERKA_TOKEN_DAYS = env_int("SVERKA_TOKEN_DAYS", 90)
if SVERKA_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("SVERKA_TOKEN_DAYS must be at least 1.")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "stories"
LOGOUT_REDIRECT_URL = "login"

# --- Security ------------------------------------------------------------------------------------------------
# Served over HTTPS (SVERKA_HTTPS=true): plain HTTP is redirected, browsers are told to use HTTPS only (HSTS), and
# the cookies travel over HTTPS only. On by default in production (DEBUG off), off in development; a plain-HTTP
# production set-up (docker compose on one machine) says SVERKA_HTTPS=false, and `manage.py check --deploy` lists
# what that leaves off.
SVERKA_HTTPS = env_bool("SVERKA_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = SVERKA_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks ask from inside the network, over HTTP
SECURE_HSTS_SECONDS = env_int("SVERKA_HSTS_SECONDS", 365 * 24 * 3600) if SVERKA_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # both sent only while SECURE_HSTS_SECONDS is set
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SVERKA_HTTPS
# Behind a proxy that ends TLS, HTTPS is what the proxy says it was. Only for a proxy that sets this header itself,
# overwriting whatever a client sent.
if env_bool("SVERKA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies stand in front of the app, each adding the address it was called from to X-Forwarded-For: the
# client is the SVERKA_PROXY_COUNT-th address from the right. 0 (no proxy): the address that called, and a client's
# own X-Forwarded-For is ignored. One more than the real number lets clients choose their address; one fewer makes
# every client the outermost proxy. (alignment/ops/clients.py; the login lock-outs are per address.)
SVERKA_PROXY_COUNT = env_int("SVERKA_PROXY_COUNT", 0)
if SVERKA_PROXY_COUNT < 0:
    raise ImproperlyConfigured("SVERKA_PROXY_COUNT must be 0 or more.")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: pages carry the token (hx-headers on <body>)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): scripts and styles come from our static files. No inline script anywhere
# (tests/test_security_csp.py), and htmx runs without eval or injected styles (base.html). The one inline style
# block, the printable report's, carries the request's nonce, which is then added to style-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: after SVERKA_LOGIN_FAILURES failed logins with one username (from any address), or from one address
# (with any usernames), that username or that address is locked out for SVERKA_LOGIN_LOCKOUT_MINUTES, counted again
# from each further try: one address cannot try a few passwords on every account, nor many addresses many passwords on
# one. `manage.py axes_reset_username NAME` and `manage.py axes_reset_ip ADDRESS` lift a lock sooner. The address is
# the client's as SVERKA_PROXY_COUNT finds it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SVERKA_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("SVERKA_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= 0:  # django-axes reads no cool-off as a lock for good
    raise ImproperlyConfigured("SVERKA_LOGIN_FAILURES and SVERKA_LOGIN_LOCKOUT_MINUTES must be at least 1.")
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one past the limit locks
AXES_CLIENT_IP_CALLABLE = "alignment.ops.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "alignment.ops.middleware.login_locked_out"
AXES_VERBOSE = False  # no banner on every start; failed logins and lock-outs are still logged
AXES_ENABLE_ADMIN = False  # the attempts are not the admin's business: the command above lifts a lock-out

# One line per event on stderr: JSON (the default) or plain text (SVERKA_LOG_FORMAT=text), with the story and job
# ids on every line logged while a job runs (alignment/logging.py). The worker and gunicorn log the same way.
SVERKA_LOG_FORMAT = env_str("SVERKA_LOG_FORMAT", "json")
if SVERKA_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"SVERKA_LOG_FORMAT must be json or text, not {SVERKA_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"job_context": {"()": "alignment.ops.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "alignment.ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": SVERKA_LOG_FORMAT, "filters": ["job_context"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Errors (in views and in tasks) go to Sentry when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
    )  # personal data stays out: sentry-sdk 2 defaults send_default_pii to False, and 3 refuses the option
