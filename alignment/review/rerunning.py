"""Running a story again replaces its results, and with them its reviewers' corrections and verdicts: say what
would be lost, and ask for a confirmation before losing it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from alignment import audit, stories
from alignment.models import AuditAction, Edit, EditAction, Job, JobStatus, Story

from .corrections import undo_stack
from .plans import ReviewError
from .verdicts import progress


@dataclass(frozen=True)
class LostWork:
    """What running a story again would discard: corrections to its results, and divergences reviewed."""

    corrections: int
    reviews: int  # divergences with a verdict or a note

    def __bool__(self) -> bool:
        return bool(self.corrections or self.reviews)

    def __str__(self) -> str:
        parts = [
            f"{n} {word if n == 1 else word + 's'}"
            for n, word in ((self.corrections, "correction"), (self.reviews, "reviewed divergence"))
            if n
        ]
        return " and ".join(parts) or "nothing"


class ConfirmationNeeded(ReviewError):
    def __init__(self, lost: LostWork):
        super().__init__(f"Running the story again discards {lost}. Confirm to go ahead.")
        self.lost = lost


def lost_work(story: Story) -> LostWork:
    # The run whose results are stored: the latest done one, even while a later run failed.
    job = story.jobs.filter(status=JobStatus.DONE).order_by(*Job.NEWEST_FIRST).first()
    return LostWork(len(undo_stack(story, job)), progress(story).annotated)


def rerun(story: Story, user, via: str, confirmed: bool = False) -> Job | None:
    """Queue a new run of the pipeline, which replaces the story's results, with an entry in the story's history
    and one in the audit log (``via`` names the way in: "page", "api", "admin"). Refused with ConfirmationNeeded
    while that would discard reviewers' work and ``confirmed`` is not set. None if a run is already waiting."""
    with transaction.atomic():
        story.lock()
        latest = story.latest_job()
        if latest is not None and latest.is_active:  # a second click must not queue a second job
            return None
        lost = lost_work(story)
        if lost and not confirmed:
            raise ConfirmationNeeded(lost)
        job = stories.rerun(story)
        Edit.objects.create(
            story=story, job=latest, user=user, action=EditAction.RERUN,
            summary="Ran the story again" + (f", discarding {lost}" if lost else ""),
            payload={"job": job.pk, "corrections": lost.corrections, "reviews": lost.reviews},
        )
        audit.record(AuditAction.RERUN, story, user, via)
        return job
