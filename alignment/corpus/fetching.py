"""The worker's part of a batch import: fetch the pages of an item given by URL, then make its story (or find it
known), or fail the item with the reason. Never in a web request: alignment.corpus.tasks runs it."""

from __future__ import annotations

import logging

from django.db import transaction

from alignment import stories
from alignment.corpus.items import known_by_texts, known_by_urls, mark_created, mark_duplicate
from alignment.ingest.batch import fingerprint
from alignment.ingest.errors import IngestError
from alignment.ingest.fetch import fetch_article
from alignment.models import ImportItem, ImportItemStatus, Language

log = logging.getLogger(__name__)

NAMES = {Language.EN: "English", Language.RU: "Russian"}


def fetch_item(item_id: int) -> str:
    """Fetch the item's pages and make its story. Returns what became of it ("queued", "duplicate", "failed"),
    or "" when there was nothing to do (a second message for an item already handled, or one deleted)."""
    entry = ImportItem.objects.filter(pk=item_id, status=ImportItemStatus.FETCHING).first()
    if entry is None:
        return ""
    sides = {}
    for language, url, text, raw, file_name in (
        (Language.EN, entry.en_url, entry.en_text, entry.en_raw, entry.en_file_name),
        (Language.RU, entry.ru_url, entry.ru_text, entry.ru_raw, entry.ru_file_name),
    ):
        if not url:  # the side came as text, or as a file its story's job reads
            sides[language] = stories.SideInput(text=text, raw=None if raw is None else bytes(raw),
                                                file_name=file_name)
            continue
        try:
            page = fetch_article(url)
        except IngestError as exc:
            log.info("import item %s: %s page %s not fetched: %s", item_id, NAMES[language], url, exc)
            failed = ImportItem.objects.filter(pk=item_id, status=ImportItemStatus.FETCHING).update(
                status=ImportItemStatus.FAILED, reason=f"{NAMES[language]} page ({url[:300]}): {exc}"[:500],
            )
            return "failed" if failed else ""
        sides[language] = stories.SideInput(
            text=page.text, source_url=url, encoding=page.encoding, page_title=page.title, author=page.author,
            published=page.published,
        )
    en, ru = sides[Language.EN], sides[Language.RU]
    with transaction.atomic():
        entry = (ImportItem.objects.select_for_update().select_related("batch__collection", "batch__owner")
                 .filter(pk=item_id, status=ImportItemStatus.FETCHING).first())
        if entry is None:
            return ""  # handled by another message meanwhile, or its import deleted
        owner = entry.batch.owner
        story = known_by_texts(owner, fingerprint(en.content, ru.content)) or known_by_urls(
            owner, entry.en_url, entry.ru_url)
        if story is not None:
            mark_duplicate(entry, story)
            return "duplicate"
        title = entry.name or en.page_title or ru.page_title or entry.en_url or entry.ru_url
        story = stories.create_story(owner, title, en, ru, via="import", published=entry.published,
                                     outlet=entry.outlet)
        mark_created(entry, story)
        return "queued"
