"""Furniture learned from a collection: a line that recurs across many of its stories (a newsletter box, a
donation appeal, a "Read more" heading) is its outlet's furniture, and every later run of a story in the
collection counts it as furniture beyond doubt (alignment.pipeline.furniture, ``known_furniture``). The owner
may add a line, or strike a learned one off, which then is never furniture for the collection's stories.

Lines are known by ``furniture_key`` (alignment.pipeline.recurring: case, spacing and punctuation made alike). The
collection grows cleaner as it grows: ``learn`` runs again, in a worker, a little after each of its stories is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from alignment.models import Collection, CollectionFurniture, FurnitureSource, Sentence, Story
from alignment.pipeline import recurring


def threshold(stories: int) -> int:
    """In how many of a collection's ``stories`` a line must occur to be its furniture: at least
    SVERKA_FURNITURE_MIN_STORIES, and at least SVERKA_FURNITURE_MIN_SHARE of them."""
    return recurring.threshold(stories, settings.SVERKA_FURNITURE_MIN_STORIES, settings.SVERKA_FURNITURE_MIN_SHARE)


def learn(collection: Collection) -> int:
    """Count the lines of the collection's stories and keep, as learned furniture, those that recur in enough of
    them (``threshold``). The owner's additions and removals stay as they are. Returns how many lines are
    learned furniture now.

    The rule is alignment.pipeline.recurring's, counted in SQL over each sentence's stored key: only the lines
    that recur come back, and the text of those that have no entry yet."""
    sentences = Sentence.objects.filter(document__story__collections=collection).order_by()
    stories = sentences.aggregate(stories=Count("document__story", distinct=True))["stories"]
    found = (
        sentences.exclude(key="")  # saved without its key (by hand): it would count as one with every other
        .values("language", "key").annotate(stories=Count("document__story", distinct=True))
        .filter(stories__gte=threshold(stories)).values_list("language", "key", "stories")
    )
    counts = {(language, key): count for language, key, count in found}
    with transaction.atomic():
        entries = {(e.language, e.key): e for e in CollectionFurniture.objects.select_for_update()
                   .filter(collection=collection)}
        CollectionFurniture.objects.filter(
            pk__in=[e.pk for k, e in entries.items() if e.source == FurnitureSource.LEARNED and k not in counts]
        ).delete()
        for key, count in counts.items():
            entry = entries.get(key)
            if entry is not None and entry.stories != count:
                entry.stories = count
                entry.save(update_fields=["stories", "updated"])
        first = _first_texts(sentences, [key for key in counts if key not in entries])
        CollectionFurniture.objects.bulk_create(
            CollectionFurniture(collection=collection, language=key[0], key=key[1], text=text[:2000],
                                source=FurnitureSource.LEARNED, stories=counts[key])
            for key, text in first.items()
        )
    return len(counts)


def _first_texts(sentences, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Each (language, key)'s text where it first occurs among ``sentences`` (in the order of their documents), in
    that order."""
    wanted, first = set(keys), {}
    if keys:
        rows = sentences.filter(key__in={key for _, key in keys}).order_by("document", "index")
        for language, key, text in rows.values_list("language", "key", "text"):
            if (language, key) in wanted:  # not the same line in the other language, which has its entry
                first.setdefault((language, key), text)
    return first


def known_for(story: Story) -> tuple[frozenset[str], frozenset[str]]:
    """(furniture, not furniture) for a run of ``story``, by key, from every collection it belongs to. A line
    struck off in one of them is not furniture, whatever another one says."""
    entries = CollectionFurniture.objects.filter(collection__stories=story).values_list("key", "source")
    struck = {key for key, source in entries if source == FurnitureSource.REMOVED}
    known = {key for key, source in entries if source != FurnitureSource.REMOVED} - struck
    return frozenset(known), frozenset(struck)


def add(collection: Collection, language: str, text: str) -> CollectionFurniture:
    """The owner's own line of furniture (or one struck off before, put back as the owner's)."""
    key = recurring.furniture_key(text)
    entry, _ = CollectionFurniture.objects.update_or_create(
        collection=collection, language=language, key=key,
        defaults={"text": text.strip()[:2000], "source": FurnitureSource.ADDED},
    )
    return entry


def strike(entry: CollectionFurniture) -> None:
    """Not furniture, says the owner: an added line goes, a learned one stays listed as struck off (so that
    learning again does not bring it back)."""
    if entry.source == FurnitureSource.ADDED:
        entry.delete()
    else:
        entry.source = FurnitureSource.REMOVED
        entry.save(update_fields=["source", "updated"])


def restore(entry: CollectionFurniture) -> None:
    """A struck-off line is furniture again."""
    entry.source = FurnitureSource.LEARNED
    entry.save(update_fields=["source", "updated"])
