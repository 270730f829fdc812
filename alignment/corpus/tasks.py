"""Thin Celery tasks of corpus work: an import item's pages fetched by a worker, and the sweep that sends again
the fetches a broker lost. Registered by config/celery.py's autodiscovery of alignment.corpus."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from alignment.corpus import fetching
from alignment.models import ImportItem, ImportItemStatus

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=None)
def fetch_import_item(item_id: int) -> str:
    return fetching.fetch_item(item_id)


def enqueue_fetch(item_id: int) -> bool:
    """Hand the item's fetch to the broker; if it is down, the item waits for ``sweep_fetches``."""
    try:
        fetch_import_item.apply_async(args=[item_id], retry=False)
    except Exception as exc:  # kombu raises many kinds; the item is safe in the database either way
        log.warning("broker unreachable, import item %s waits for the sweeper: %s", item_id, exc)
        return False
    ImportItem.objects.filter(pk=item_id).update(updated=timezone.now())
    return True


@shared_task
def sweep_fetches() -> list[int]:
    """Send again the fetches of items still waiting SVERKA_JOB_RESEND_SECONDS after they were last sent (a
    broker down when they were made, or one that lost its messages). A duplicate message does nothing."""
    stale = timezone.now() - timedelta(seconds=settings.SVERKA_JOB_RESEND_SECONDS)
    waiting = ImportItem.objects.filter(status=ImportItemStatus.FETCHING, updated__lt=stale)
    sent = [pk for pk in waiting.values_list("pk", flat=True) if enqueue_fetch(pk)]
    if sent:
        log.warning("sweep: sent the fetches of import items %s again", sent)
    return sent
