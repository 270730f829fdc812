"""Running a story again replaces its results. Its locked pairs (every corrected pair among them) stay as they
are, and every pair the new run makes of the same sentences keeps its verdicts and notes (alignment.keeping);
what is at risk is the review of the pairs that are not locked. Say what that is, and ask for a confirmation
before risking it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from alignment import audit, stories
from alignment.models import AuditAction, Divergence, Edit, EditAction, Story, Verdict

from .plans import ReviewError
from .verdicts import Progress


@dataclass(frozen=True)
class LostWork:
    """What running a story again may discard: corrected pairs a reviewer unlocked, and divergences reviewed on
    pairs that are not locked (each keeps its review where the new run pairs the same sentences)."""

    corrections: int
    reviews: int  # divergences with a verdict or a note
    locked: int = 0  # pairs kept as they are

    def __bool__(self) -> bool:
        return bool(self.corrections or self.reviews)

    def __str__(self) -> str:
        parts = [
            f"{n} {word if n == 1 else word + 's'}"
            for n, word in ((self.corrections, "corrected pair"), (self.reviews, "reviewed divergence"))
            if n
        ]
        return " and ".join(parts) + " (on pairs not locked)" if parts else "nothing"


class ConfirmationNeeded(ReviewError):
    def __init__(self, lost: LostWork):
        super().__init__(f"Running the story again may discard {lost}. Confirm to go ahead.")
        self.lost = lost


def lost_work(story: Story) -> LostWork:
    """What is at risk in the story's stored results: corrected pairs not locked, and reviewed divergences on
    pairs not locked."""
    return progress_and_risk(story)[1]


def progress_and_risk(story: Story) -> tuple[Progress, LostWork]:
    """The review's progress (as verdicts.progress counts it) and what a new run would put at risk, in one query
    over the story's pairs and their divergences."""
    reviewed = ~Q(divergences__verdict=Verdict.PENDING) | ~Q(divergences__note="")
    counts = story.pairs.aggregate(
        at_risk_corrections=Count("pk", filter=Q(manual=True, locked=False), distinct=True),
        locked_pairs=Count("pk", filter=Q(locked=True), distinct=True),
        at_risk_reviews=Count("divergences", filter=Q(locked=False) & reviewed),
        annotated=Count("divergences", filter=reviewed),
        **{value: Count("divergences", filter=Q(divergences__verdict=value)) for value in Verdict.values},
    )
    return (Progress({value: counts[value] for value in Verdict.values}, counts["annotated"]),
            LostWork(counts["at_risk_corrections"], counts["at_risk_reviews"], counts["locked_pairs"]))


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
            summary="Ran the story again" + (f", risking {lost}" if lost else "")
            + (f", keeping {lost.locked} locked pair{'s' if lost.locked != 1 else ''}" if lost.locked else ""),
            payload={"job": job.pk, "corrections": lost.corrections, "reviews": lost.reviews, "locked": lost.locked},
        )
        audit.record(AuditAction.RERUN, story, user, via)
        return job
