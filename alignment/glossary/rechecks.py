"""The worker's side of a glossary's change: its stories that name one of the changed entries (or every story, for
a re-check of the whole glossary) are re-checked one by one (alignment.review.rechecking), the progress written to
the GlossaryRecheck row after each, which the glossary page shows."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from alignment import review
from alignment.glossary.entries import Scope
from alignment.models import Document, GlossaryRecheck, RecheckStatus, Story
from alignment.pipeline.mentions.glossary import GlossaryIndex
from alignment.pipeline.types import GlossaryPair

log = logging.getLogger(__name__)


def run(recheck_id: int) -> GlossaryRecheck | None:
    """Take the queued re-check and run it to the end. None if it is not queued (a duplicate message) or gone."""
    now = timezone.now()
    if not GlossaryRecheck.objects.filter(pk=recheck_id, status=RecheckStatus.QUEUED).update(
        status=RecheckStatus.RUNNING, heartbeat=now
    ):
        return None
    recheck = GlossaryRecheck.objects.select_related("owner", "collection").get(pk=recheck_id)
    rows = GlossaryRecheck.objects.filter(pk=recheck_id)
    index = GlossaryIndex([GlossaryPair(tuple(en), tuple(ru)) for en, ru in recheck.spellings])
    stories = list(Scope(recheck.owner, recheck.collection).stories().latest_job_done()
                   .order_by("pk").values_list("pk", flat=True))
    rows.update(total=len(stories))
    try:
        for story_id in stories:
            story = Story.objects.filter(pk=story_id).first()
            concerned = story is not None and (not index or names_any(story, index))
            changed = int(concerned and bool(review.recheck(story, recheck.owner)))
            rows.update(done=F("done") + 1, changed=F("changed") + changed, heartbeat=timezone.now())
    except Exception:
        log.exception("the glossary re-check %s failed", recheck_id)
        rows.update(status=RecheckStatus.FAILED, finished=timezone.now(),
                    error="An unexpected error stopped the re-check; it is logged for the operators.")
        raise
    rows.update(status=RecheckStatus.DONE, finished=timezone.now())
    return GlossaryRecheck.objects.get(pk=recheck_id)


def names_any(story: Story, index: GlossaryIndex) -> bool:
    """Whether either text of the story names one of the glossary's names: only such a story can change."""
    return any(index.mentions(text) for text in Document.objects.filter(story=story).values_list("text", flat=True))


def stalled(recheck: GlossaryRecheck, now=None) -> bool:
    """Whether a re-check that is still running has not moved for longer than a job may (its worker is gone)."""
    limit = settings.SVERKA_JOB_STALE_SECONDS + settings.SVERKA_JOB_SOFT_TIME_LIMIT
    last = recheck.heartbeat or recheck.created
    return recheck.is_active and ((now or timezone.now()) - last).total_seconds() > limit
