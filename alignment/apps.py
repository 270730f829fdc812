from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import pre_delete

        from alignment import audit
        from alignment import checks  # noqa: F401  (registers the system checks)

        # A user's stories go with the user: each deletion is recorded like any other.
        pre_delete.connect(audit.stories_of_deleted_user, sender=settings.AUTH_USER_MODEL,
                           dispatch_uid="sverka-audit-user-stories")
