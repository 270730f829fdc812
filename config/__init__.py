# The Celery app loads with the settings, so shared tasks bind to it in every Django process (web, shell, tests).
from .celery import app as celery_app

__all__ = ("celery_app",)
