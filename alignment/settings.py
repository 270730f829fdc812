"""One settings file, driven by the environment. With nothing set: SQLite and a serverless broker."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

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
DEBUG = env_bool("DEBUG", True)
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
    "rest_framework.authtoken",
    "alignment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "alignment.urls"
WSGI_APPLICATION = "alignment.wsgi.application"

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

    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
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
SVERKA_JOB_MAX_ATTEMPTS = env_int("SVERKA_JOB_MAX_ATTEMPTS", 3)
SVERKA_JOB_SOFT_TIME_LIMIT = env_int("SVERKA_JOB_SOFT_TIME_LIMIT", 600)  # seconds per attempt
# A running job whose worker has been silent this long lost its worker: the sweeper re-queues it.
SVERKA_JOB_STALE_SECONDS = env_int("SVERKA_JOB_STALE_SECONDS", SVERKA_JOB_SOFT_TIME_LIMIT + 120)
SVERKA_SWEEP_SECONDS = env_int("SVERKA_SWEEP_SECONDS", 60)
SVERKA_RETRY_BACKOFF = env_int("SVERKA_RETRY_BACKOFF", 5)  # seconds, doubled per retry

# Celery. With REDIS_URL unset the broker is a SQLite file: no server needed on a laptop.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
CELERY_TASK_DEFAULT_QUEUE = env_str("SVERKA_QUEUE", "sverka")
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the Job row
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-jobs": {"task": "alignment.tasks.sweep_stuck_jobs", "schedule": float(SVERKA_SWEEP_SECONDS)},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

ADMIN_PATH = env_str("SVERKA_ADMIN_PATH", "admin/").strip("/") + "/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # ?format= names an export format (tmx, tsv, ...), not DRF content negotiation.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": None,
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "stories"
LOGOUT_REDIRECT_URL = "login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
