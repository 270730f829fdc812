"""Locking a pair: a reviewer marks it right, and every later run of the story keeps it as it is and aligns
the rest around it (alignment.keeping, alignment.pipeline.align.anchors). A pair made by a correction is locked
from the start; either kind can be unlocked. Each change goes into the story's history."""

from __future__ import annotations

from django.db import transaction

from alignment.models import Edit, EditAction, Pair, Story

from .plans import ReviewError


def set_locked(story: Story, user, pair_id: int, locked: bool) -> Edit:
    """Lock or unlock one pair of the story. Raises ReviewError when it is not one of the story's pairs."""
    with transaction.atomic():
        story.lock()
        pair = Pair.objects.filter(story=story, pk=pair_id).first()
        if pair is None:
            raise ReviewError("That pair is no longer in the story: it was changed meanwhile. Reload the page.")
        if pair.locked != locked:
            pair.locked = locked
            pair.save(update_fields=["locked"])
            story.bump_version()
        verb = "Locked" if locked else "Unlocked"
        return Edit.objects.create(
            story=story, job=story.latest_job(), user=user, action=EditAction.LOCK if locked else EditAction.UNLOCK,
            summary=f"{verb} pair {pair.order + 1}", payload={"pair": pair.order + 1, "locked": locked},
        )
