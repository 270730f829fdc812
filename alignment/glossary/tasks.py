"""The thin Celery task of a glossary's change, and how it reaches the broker. Registered by config/celery.py's
autodiscovery of alignment.glossary."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from alignment.glossary import rechecks
from alignment.models import GlossaryRecheck, RecheckStatus

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=settings.SVERKA_JOB_SOFT_TIME_LIMIT)
def recheck_glossary(recheck_id: int) -> None:
    rechecks.run(recheck_id)


def enqueue(recheck_id: int) -> bool:
    """Hand the re-check to the broker. If it is down, the re-check fails at once, saying so: the glossary page
    offers to re-check the stories again."""
    try:
        recheck_glossary.apply_async(args=[recheck_id], retry=False)
    except Exception as exc:  # kombu raises many kinds
        log.warning("broker unreachable, glossary re-check %s not sent: %s", recheck_id, exc)
        GlossaryRecheck.objects.filter(pk=recheck_id, status=RecheckStatus.QUEUED).update(
            status=RecheckStatus.FAILED, error="The background worker could not be reached. Re-check the stories "
                                               "again in a while.")
        return False
    return True
