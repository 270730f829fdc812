"""A read-only link to a story, made by its owner for someone without an account (alignment.sharing makes, finds
and revokes them). The address carries the link's code, signed; the row says what the link shows, until when, and
whether its owner took it back."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from alignment.models.stories import Divergence, Story


class ShareScope(models.TextChoices):
    # Whatever is confirmed when the link is opened: a divergence dismissed later drops out of it.
    CONFIRMED = "confirmed", "The confirmed divergences"
    CHOSEN = "chosen", "The divergences I choose"


class ShareLinkQuerySet(models.QuerySet):
    def working(self, now=None) -> ShareLinkQuerySet:
        """The links that open: not revoked, not expired, and their owner's account still active."""
        return self.filter(revoked__isnull=True, expires__gt=now or timezone.now(), story__owner__is_active=True)


class ShareLink(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="share_links")
    scope = models.CharField(max_length=10, choices=ShareScope.choices, default=ShareScope.CONFIRMED)
    # With CHOSEN: the divergences it shows. A correction or a new run that finds a pair's divergences again makes
    # new rows, so a chosen one it replaced drops out: the link then shows less, never more.
    divergences = models.ManyToManyField(Divergence, blank=True, related_name="+")
    # Whether the reviewer's notes and categories show too; user names never do.
    notes = models.BooleanField(default=False)
    label = models.CharField(max_length=100, blank=True)  # for its owner's list only: "for the desk editor"
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    # Counted here for the owner's list; each opening is also in the audit log.
    opens = models.PositiveIntegerField(default=0, editable=False)
    last_opened = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "shared link"

    def __str__(self):
        return f"{self.label or self.get_scope_display()} ({self.story})"

    @property
    def state(self) -> str:
        """"revoked", "expired" or "working", as its owner's list says it."""
        if self.revoked is not None:
            return "revoked"
        return "expired" if self.expires <= timezone.now() else "working"
