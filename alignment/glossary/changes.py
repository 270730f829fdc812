"""After a glossary changed (an entry added, changed or deleted, a file imported): the story at hand, if any, is
re-checked at once, so that its page shows the change, and the glossary's other stories that may name a changed
entry are left to a worker (alignment.glossary.rechecks), whose progress the glossary page shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from alignment import review
from alignment.glossary import tasks
from alignment.glossary.entries import Scope
from alignment.models import GlossaryRecheck, Story
from alignment.pipeline.types import GlossaryPair


@dataclass(frozen=True)
class Change:
    here: review.Rechecked | None  # the story at hand, re-checked at once (None: none, or no results yet)
    queued: GlossaryRecheck | None  # the others, for a worker (None: there are none)


def changed(scope: Scope, pairs: Sequence[GlossaryPair], user, story: Story | None = None) -> Change:
    """Re-check ``story`` now and queue a re-check of the scope's other processed stories that name one of
    ``pairs`` (every one of them, when ``pairs`` is empty: the whole glossary)."""
    here = review.recheck(story, user) if story is not None else None
    others = scope.stories().latest_job_done()
    if story is not None:
        others = others.exclude(pk=story.pk)
    if not others.exists():
        return Change(here, None)
    recheck = GlossaryRecheck.objects.create(
        owner=scope.owner, collection=scope.collection,
        spellings=[[list(p.en), list(p.ru)] for p in dict.fromkeys(pairs)],
    )
    transaction.on_commit(lambda: tasks.enqueue(recheck.pk))
    return Change(here, recheck)
