from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Bind shared tasks to our Celery app in every Django process (web, shell, tests). Done here rather
        # than in alignment/__init__.py so that the pure pipeline package imports without Django.
        from alignment import celery  # noqa: F401
        from alignment import checks  # noqa: F401  (registers the system checks)
