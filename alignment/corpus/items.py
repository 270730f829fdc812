"""What became of one item of a batch import, shared by the web side (alignment.corpus.imports) and the worker
that fetches an item's pages (alignment.corpus.fetching): a story found known, or a story made for it."""

from __future__ import annotations

from alignment.models import ImportItem, ImportItemStatus, Language, Story


def known_by_urls(owner, en_url: str, ru_url: str) -> Story | None:
    """The owner's story whose sides came from these URLs (a side given as text matches any), if there is one."""
    if not (en_url or ru_url):
        return None
    found = Story.objects.filter(owner=owner)
    for language, url in ((Language.EN, en_url), (Language.RU, ru_url)):
        if url:
            found = found.filter(documents__language=language, documents__source_url=url)
    return found.first()


def known_by_texts(owner, fingerprint: str) -> Story | None:
    return Story.objects.filter(owner=owner, fingerprint=fingerprint).first()


def mark_duplicate(entry: ImportItem, story: Story) -> ImportItem:
    """The item is a story imported before: it joins the collection as it is."""
    entry.status, entry.story = ImportItemStatus.DUPLICATE, story
    entry.reason = "Already imported: the same texts or addresses as this story."
    _forget_sides(entry)
    entry.save()
    entry.batch.collection.stories.add(story)
    return entry


def mark_created(entry: ImportItem, story: Story) -> ImportItem:
    entry.status, entry.story, entry.reason = ImportItemStatus.QUEUED, story, ""
    _forget_sides(entry)  # the story holds them now
    entry.save()
    entry.batch.collection.stories.add(story)
    return entry


def _forget_sides(entry: ImportItem) -> None:
    entry.en_text = entry.ru_text = entry.en_file_name = entry.ru_file_name = ""
    entry.en_raw = entry.ru_raw = None
