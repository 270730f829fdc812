"""The audit log: who created, deleted or re-ran which story, when, and through what (the pages, the API, the
admin). Entries outlive the story and the user (see AuditEntry); the admin shows them, read-only.

Deleting a story goes through alignment.stories.delete_story, so that the deletion and its entry commit together.
"""

from __future__ import annotations

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


def stories_of_deleted_user(sender, instance, **kwargs) -> None:
    """Before a user is deleted (and their stories with them, by cascade): one entry per story."""
    for story in Story.objects.filter(owner=instance).select_related("owner"):
        record(AuditAction.DELETE, story, None, "account", deleted_with_user=instance.get_username())
