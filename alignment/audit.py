"""The audit log: who created, deleted or re-ran which story, when, and through what (the pages, the API, the
admin). Entries outlive the story and the user (see AuditEntry); the admin shows them, read-only.

Deleting a story goes through ``delete_story`` here, so that the deletion and its entry commit together.
"""

from __future__ import annotations

from django.db import transaction

from alignment.models import AuditAction, AuditEntry, Story


def record(action: AuditAction, story: Story, user=None, via: str = "", **details) -> AuditEntry:
    """One entry about ``story``: its title and owner, and the ``details`` given (JSON values)."""
    acting = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        user=acting,
        username=acting.get_username() if acting else "",
        action=action,
        object_type="story",
        object_code=str(story.code),
        via=via,
        summary={"title": story.title, "owner": story.owner.get_username(), **details},
    )


def delete_story(story: Story, user, via: str) -> AuditEntry:
    """Delete the story with every row of it (its documents, sentences, pairs, divergences, jobs, edits and
    similarity map all cascade from it) and record what went, all or nothing. Nothing of a story is kept
    outside the database."""
    with transaction.atomic():
        total, by_model = story.delete()  # clears story.pk; its code, title and owner stay for the entry
        deleted = {label.split(".")[-1].lower(): n for label, n in sorted(by_model.items()) if n}
        return record(AuditAction.DELETE, story, user, via, deleted=deleted, rows=total)


def stories_of_deleted_user(sender, instance, **kwargs) -> None:
    """Before a user is deleted (and their stories with them, by cascade): one entry per story."""
    for story in Story.objects.filter(owner=instance).select_related("owner"):
        record(AuditAction.DELETE, story, None, "account", deleted_with_user=instance.get_username())
